import FluentKit
import Foundation
import PaceCore
import SQLKit

/// The office's duty list and each site's delegation log.
extension GCPStore {
    public func duties() async throws -> [DelegationDuty] {
        try await database.sql().raw("SELECT code, name FROM delegation_duties ORDER BY name").all().map { row in
            DelegationDuty(code: try row.text("code") ?? "", name: try row.text("name") ?? "")
        }
    }

    public func add(_ duty: DelegationDuty, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
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
        try await database.writeTransaction { transaction in
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

    /// Ends a line of the delegation log (the person left the study, or the duty moved on); the line stays.
    public func endDelegation(id: Int, cpmsID: Int, on day: Day, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let delegation = try await GCPStore(database: transaction).delegations(cpmsID: cpmsID).first(where: { $0.id == id }) else {
                throw FieldProblem(column: "delegation_id", message: "There is no such line in this study's delegation log.")
            }
            guard delegation.endOn == nil else { throw FieldProblem(column: "end_on", message: "This delegation has already ended.") }
            guard day >= delegation.startOn else { throw FieldProblem(column: "end_on", message: "is before the delegation started (\(delegation.startOn.iso))") }
            try await sql.raw("UPDATE delegations SET end_on = \(bind: day.iso) WHERE id = \(bind: id)").run()
            try await Self.audit(.change, "delegation", "\(cpmsID)/\(delegation.siteODS)/delegation/\(id)", old: [""], new: [day.iso], columns: ["end_on"], context, sql)
        }
    }
}
