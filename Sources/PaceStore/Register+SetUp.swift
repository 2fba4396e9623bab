import FluentKit
import PaceCore
import SQLKit

/// Set-up work and amendments: reading them for the site page, the portfolio's set-up list and the
/// reports, the office's list of steps, and removing a record entered in error.
extension Register {
    static func setUpStepKinds(_ sql: any SQLDatabase) async throws -> [SetUpStepKind] {
        try await sql.raw("SELECT code, name, usual_holder FROM set_up_step_kinds ORDER BY position, code").all().map { row in
            SetUpStepKind(code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                          usualHolder: SetUpHolder(rawValue: try row.decode(column: "usual_holder", as: String.self)) ?? .provider)
        }
    }

    /// The office's own list of set-up steps, in the order set-up usually runs.
    public func setUpStepKinds() async throws -> [SetUpStepKind] {
        try await Self.setUpStepKinds(database.sql())
    }

    /// Adds a step to the office's list; its code is made from the name.
    @discardableResult
    public func addSetUpStepKind(name: String, usualHolder: SetUpHolder, by context: AuditContext) async throws -> SetUpStepKind {
        var row = RowReader(values: ["name": name])
        guard let trimmed = row.text("name", required: true, maxLength: 100) else {
            throw row.problems.first.map { FieldProblem(column: "name", message: "The step's name \($0.message)") } ?? FieldProblem(column: "name", message: "Enter the step's name")
        }
        let code = SetUpStepKind.code(fromName: trimmed)
        if let problem = SetUpStepKind.codeProblem(code) { throw FieldProblem(column: "name", message: "Use letters or digits in the step's name: \(problem)") }
        let kind = SetUpStepKind(code: code, name: trimmed, usualHolder: usualHolder)
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let kinds = try await Self.setUpStepKinds(sql)
            if kinds.contains(where: { $0.code == code }) {
                throw FieldProblem(column: "name", message: "The list already has a step called \(SetUpStepKind.name(of: code, in: kinds)) (\(code))")
            }
            try await sql.insert(into: "set_up_step_kinds").columns("code", "name", "usual_holder", "position")
                .values(SQLBind(code), SQLBind(trimmed), SQLBind(usualHolder.rawValue), SQLBind(kinds.count)).run()
            try await AuditTrail.append([AuditEntry(action: .create, recordType: "set-up-step-kind", recordKey: code, changes: [
                FieldChange(field: "name", old: nil, new: trimmed), FieldChange(field: "usual_holder", old: nil, new: usualHolder.rawValue),
            ])], context, sql)
        }
        return kind
    }

    public func setUpSteps(_ scope: SiteScope) async throws -> [SetUpStep] {
        try await database.sql().raw(RegisterSQL.setUpStepSelect + " WHERE " + scope.condition + " ORDER BY s.cpms_id, o.ods_code, t.started, t.step")
            .all().compactMap { try $0.setUpStep() }
    }

    public func amendments(_ scope: SiteScope) async throws -> [Amendment] {
        try await database.sql().raw(RegisterSQL.amendmentSelect + " WHERE " + scope.condition + " ORDER BY s.cpms_id, o.ods_code, a.received, a.amendment_ref")
            .all().compactMap { try $0.amendment() }
    }

    /// One site's steps or amendments.
    public func setUpSteps(cpmsID: Int, odsCode: String) async throws -> [SetUpStep] {
        try await database.sql().raw(RegisterSQL.setUpStepSelect + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode) ORDER BY t.started, t.step")
            .all().compactMap { try $0.setUpStep() }
    }

    public func amendments(cpmsID: Int, odsCode: String) async throws -> [Amendment] {
        try await database.sql().raw(RegisterSQL.amendmentSelect + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode) ORDER BY a.received, a.amendment_ref")
            .all().compactMap { try $0.amendment() }
    }

    public func setUpStep(cpmsID: Int, odsCode: String, step: String) async throws -> SetUpStep? {
        try await database.sql().raw(RegisterSQL.setUpStepSelect + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode) AND t.step = \(bind: step)")
            .first()?.setUpStep()
    }

    public func amendment(cpmsID: Int, odsCode: String, reference: String) async throws -> Amendment? {
        try await database.sql().raw(RegisterSQL.amendmentSelect + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode) AND a.amendment_ref = \(bind: reference)")
            .first()?.amendment()
    }

    /// The `set-up-time` report for a window; the command line, the API and the page all use this.
    public func setUpTimeReport(from start: Day, to end: Day, organisation: String) async throws -> Report {
        SetUpTimeReport.report(try await setUpSteps(.organisation(organisation)), from: start, to: end, organisation: organisation, kinds: try await setUpStepKinds())
    }

    /// The `amendments` report as of a day.
    public func amendmentsReport(on day: Day, organisation: String, rules given: MetricRules? = nil) async throws -> Report {
        let amendments = try await amendments(.organisation(organisation))
        let names = try await studyNames(Set(amendments.map(\.cpmsID)))
        return AmendmentsReport.report(amendments, on: day, organisation: organisation, rules: try await rules(given), studyNames: names)
    }

    func studyNames(_ cpmsIDs: Set<Int>) async throws -> [Int: String] {
        guard !cpmsIDs.isEmpty else { return [:] }
        let binds = cpmsIDs.sorted().map { $0 as any Encodable & Sendable }
        var names: [Int: String] = [:]
        for row in try await database.sql().raw("SELECT cpms_id, short_name FROM studies WHERE cpms_id IN (\(binds: binds))").all() {
            names[try row.decode(column: "cpms_id", as: Int.self)] = try row.decode(column: "short_name", as: String.self)
        }
        return names
    }

    /// Removes a step or amendment entered in error, with the reason, leaving every value it held in the audit trail.
    public func removeSetUpStep(cpmsID: Int, odsCode: String, step: String, by context: AuditContext) async throws {
        try Self.requireReason(context)
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let row = try await sql.raw(RegisterSQL.setUpStepSelect + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode) AND t.step = \(bind: step)").first(),
                  let old = try row.setUpStep() else {
                throw FieldProblem(column: "step", message: "set-up step \(step) of CPMS \(cpmsID) at \(odsCode) does not exist")
            }
            try await sql.raw("DELETE FROM set_up_steps WHERE id = \(bind: try row.decode(column: "id", as: Int.self))").run()
            try await Self.auditRemoval(old, context, sql)
            // A confirmation recorded by mistake takes the site's date it set with it.
            let siteID = try row.decode(column: "site_id", as: Int.self)
            if old.confirmsCapacity, let completed = old.completed, let site = try await SetUpStepWriter.sites([siteID], sql)[siteID], site.dateSiteConfirmed == completed {
                let mark = ChangeMark(by: context)
                let entry = try await SetUpStepWriter.setConfirmed(site, to: nil, siteID: siteID, at: mark.at, by: mark.by, sql)
                try await AuditTrail.append([entry], context, sql)
            }
        }
    }

    public func removeAmendment(cpmsID: Int, odsCode: String, reference: String, by context: AuditContext) async throws {
        try Self.requireReason(context)
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let row = try await sql.raw(RegisterSQL.amendmentSelect + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode) AND a.amendment_ref = \(bind: reference)").first(),
                  let old = try row.amendment() else {
                throw FieldProblem(column: "amendment_ref", message: "amendment \(reference) of CPMS \(cpmsID) at \(odsCode) does not exist")
            }
            try await sql.raw("DELETE FROM amendments WHERE id = \(bind: try row.decode(column: "id", as: Int.self))").run()
            try await Self.auditRemoval(old, context, sql)
        }
    }
}
