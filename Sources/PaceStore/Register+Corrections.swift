import FluentKit
import PaceCore
import SQLKit

/// Correcting and removing records. Each needs a reason; a removal takes the record out of every
/// report at once (roll-ups are refreshed in the same transaction) and leaves an audit event with
/// every value it held, who removed it, when and why.
extension Register {
    /// Changes a participant or count that exists, through the same checks as a new one.
    public func correct(_ participant: Participant, by context: AuditContext) async throws {
        try Self.requireReason(context)
        try await save(participant, .update, by: context)
    }

    public func correct(_ count: RecruitmentCount, by context: AuditContext) async throws {
        try Self.requireReason(context)
        try await save(count, .update, by: context)
    }

    public func removeParticipant(cpmsID: Int, odsCode: String, participantID: String, by context: AuditContext) async throws {
        try Self.requireReason(context)
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let row = try await sql.raw(RegisterSQL.participantSelect + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode) AND p.participant_id = \(bind: participantID)").first() else {
                throw FieldProblem(column: "participant_id", message: "participant \(participantID) of CPMS \(cpmsID) at \(odsCode) does not exist")
            }
            let old = try row.participant()
            let siteID = try row.decode(column: "site_id", as: Int.self)
            try await sql.raw("DELETE FROM participants WHERE id = \(bind: try row.decode(column: "id", as: Int.self))").run()
            try await RecruitmentRollups.refresh(sites: [siteID], recomputeRecruitmentDays: false, sql)
            try await Self.auditRemoval(old, context, sql)
        }
    }

    public func removeCount(cpmsID: Int, odsCode: String, periodStart: Day, by context: AuditContext) async throws {
        try Self.requireReason(context)
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let row = try await sql.raw(RegisterSQL.countSelect + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode) AND c.period_start = \(bind: periodStart.iso)").first(),
                  let old = try row.recruitmentCount() else {
                throw FieldProblem(column: "period_start", message: "the count of CPMS \(cpmsID) at \(odsCode) from \(periodStart.longText) does not exist")
            }
            let siteID = try row.decode(column: "site_id", as: Int.self)
            try await sql.raw("DELETE FROM recruitment_counts WHERE id = \(bind: try row.decode(column: "id", as: Int.self))").run()
            try await RecruitmentRollups.refresh(sites: [siteID], recomputeRecruitmentDays: false, sql)
            try await Self.auditRemoval(old, context, sql)
        }
    }

    /// Removes a site that holds no recruitment and no GCP records.
    public func removeSite(cpmsID: Int, odsCode: String, by context: AuditContext) async throws {
        try Self.requireReason(context)
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let row = try await sql.raw(RegisterSQL.siteSelect() + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode)").first() else {
                throw FieldProblem(column: "site_ods", message: "\(odsCode) as a site of CPMS \(cpmsID) does not exist")
            }
            let id = try row.decode(column: "id", as: Int.self)
            try await Self.refuseWhileUsed("\(odsCode) cannot be removed from CPMS \(cpmsID)", [
                (("participant record", "participant records"), "SELECT COUNT(*) AS n FROM participants WHERE site_id = \(id)"),
                (("recruitment count", "recruitment counts"), "SELECT COUNT(*) AS n FROM recruitment_counts WHERE site_id = \(id)"),
                (("delegation log entry", "delegation log entries"), "SELECT COUNT(*) AS n FROM delegations WHERE site_id = \(id)"),
                (("safety event", "safety events"), "SELECT COUNT(*) AS n FROM safety_events WHERE site_id = \(id)"),
                (("deviation", "deviations"), "SELECT COUNT(*) AS n FROM deviations WHERE site_id = \(id)"),
                (("monitoring visit", "monitoring visits"), "SELECT COUNT(*) AS n FROM monitoring_visits WHERE site_id = \(id)"),
                (("set-up step", "set-up steps"), "SELECT COUNT(*) AS n FROM set_up_steps WHERE site_id = \(id)"),
                (("amendment", "amendments"), "SELECT COUNT(*) AS n FROM amendments WHERE site_id = \(id)"),
            ], sql)
            let old = try row.site()
            try await sql.raw("DELETE FROM sites WHERE id = \(bind: id)").run()
            try await Self.auditRemoval(old, context, sql)
        }
    }

    /// Removes a study with no sites, documents, safety limits or team members.
    public func removeStudy(cpmsID: Int, by context: AuditContext) async throws {
        try Self.requireReason(context)
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let register = Register(database: transaction)
            guard let old = try await register.study(cpmsID)?.study,
                  let id = try await sql.raw("SELECT id FROM studies WHERE cpms_id = \(bind: cpmsID)").first()?.decode(column: "id", as: Int.self) else {
                throw FieldProblem(column: "cpms_id", message: "the study with CPMS ID \(cpmsID) does not exist")
            }
            try await Self.refuseWhileUsed("CPMS \(cpmsID) cannot be removed", [
                (("site", "sites"), "SELECT COUNT(*) AS n FROM sites WHERE study_id = \(id)"),
                (("essential document", "essential documents"), "SELECT COUNT(*) AS n FROM documents WHERE study_id = \(id)"),
                (("safety reporting limit", "safety reporting limits"), "SELECT COUNT(*) AS n FROM study_safety_limits WHERE study_id = \(id)"),
                (("study team or monitor account", "study team and monitor accounts"), "SELECT COUNT(*) AS n FROM user_studies WHERE cpms_id = \(cpmsID)"),
            ], sql)
            try await sql.raw("DELETE FROM studies WHERE id = \(bind: id)").run()
            try await Self.auditRemoval(old, context, sql)
        }
    }

    /// Removes an organisation no study, site, participant or account points at.
    public func removeOrganisation(odsCode: String, by context: AuditContext) async throws {
        try Self.requireReason(context)
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let row = try await sql.raw("SELECT * FROM organisations WHERE ods_code = \(bind: odsCode)").first() else {
                throw FieldProblem(column: "ods_code", message: "the organisation with code \(odsCode) does not exist")
            }
            let id = try row.decode(column: "id", as: Int.self)
            try await Self.refuseWhileUsed("\(odsCode) cannot be removed", [
                (("site", "sites"), "SELECT COUNT(*) AS n FROM sites WHERE organisation_id = \(id)"),
                (("study partnership", "study partnerships"), "SELECT COUNT(*) AS n FROM study_organisations WHERE organisation_id = \(id)"),
                (("participant it identified", "participants it identified"), "SELECT COUNT(*) AS n FROM participants WHERE identified_by_id = \(id)"),
            ], sql)
            let old = try row.organisation()
            try await sql.raw("DELETE FROM organisations WHERE id = \(bind: id)").run()
            try await Self.auditRemoval(old, context, sql)
        }
    }

    static func requireReason(_ context: AuditContext) throws {
        guard Reason.isGiven(context.reason) else {
            throw FieldProblem(column: "reason", message: "Give the reason for the correction: it is kept in the audit trail with the change.")
        }
        // The same rules as every other reason: one line, at most 500 characters.
        if let problem = Reason.problem(context.reason) { throw FieldProblem(column: "reason", message: problem) }
    }

    /// Refuses with every kind of record that still points at the one being removed, and how many.
    private static func refuseWhileUsed(_ lead: String, _ checks: [((one: String, many: String), String)], _ sql: any SQLDatabase) async throws {
        var held: [String] = []
        for (name, query) in checks {
            let count = try await sql.raw(SQLQueryString(query)).first()?.integer("n") ?? 0
            if count > 0 { held.append("\(count) \(count == 1 ? name.one : name.many)") }
        }
        guard held.isEmpty else {
            throw RecordInUse(message: "\(lead): it still has \(held.joined(separator: ", ")). Remove those first.")
        }
    }

    static func auditRemoval<Record: InterchangeRecord>(_ old: Record, _ context: AuditContext, _ sql: any SQLDatabase) async throws {
        let subject = AuditSubject(old)
        try await AuditTrail.append([AuditEntry(action: .delete, recordType: subject.type, recordKey: subject.key, changes: FieldChange.between(old, nil))], context, sql)
    }
}

/// A record other records still point at: removing it would leave them pointing at nothing.
public struct RecordInUse: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension Register {
    /// A participant found by its row number within its site, for pages that must not put the
    /// pseudonym in an address.
    public func participant(rowID: Int, cpmsID: Int, odsCode: String) async throws -> Participant? {
        try await database.sql().raw(RegisterSQL.participantSelect + " WHERE p.id = \(bind: rowID) AND s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode)")
            .first()?.participant()
    }

    public func count(cpmsID: Int, odsCode: String, periodStart: Day) async throws -> RecruitmentCount? {
        try await database.sql().raw(RegisterSQL.countSelect + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode) AND c.period_start = \(bind: periodStart.iso)")
            .first()?.recruitmentCount()
    }
}
