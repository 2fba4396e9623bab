import Foundation
import PaceCore
import PaceStore
import Vapor

/// A study's GCP records, in the browser and the API. One function adds each kind of record, for both.
struct StudyRecordsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("studies", ":cpms", "records", use: page).requires(.readStudy)
        routes.post("studies", ":cpms", "records", ":kind", use: addFromForm).requires(.changePortfolio)
        routes.get("api", "v1", "studies", ":cpms", "records", use: listAPI).requires(.readStudy)
        routes.post("api", "v1", "studies", ":cpms", "records", ":kind", use: addFromAPI).requires(.changePortfolio)
        // A named path wins over `:kind`, so these three are open to the study team as well.
        for kind in GCPRecordKind.allCases where kind.studyTeamRecords {
            routes.post("studies", ":cpms", "records", .constant(kind.rawValue), use: addFromForm).requires(.recordStudyEvents)
            routes.post("api", "v1", "studies", ":cpms", "records", .constant(kind.rawValue), use: addFromAPI).requires(.recordStudyEvents)
        }
    }

    func page(request: Request) async throws -> Response {
        try await render(request, failed: nil, status: .ok)
    }

    func addFromForm(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let kind = try Self.kind(request)
        let prefix = StudyRecordsPage.prefix(kind) + "_"
        let submitted = try request.formValues()
        var values: [String: String] = [:]
        for (key, value) in submitted where key.hasPrefix(prefix) { values[String(key.dropFirst(prefix.count))] = value }
        do {
            try await add(kind, values, cpmsID: cpmsID, request: request)
            try await request.leaveMessage(Self.notice(kind))
            return seeOther(Paths.studyRecords(cpmsID) + "#\(kind.section)")
        } catch let problems as APIProblems {
            let form = FormState(values: submitted, problems: problems.problems.map { FieldProblem(column: prefix + $0.column, message: $0.message) })
            return try await render(request, failed: (kind, form), status: .unprocessableEntity)
        }
    }

    func addFromAPI(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let kind = try Self.kind(request)
        guard let values = (try? request.content.decode(JSONValue.self, using: JSONDecoder()))?.formValues else {
            throw APIProblems(problems: [FieldProblem(column: "-", message: "the body must be a JSON object")])
        }
        try await add(kind, values, cpmsID: cpmsID, request: request)
        return try await recordsJSON(request, cpmsID: cpmsID).jsonResponse(status: .created)
    }

    func listAPI(request: Request) async throws -> Response {
        try await recordsJSON(request, cpmsID: request.cpmsParameter()).jsonResponse(status: .ok)
    }

    /// Reads and saves one record; problems come back as `APIProblems` naming each field.
    private func add(_ kind: GCPRecordKind, _ values: [String: String], cpmsID: Int, request: Request) async throws {
        guard try await request.register.study(cpmsID) != nil else { throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).") }
        let store = GCPStore(database: request.db)
        let context = request.auditContext
        // A study team records at its own trust's sites only, as it does recruitment.
        if request.caller?.account.role == .studyTeam {
            let host = request.configuration.hostODS
            if let site = values["site_ods"], !site.isEmpty, Identifiers.normalisedODSCode(site) != host {
                throw Abort(.forbidden, reason: "A study team records safety events and deviations at its own trust's sites only.")
            }
            // A report time belongs to an event: the event must be at the team's own trust too.
            if kind == .safetyReports, let text = values["event_id"], let eventID = Int(text),
               let event = try await store.safetyEvents(cpmsID: cpmsID).first(where: { $0.id == eventID }), event.siteODS != host {
                throw Abort(.forbidden, reason: "A study team records safety reports for events at its own trust's sites only.")
            }
        }
        let today = Day.today(), now = Date()
        var row = RowReader(values: values)
        func parsed<T>(_ value: T?) throws -> T {
            guard let value, row.problems.isEmpty else { throw APIProblems(problems: row.problems) }
            return value
        }
        do {
            switch kind {
            case .delegations:
                try await store.add(try parsed(Delegation(reading: &row, values: values, cpmsID: cpmsID)), today: today, by: context)
            case .endedDelegations:
                let delegation = row.integer("delegation_id", required: true, in: 1...Int(Int32.max))
                let end = row.day("end_on", required: true)
                try await store.endDelegation(id: try parsed(delegation), cpmsID: cpmsID, on: try parsed(end), by: context)
            case .safetyEvents:
                try await store.add(try parsed(SafetyEvent(reading: &row, cpmsID: cpmsID, now: now)), by: context)
            case .safetyReports:
                let event = row.integer("event_id", required: true, in: 1...Int(Int32.max))
                let reported = SafetyEvent.time(&row, "reported_at", required: true)
                try await store.recordReport(eventID: try parsed(event), cpmsID: cpmsID, at: try parsed(reported), now: now, by: context)
            case .safetyLimit:
                let hours = row.integer("report_limit_hours", required: true, in: 1...720)
                try await store.setSafetyLimit(cpmsID: cpmsID, hours: try parsed(hours), by: context)
            case .deviations:
                try await store.add(try parsed(Deviation(reading: &row, cpmsID: cpmsID, today: today)), by: context)
            case .monitoringVisits:
                try await store.add(try parsed(MonitoringVisit(reading: &row, cpmsID: cpmsID, today: today)), by: context)
            case .monitoringActions:
                let visit = row.integer("visit_id", required: true, in: 1...Int(Int32.max)) ?? 0
                try await store.add(try parsed(MonitoringAction(reading: &row, visitID: visit)), cpmsID: cpmsID, by: context)
            case .completedActions:
                let action = row.integer("action_id", required: true, in: 1...Int(Int32.max))
                let done = row.day("done_on", required: true)
                if let done, done > today { row.problem("done_on", "is in the future") }
                try await store.complete(actionID: try parsed(action), cpmsID: cpmsID, on: try parsed(done), by: context)
            case .documents:
                try await store.add(try parsed(EssentialDocument(reading: &row, cpmsID: cpmsID)), by: context)
            }
        } catch let problem as FieldProblem {
            throw APIProblems(problems: [problem])
        }
    }

    private func render(_ request: Request, failed: (kind: GCPRecordKind, form: FormState)?, status: HTTPStatus) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        guard let detail = try await request.register.study(cpmsID) else { throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).") }
        let store = GCPStore(database: request.db)
        var page = StudyRecordsPage(
            study: detail.study, sites: detail.sites.map(\.site.siteODS), people: try await store.people(), duties: try await store.duties(),
            records: try await store.records(cpmsID: cpmsID), now: Date()
        )
        page.hostODS = request.configuration.hostODS
        page.failed = failed
        return page.render(hostName: try await request.hostName()).response(status)
    }

    private func recordsJSON(_ request: Request, cpmsID: Int) async throws -> JSONValue {
        guard try await request.register.study(cpmsID) != nil else { throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).") }
        return GCPJSON.records(try await GCPStore(database: request.db).records(cpmsID: cpmsID), now: Date())
    }

    static func kind(_ request: Request) throws -> GCPRecordKind {
        if let named = request.route?.path.last?.description, let kind = GCPRecordKind(rawValue: named) { return kind }
        guard let kind = request.parameters.get("kind").flatMap(GCPRecordKind.init(rawValue:)) else {
            throw Abort(.notFound, reason: "GCP records are one of: \(GCPRecordKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return kind
    }

    static func notice(_ kind: GCPRecordKind) -> String {
        switch kind {
        case .delegations: "Added to the delegation log."
        case .endedDelegations: "Delegation ended; the line stays on the log."
        case .safetyEvents: "Serious adverse event recorded."
        case .safetyReports: "Report time recorded."
        case .safetyLimit: "Reporting limit saved."
        case .deviations: "Deviation recorded."
        case .monitoringVisits: "Monitoring visit recorded."
        case .monitoringActions: "Action added."
        case .completedActions: "Action marked done."
        case .documents: "Document recorded."
        }
    }
}
