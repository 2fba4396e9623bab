import Foundation
import PaceCore
import PaceStore
import Vapor

/// People, their training and the office's duty list; and the "needs attention" page that draws on them.
struct PeopleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("people", use: list).requires(.readPortfolio)
        routes.post("people", use: addPerson).requires(.changePortfolio)
        routes.post("people", "duties", use: addDuty).requires(.changePortfolio)
        routes.get("people", ":person", use: show).requires(.readPortfolio)
        routes.post("people", ":person", "training", use: addTraining).requires(.changePortfolio)
        routes.get("attention", use: attention).requires(.readPortfolio)
        routes.get("data-quality", use: dataQuality).requires(.readPortfolio)
        routes.get("api", "v1", "people", use: listAPI).requires(.readPortfolio)
        routes.post("api", "v1", "people", use: addPersonAPI).requires(.changePortfolio)
        routes.post("api", "v1", "people", ":person", "training", use: addTrainingAPI).requires(.changePortfolio)
        routes.get("api", "v1", "attention", use: attentionAPI).requires(.readPortfolio)
    }

    func list(request: Request) async throws -> Response {
        try await listPage(request, personForm: FormState(), dutyForm: FormState(), status: .ok)
    }

    private func listPage(_ request: Request, personForm: FormState, dutyForm: FormState, status: HTTPStatus) async throws -> Response {
        let store = GCPStore(database: request.db)
        let page = PeoplePage(people: try await store.people(), training: try await store.training(), duties: try await store.duties(),
                              renewalDays: try await request.register.metricRules().gcpTrainingRenewalDays, today: Day.today(),
                              personForm: personForm, dutyForm: dutyForm)
        return page.render(hostName: try await request.hostName()).response(status)
    }

    func addPerson(request: Request) async throws -> Response {
        let values = try request.formValues()
        var row = RowReader(values: values)
        guard let person = Person(reading: &row) else {
            return try await listPage(request, personForm: FormState(values: values, problems: row.problems), dutyForm: FormState(), status: .unprocessableEntity)
        }
        let id = try await GCPStore(database: request.db).add(person, by: request.auditContext)
        try await request.leaveMessage("\(person.name) added.")
        return seeOther(Paths.person(id))
    }

    func addDuty(request: Request) async throws -> Response {
        var values = try request.formValues()
        values["name"] = values["duty_name"]
        var row = RowReader(values: values)
        do {
            guard let duty = DelegationDuty(reading: &row) else { throw APIProblems(problems: row.problems) }
            try await GCPStore(database: request.db).add(duty, by: request.auditContext)
            try await request.leaveMessage("Duty added to the list.")
            return seeOther(Paths.people)
        } catch let problems as APIProblems {
            return try await listPage(request, personForm: FormState(), dutyForm: FormState(values: values, problems: problems.problems), status: .unprocessableEntity)
        } catch let problem as FieldProblem {
            return try await listPage(request, personForm: FormState(), dutyForm: FormState(values: values, problems: [problem]), status: .unprocessableEntity)
        }
    }

    func show(request: Request) async throws -> Response {
        try await personPage(request, form: FormState(values: ["course": TrainingRecord.gcp]), status: .ok)
    }

    private func personPage(_ request: Request, form: FormState, status: HTTPStatus) async throws -> Response {
        let person = try await Self.person(request)
        let store = GCPStore(database: request.db)
        let page = PersonPage(person: person, training: try await store.training()[person.id] ?? [], delegations: try await store.delegations(personID: person.id),
                              renewalDays: try await request.register.metricRules().gcpTrainingRenewalDays, today: Day.today(), form: form)
        return page.render(hostName: try await request.hostName()).response(status)
    }

    func addTraining(request: Request) async throws -> Response {
        let person = try await Self.person(request)
        let values = try request.formValues()
        var row = RowReader(values: values)
        guard let record = TrainingRecord(reading: &row, personID: person.id, today: Day.today()) else {
            return try await personPage(request, form: FormState(values: values, problems: row.problems), status: .unprocessableEntity)
        }
        try await GCPStore(database: request.db).add(record, by: request.auditContext)
        try await request.leaveMessage("Training recorded for \(person.name).")
        return seeOther(Paths.person(person.id))
    }

    func dataQuality(request: Request) async throws -> Response {
        DataQualityPage(findings: try await request.register.dataQuality(today: Day.today())).render(hostName: try await request.hostName()).response()
    }

    func attention(request: Request) async throws -> Response {
        AttentionPage(attention: try await Self.needsAttention(request)).render(hostName: try await request.hostName()).response()
    }

    // MARK: API

    func listAPI(request: Request) async throws -> Response {
        let store = GCPStore(database: request.db)
        let training = try await store.training()
        let renewal = try await request.register.metricRules().gcpTrainingRenewalDays
        return try JSONValue.array(try await store.people().map { GCPJSON.person($0, training: training[$0.id] ?? [], renewalDays: renewal, today: Day.today()) })
            .jsonResponse(status: .ok)
    }

    func addPersonAPI(request: Request) async throws -> Response {
        var row = RowReader(values: try Self.jsonValues(request, textFields: ["name", "email", "job_title"]))
        guard let person = Person(reading: &row) else { throw APIProblems(problems: row.problems) }
        let id = try await GCPStore(database: request.db).add(person, by: request.auditContext)
        var saved = person
        saved.id = id
        return try GCPJSON.person(saved, training: [], renewalDays: try await request.register.metricRules().gcpTrainingRenewalDays, today: Day.today())
            .jsonResponse(status: .created)
    }

    func addTrainingAPI(request: Request) async throws -> Response {
        let person = try await Self.person(request)
        var row = RowReader(values: try Self.jsonValues(request))
        guard let record = TrainingRecord(reading: &row, personID: person.id, today: Day.today()) else { throw APIProblems(problems: row.problems) }
        let store = GCPStore(database: request.db)
        try await store.add(record, by: request.auditContext)
        return try GCPJSON.person(person, training: try await store.training()[person.id] ?? [], renewalDays: try await request.register.metricRules().gcpTrainingRenewalDays, today: Day.today())
            .jsonResponse(status: .created)
    }

    func attentionAPI(request: Request) async throws -> Response {
        let attention = try await Self.needsAttention(request)
        return try JSONValue.array(attention.items.map { item in
            .object([
                ("kind", .string(item.kind.rawValue)), ("cpms_id", item.cpmsID.map(JSONValue.integer) ?? .null), ("site_ods", GCPJSON.text(item.siteODS)),
                ("person_id", item.personID.map(JSONValue.integer) ?? .null), ("subject", .string(item.subject)), ("reason", .string(item.reason)),
            ])
        }).jsonResponse(status: .ok)
    }

    // MARK: Helpers

    static func needsAttention(_ request: Request) async throws -> NeedsAttention {
        let store = GCPStore(database: request.db)
        let rules = try await request.register.metricRules()
        let host = request.configuration.hostODS
        let hostSites = try await request.register.siteRecords(.organisation(host))
        let training = try await store.training()
        let delegations = try await store.delegations()
        let people = try await store.people().map { person in
            NeedsAttention.PersonTraining(person: person, training: training[person.id] ?? [], delegations: delegations.filter { $0.personID == person.id })
        }
        let names = Dictionary(hostSites.map { ($0.study.cpmsID, $0.study.shortName) }, uniquingKeysWith: { first, _ in first })
        let limits = try await store.safetyLimits()
        let events = try await store.safetyEvents().map { (event: $0, limitHours: limits[$0.cpmsID] ?? GCPStore.defaultSafetyLimitHours, studyName: names[$0.cpmsID] ?? "CPMS \($0.cpmsID)") }
        let visits = try await store.visits().map { (visit: $0, studyName: names[$0.cpmsID] ?? "CPMS \($0.cpmsID)") }
        let setUp = NeedsAttention.SetUpWork(steps: try await request.register.setUpSteps(.organisation(host)),
                                             amendments: try await request.register.amendments(.organisation(host)), kinds: try await request.register.setUpStepKinds())
        return NeedsAttention(hostSites: hostSites, people: people, safetyEvents: events, visits: visits, setUp: setUp, today: Day.today(), now: Date(), rules: rules)
    }

    static func person(_ request: Request) async throws -> Person {
        guard let id = request.parameters.get("person").flatMap(Int.init), let person = try await GCPStore(database: request.db).person(id) else {
            throw Abort(.notFound, reason: "There is no such person.")
        }
        return person
    }

    /// The body's fields as text. Fields the document types as text must be JSON strings (or null): a
    /// person named `false` is a client's mistake to refuse, not to store as "no".
    static func jsonValues(_ request: Request, textFields: [String] = []) throws -> [String: String] {
        guard let body = try? request.content.decode(JSONValue.self, using: JSONDecoder()), let values = body.formValues else {
            throw APIProblems(problems: [FieldProblem(column: "-", message: "the body must be a JSON object")])
        }
        let problems = textFields.compactMap { field -> FieldProblem? in
            switch body[field] {
            case nil, .string?, .null?: nil
            default: FieldProblem(column: field, message: "must be text (a JSON string)")
            }
        }
        if !problems.isEmpty { throw APIProblems(problems: problems) }
        return values
    }
}
