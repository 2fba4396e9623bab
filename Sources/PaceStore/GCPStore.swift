import FluentKit
import Foundation
import PaceCore
import SQLKit

/// A study's GCP records, as its page and the API show them.
public struct StudyGCPRecords: Sendable {
    public let delegations: [Delegation]
    public let safetyEvents: [SafetyEvent]
    public let safetyLimitHours: Int
    public let deviations: [Deviation]
    public let visits: [MonitoringVisit]
    public let documents: [EssentialDocument]
}

/// Reads and writes GCP records. Every write appends its audit event in the same transaction, keyed
/// under the study's CPMS ID so the study's history shows it.
public struct GCPStore: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public static let defaultSafetyLimitHours = 24
    static let siteJoin = " JOIN sites x ON x.id = r.site_id JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id"

    // MARK: People and training

    public func people() async throws -> [Person] {
        try await database.sql().raw("SELECT * FROM people ORDER BY name, id").all().map(Self.person)
    }

    public func person(_ id: Int) async throws -> Person? {
        try await database.sql().raw("SELECT * FROM people WHERE id = \(bind: id)").first().map(Self.person)
    }

    static func person(_ row: any SQLRow) throws -> Person {
        Person(id: try row.integer("id") ?? 0, name: try row.text("name") ?? "", email: try row.text("email"), jobTitle: try row.text("job_title"))
    }

    @discardableResult
    public func add(_ person: Person, by context: AuditContext) async throws -> Int {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            guard let id = try await sql.raw("INSERT INTO people (name, email, job_title) VALUES (\(bind: person.name), \(bind: person.email), \(bind: person.jobTitle)) RETURNING id").first()?.integer("id") else {
                throw NotSQLDatabase()
            }
            try await Self.audit(.create, "person", "person/\(id)", old: nil, new: person.auditFields, columns: Person.auditColumns, context, sql)
            return id
        }
    }

    /// Every person's training, by person.
    public func training() async throws -> [Int: [TrainingRecord]] {
        var byPerson: [Int: [TrainingRecord]] = [:]
        for row in try await database.sql().raw("SELECT * FROM training_records ORDER BY completed_on DESC, id DESC").all() {
            let record = try Self.training(row)
            byPerson[record.personID, default: []].append(record)
        }
        return byPerson
    }

    static func training(_ row: any SQLRow) throws -> TrainingRecord {
        TrainingRecord(id: try row.integer("id") ?? 0, personID: try row.integer("person_id") ?? 0, course: try row.text("course") ?? "",
                       completedOn: try row.day("completed_on") ?? Day(ordinal: 0), provider: try row.text("provider"))
    }

    public func add(_ record: TrainingRecord, by context: AuditContext) async throws {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            guard try await sql.raw("SELECT 1 AS one FROM people WHERE id = \(bind: record.personID)").first() != nil else {
                throw FieldProblem(column: "person_id", message: "There is no such person.")
            }
            guard let id = try await sql.raw("""
                INSERT INTO training_records (person_id, course, completed_on, provider) VALUES (\(bind: record.personID), \(bind: record.course), \(bind: record.completedOn.iso), \(bind: record.provider)) RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "training", "person/\(record.personID)/training/\(id)", old: nil,
                                 new: [record.course, record.completedOn.iso, record.provider ?? ""], columns: ["course", "completed_on", "provider"], context, sql)
        }
    }

    // MARK: Delegation

    public func duties() async throws -> [DelegationDuty] {
        try await database.sql().raw("SELECT code, name FROM delegation_duties ORDER BY name").all().map { row in
            DelegationDuty(code: try row.text("code") ?? "", name: try row.text("name") ?? "")
        }
    }

    public func add(_ duty: DelegationDuty, by context: AuditContext) async throws {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            if try await sql.raw("SELECT 1 AS one FROM delegation_duties WHERE code = \(bind: duty.code)").first() != nil {
                throw FieldProblem(column: "code", message: "There is already a duty with the code \(duty.code).")
            }
            try await sql.raw("INSERT INTO delegation_duties (code, name) VALUES (\(bind: duty.code), \(bind: duty.name))").run()
            try await Self.audit(.create, "duty", duty.code, old: nil, new: [duty.code, duty.name], columns: ["code", "name"], context, sql)
        }
    }

    public func delegations(cpmsID: Int? = nil, personID: Int? = nil) async throws -> [Delegation] {
        var query = SQLQueryString("SELECT r.*, s.cpms_id, o.ods_code, p.name AS person_name FROM delegations r" + Self.siteJoin + " JOIN people p ON p.id = r.person_id WHERE 1 = 1")
        if let cpmsID { query = query + " AND s.cpms_id = \(bind: cpmsID)" }
        if let personID { query = query + " AND r.person_id = \(bind: personID)" }
        return try await database.sql().raw(query + " ORDER BY o.ods_code, r.start_on, r.id").all().map { row in
            Delegation(
                id: try row.integer("id") ?? 0, cpmsID: try row.integer("cpms_id") ?? 0, siteODS: try row.text("ods_code") ?? "",
                personID: try row.integer("person_id") ?? 0, personName: try row.text("person_name") ?? "",
                duties: (try row.text("duties") ?? "").split(separator: ";").map(String.init),
                startOn: try row.day("start_on") ?? Day(ordinal: 0), endOn: try row.day("end_on"), piSignedOn: try row.day("pi_signed_on")
            )
        }
    }

    /// Adds a line to a site's delegation log; refused when a duty is unknown or the person's GCP training is not current.
    public func add(_ delegation: Delegation, today: Day, by context: AuditContext) async throws {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            let siteID = try await Self.siteID(delegation.cpmsID, delegation.siteODS, sql)
            guard let person = try await GCPStore(database: transaction).person(delegation.personID) else {
                throw FieldProblem(column: "person_id", message: "Choose a person from the list.")
            }
            guard !delegation.duties.isEmpty else { throw FieldProblem(column: "duties", message: "Choose at least one duty.") }
            let known = Set(try await GCPStore(database: transaction).duties().map(\.code))
            if let unknown = delegation.duties.first(where: { !known.contains($0) }) {
                throw FieldProblem(column: "duties", message: "'\(unknown)' is not one of the office's duties.")
            }
            if let end = delegation.endOn, end < delegation.startOn { throw FieldProblem(column: "end_on", message: "is before the start") }
            let renewal = try await Register(database: transaction).metricRules().gcpTrainingRenewalDays
            let training = try await GCPStore(database: transaction).training()[person.id] ?? []
            if let problem = Delegation.trainingProblem(startOn: delegation.startOn, endOn: delegation.endOn, today: today, training: training, renewalDays: renewal, personName: person.name) {
                throw problem
            }
            guard let id = try await sql.raw("""
                INSERT INTO delegations (site_id, person_id, duties, start_on, end_on, pi_signed_on)
                VALUES (\(bind: siteID), \(bind: person.id), \(bind: delegation.duties.joined(separator: ";")), \(bind: delegation.startOn.iso), \(bind: delegation.endOn?.iso), \(bind: delegation.piSignedOn?.iso))
                RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "delegation", "\(delegation.cpmsID)/\(delegation.siteODS)/delegation/\(id)", old: nil, new: delegation.auditFields, columns: Delegation.auditColumns, context, sql)
        }
    }

    // MARK: Safety events

    public func safetyEvents(cpmsID: Int? = nil) async throws -> [SafetyEvent] {
        var query = SQLQueryString("SELECT r.*, s.cpms_id, o.ods_code FROM safety_events r" + Self.siteJoin)
        if let cpmsID { query = query + " WHERE s.cpms_id = \(bind: cpmsID)" }
        return try await database.sql().raw(query + " ORDER BY r.aware_at DESC, r.id DESC").all().map { row in
            SafetyEvent(
                id: try row.integer("id") ?? 0, cpmsID: try row.integer("cpms_id") ?? 0, siteODS: try row.text("ods_code") ?? "",
                participantID: try row.text("participant_id") ?? "", onsetOn: try row.day("onset_on") ?? Day(ordinal: 0),
                awareAt: try row.text("aware_at").flatMap(LocalTime.fromStored) ?? .distantPast,
                reportedAt: try row.text("reported_at").flatMap(LocalTime.fromStored), summary: try row.text("summary")
            )
        }
    }

    public func add(_ event: SafetyEvent, by context: AuditContext) async throws {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            let siteID = try await Self.siteID(event.cpmsID, event.siteODS, sql)
            guard let id = try await sql.raw("""
                INSERT INTO safety_events (site_id, participant_id, onset_on, aware_at, reported_at, summary)
                VALUES (\(bind: siteID), \(bind: event.participantID), \(bind: event.onsetOn.iso), \(bind: LocalTime.stored(event.awareAt)), \(bind: event.reportedAt.map(LocalTime.stored)), \(bind: event.summary))
                RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "safety-event", "\(event.cpmsID)/\(event.siteODS)/safety-event/\(id)", old: nil, new: event.auditFields, columns: SafetyEvent.auditColumns, context, sql)
        }
    }

    /// Records when an event was reported to the sponsor.
    public func recordReport(eventID: Int, cpmsID: Int, at date: Date, now: Date, by context: AuditContext) async throws {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            guard let event = try await GCPStore(database: transaction).safetyEvents(cpmsID: cpmsID).first(where: { $0.id == eventID }) else {
                throw FieldProblem(column: "event", message: "There is no such safety event in this study.")
            }
            guard event.reportedAt == nil else { throw FieldProblem(column: "reported_at", message: "The report time is already recorded.") }
            guard date >= event.awareAt else { throw FieldProblem(column: "reported_at", message: "is before the team became aware") }
            guard date <= now.addingTimeInterval(60) else { throw FieldProblem(column: "reported_at", message: "is in the future") }
            try await sql.raw("UPDATE safety_events SET reported_at = \(bind: LocalTime.stored(date)) WHERE id = \(bind: eventID)").run()
            try await Self.audit(.change, "safety-event", "\(cpmsID)/\(event.siteODS)/safety-event/\(eventID)", old: [""], new: [LocalTime.stored(date)], columns: ["reported_at"], context, sql)
        }
    }

    public func safetyLimitHours(cpmsID: Int) async throws -> Int {
        try await database.sql().raw("SELECT l.report_limit_hours FROM study_safety_limits l JOIN studies s ON s.id = l.study_id WHERE s.cpms_id = \(bind: cpmsID)")
            .first()?.integer("report_limit_hours") ?? Self.defaultSafetyLimitHours
    }

    public func safetyLimits() async throws -> [Int: Int] {
        var limits: [Int: Int] = [:]
        for row in try await database.sql().raw("SELECT s.cpms_id, l.report_limit_hours FROM study_safety_limits l JOIN studies s ON s.id = l.study_id").all() {
            if let id = try row.integer("cpms_id"), let hours = try row.integer("report_limit_hours") { limits[id] = hours }
        }
        return limits
    }

    public func setSafetyLimit(cpmsID: Int, hours: Int, by context: AuditContext) async throws {
        guard (1...720).contains(hours) else { throw FieldProblem(column: "report_limit_hours", message: "must be a whole number of hours from 1 to 720") }
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            guard let studyID = try await sql.raw("SELECT id FROM studies WHERE cpms_id = \(bind: cpmsID)").first()?.integer("id") else {
                throw FieldProblem(column: "cpms_id", message: "There is no study with CPMS ID \(cpmsID).")
            }
            let old = try await GCPStore(database: transaction).safetyLimitHours(cpmsID: cpmsID)
            guard old != hours else { return }
            try await sql.raw("DELETE FROM study_safety_limits WHERE study_id = \(bind: studyID)").run()
            try await sql.raw("INSERT INTO study_safety_limits (study_id, report_limit_hours) VALUES (\(bind: studyID), \(bind: hours))").run()
            try await Self.audit(.change, "safety-limit", String(cpmsID), old: [String(old)], new: [String(hours)], columns: ["report_limit_hours"], context, sql)
        }
    }

    // MARK: Deviations, monitoring and documents

    public func deviations(cpmsID: Int) async throws -> [Deviation] {
        try await database.sql().raw(SQLQueryString("SELECT r.*, s.cpms_id, o.ods_code FROM deviations r" + Self.siteJoin) + " WHERE s.cpms_id = \(bind: cpmsID) ORDER BY r.occurred_on DESC, r.id DESC").all().map { row in
            Deviation(
                id: try row.integer("id") ?? 0, cpmsID: cpmsID, siteODS: try row.text("ods_code") ?? "", occurredOn: try row.day("occurred_on") ?? Day(ordinal: 0),
                description: try row.text("description") ?? "", important: try row.boolean("important") ?? false,
                correctiveAction: try row.text("corrective_action"), preventiveAction: try row.text("preventive_action")
            )
        }
    }

    public func add(_ deviation: Deviation, by context: AuditContext) async throws {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            let siteID = try await Self.siteID(deviation.cpmsID, deviation.siteODS, sql)
            guard let id = try await sql.raw("""
                INSERT INTO deviations (site_id, occurred_on, description, important, corrective_action, preventive_action)
                VALUES (\(bind: siteID), \(bind: deviation.occurredOn.iso), \(bind: deviation.description), \(bind: deviation.important), \(bind: deviation.correctiveAction), \(bind: deviation.preventiveAction))
                RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "deviation", "\(deviation.cpmsID)/\(deviation.siteODS)/deviation/\(id)", old: nil, new: deviation.auditFields, columns: Deviation.auditColumns, context, sql)
        }
    }

    public func visits(cpmsID: Int? = nil) async throws -> [MonitoringVisit] {
        let sql = try database.sql()
        var query = SQLQueryString("SELECT r.*, s.cpms_id, o.ods_code FROM monitoring_visits r" + Self.siteJoin)
        if let cpmsID { query = query + " WHERE s.cpms_id = \(bind: cpmsID)" }
        var visits = try await sql.raw(query + " ORDER BY r.visited_on DESC, r.id DESC").all().map { row in
            MonitoringVisit(id: try row.integer("id") ?? 0, cpmsID: try row.integer("cpms_id") ?? 0, siteODS: try row.text("ods_code") ?? "",
                            visitedOn: try row.day("visited_on") ?? Day(ordinal: 0), monitor: try row.text("monitor") ?? "", findings: try row.text("findings"))
        }
        let ids = Set(visits.map(\.id))
        var actions: [Int: [MonitoringAction]] = [:]
        for row in try await sql.raw("SELECT * FROM monitoring_actions ORDER BY due_on, id").all() {
            let action = MonitoringAction(id: try row.integer("id") ?? 0, visitID: try row.integer("visit_id") ?? 0, action: try row.text("action") ?? "",
                                          dueOn: try row.day("due_on") ?? Day(ordinal: 0), doneOn: try row.day("done_on"))
            if ids.contains(action.visitID) { actions[action.visitID, default: []].append(action) }
        }
        for index in visits.indices { visits[index].actions = actions[visits[index].id] ?? [] }
        return visits
    }

    @discardableResult
    public func add(_ visit: MonitoringVisit, by context: AuditContext) async throws -> Int {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            let siteID = try await Self.siteID(visit.cpmsID, visit.siteODS, sql)
            guard let id = try await sql.raw("""
                INSERT INTO monitoring_visits (site_id, visited_on, monitor, findings) VALUES (\(bind: siteID), \(bind: visit.visitedOn.iso), \(bind: visit.monitor), \(bind: visit.findings)) RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "monitoring-visit", "\(visit.cpmsID)/\(visit.siteODS)/monitoring-visit/\(id)", old: nil, new: visit.auditFields, columns: MonitoringVisit.auditColumns, context, sql)
            return id
        }
    }

    /// Adds an action to a visit of this study.
    public func add(_ action: MonitoringAction, cpmsID: Int, by context: AuditContext) async throws {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            guard let visit = try await GCPStore(database: transaction).visits(cpmsID: cpmsID).first(where: { $0.id == action.visitID }) else {
                throw FieldProblem(column: "visit", message: "There is no such monitoring visit in this study.")
            }
            if action.dueOn < visit.visitedOn { throw FieldProblem(column: "due_on", message: "is before the visit") }
            guard let id = try await sql.raw("""
                INSERT INTO monitoring_actions (visit_id, action, due_on, done_on) VALUES (\(bind: visit.id), \(bind: action.action), \(bind: action.dueOn.iso), \(bind: action.doneOn?.iso)) RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "monitoring-action", "\(cpmsID)/\(visit.siteODS)/monitoring-visit/\(visit.id)/action/\(id)", old: nil, new: action.auditFields, columns: MonitoringAction.auditColumns, context, sql)
        }
    }

    /// Marks an action done.
    public func complete(actionID: Int, cpmsID: Int, on day: Day, by context: AuditContext) async throws {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            let visits = try await GCPStore(database: transaction).visits(cpmsID: cpmsID)
            guard let visit = visits.first(where: { $0.actions.contains { $0.id == actionID } }),
                  let action = visit.actions.first(where: { $0.id == actionID }) else {
                throw FieldProblem(column: "action", message: "There is no such action in this study.")
            }
            guard action.doneOn == nil else { throw FieldProblem(column: "done_on", message: "The action is already done.") }
            try await sql.raw("UPDATE monitoring_actions SET done_on = \(bind: day.iso) WHERE id = \(bind: actionID)").run()
            try await Self.audit(.change, "monitoring-action", "\(cpmsID)/\(visit.siteODS)/monitoring-visit/\(visit.id)/action/\(actionID)", old: [""], new: [day.iso], columns: ["done_on"], context, sql)
        }
    }

    public func documents(cpmsID: Int) async throws -> [EssentialDocument] {
        try await database.sql().raw("SELECT d.* FROM documents d JOIN studies s ON s.id = d.study_id WHERE s.cpms_id = \(bind: cpmsID) ORDER BY d.name, d.dated_on DESC, d.id DESC").all().map { row in
            EssentialDocument(id: try row.integer("id") ?? 0, cpmsID: cpmsID, name: try row.text("name") ?? "", version: try row.text("version") ?? "",
                              datedOn: try row.day("dated_on") ?? Day(ordinal: 0), status: try row.code("status", EssentialDocument.Status.self) ?? .draft,
                              approver: try row.text("approver"))
        }
    }

    /// Adds a version of a document. An approved version supersedes the earlier approved ones, which stay on record.
    public func add(_ document: EssentialDocument, by context: AuditContext) async throws {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            guard let studyID = try await sql.raw("SELECT id FROM studies WHERE cpms_id = \(bind: document.cpmsID)").first()?.integer("id") else {
                throw FieldProblem(column: "cpms_id", message: "There is no study with CPMS ID \(document.cpmsID).")
            }
            let existing = try await GCPStore(database: transaction).documents(cpmsID: document.cpmsID).filter { $0.name == document.name }
            if existing.contains(where: { $0.version == document.version }) {
                throw FieldProblem(column: "version", message: "Version \(document.version) of \(document.name) is already recorded; give the new version its own number.")
            }
            var events: [AuditEntry] = []
            if document.status == .approved {
                for earlier in existing where earlier.status == .approved {
                    try await sql.raw("UPDATE documents SET status = 'superseded' WHERE id = \(bind: earlier.id)").run()
                    events.append(AuditEntry(action: .change, recordType: "document", recordKey: "\(document.cpmsID)/document/\(earlier.id)",
                                             changes: [FieldChange(field: "status", old: "approved", new: "superseded")]))
                }
            }
            guard let id = try await sql.raw("""
                INSERT INTO documents (study_id, name, version, dated_on, status, approver)
                VALUES (\(bind: studyID), \(bind: document.name), \(bind: document.version), \(bind: document.datedOn.iso), \(bind: document.status.rawValue), \(bind: document.approver))
                RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            events.insert(AuditEntry(action: .create, recordType: "document", recordKey: "\(document.cpmsID)/document/\(id)",
                                     changes: FieldChange.between(old: nil, new: document.auditFields, columns: EssentialDocument.auditColumns)), at: 0)
            try await AuditTrail.append(events, context, sql)
        }
    }

    public func records(cpmsID: Int) async throws -> StudyGCPRecords {
        StudyGCPRecords(
            delegations: try await delegations(cpmsID: cpmsID), safetyEvents: try await safetyEvents(cpmsID: cpmsID),
            safetyLimitHours: try await safetyLimitHours(cpmsID: cpmsID), deviations: try await deviations(cpmsID: cpmsID),
            visits: try await visits(cpmsID: cpmsID), documents: try await documents(cpmsID: cpmsID)
        )
    }

    // MARK: Helpers

    static func siteID(_ cpmsID: Int, _ odsCode: String, _ sql: any SQLDatabase) async throws -> Int {
        guard let id = try await sql.raw("""
            SELECT x.id FROM sites x JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id
            WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode)
            """).first()?.integer("id") else {
            throw FieldProblem(column: "site_ods", message: "\(odsCode) is not a site of CPMS \(cpmsID).")
        }
        return id
    }

    static func audit(_ action: AuditAction, _ type: String, _ key: String, old: [String]?, new: [String], columns: [String], _ context: AuditContext, _ sql: any SQLDatabase) async throws {
        let entry = AuditEntry(action: action, recordType: type, recordKey: key, changes: FieldChange.between(old: old, new: new, columns: columns))
        try await AuditTrail.append([entry], context, sql)
    }
}
