import PaceCore
import SQLKit

struct SetUpStepKey: Hashable, Sendable {
    let siteID: Int
    let step: String
}

struct AmendmentKey: Hashable, Sendable {
    let siteID: Int
    let reference: String
}

/// Set-up steps: the step must be in the office's list, and completing the confirmation of capacity
/// and capability records the site's `date_site_confirmed` (in the same transaction, audited), so the
/// date is never typed twice.
struct SetUpStepWriter: RecordWriter {
    static let keyColumn = "step"
    static let table = "set_up_steps"
    static let conflictKey = ["site_id", "step"]
    static let needs = (studies: true, organisations: true, sites: true)

    func resolve(_ record: SetUpStep, _ references: References) -> Result<ResolvedRecord<SetUpStepKey>, FieldProblem> {
        references.siteFacts(cpmsID: record.cpmsID, odsCode: record.siteODS).map { site in
            ResolvedRecord(key: SetUpStepKey(siteID: site.id, step: record.step), row: TableRow([
                "site_id": .integer(site.id),
                "step": .text(record.step),
                "held_by": .code(record.heldBy),
                "started": .day(record.started),
                "completed": .day(record.completed),
                "owner": .text(record.owner),
                "outcome": .text(record.outcome),
                "note": .text(record.note),
            ]))
        }
    }

    func checkAgainstRegister(_ batch: [ResolvedRecord<SetUpStepKey>], records: [SetUpStep], guard: RecruitmentGuard, _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)] {
        var problems: [(Int, FieldProblem)] = []
        let kinds = try await Register.setUpStepKinds(sql)
        let known = Set(kinds.map(\.code))
        for (index, record) in records.enumerated() where !known.contains(record.step) {
            problems.append((index, FieldProblem(column: "step", message: "'\(record.step)' is not in the office's list of set-up steps (\(kinds.map(\.code).joined(separator: ", "))): use one of these, or add the step to the list first")))
        }
        let confirming = batch.indices.filter { records[$0].confirmsCapacity && records[$0].completed != nil }
        guard !confirming.isEmpty else { return problems }
        let sites = try await Self.sites(confirming.map { batch[$0].key.siteID }, sql)
        for index in confirming {
            guard let completed = records[index].completed, var site = sites[batch[index].key.siteID] else { continue }
            if let recorded = site.dateSiteConfirmed {
                if recorded != completed {
                    problems.append((index, FieldProblem(column: "completed", message: "The site's date of confirming capacity and capability is already recorded as \(recorded.longText): completing this step records that date, so the two must agree. Correct the one that is wrong.")))
                }
                continue
            }
            site.dateSiteConfirmed = completed
            for orderBreak in SetUpOrder.breaks(site) where orderBreak.later == .confirmed || orderBreak.earlier == .confirmed {
                problems.append((index, FieldProblem(column: "completed", message: "Completing this step confirms capacity and capability on \(completed.longText), but \(orderBreak.message.prefix(1).lowercased() + orderBreak.message.dropFirst())")))
            }
        }
        return problems
    }

    static func sites(_ ids: [Int], _ sql: any SQLDatabase) async throws -> [Int: Site] {
        let binds = Set(ids).sorted().map { $0 as any Encodable & Sendable }
        var found: [Int: Site] = [:]
        for row in try await sql.raw(RegisterSQL.siteSelect() + " WHERE x.id IN (\(binds: binds))").all() {
            found[try row.decode(column: "id", as: Int.self)] = try row.site()
        }
        return found
    }

    func sideEffects(_ batch: [ResolvedRecord<SetUpStepKey>], records: [SetUpStep], _ sql: any SQLDatabase) async throws -> [AuditEntry] {
        let confirming = batch.indices.filter { records[$0].confirmsCapacity && records[$0].completed != nil }
        guard !confirming.isEmpty else { return [] }
        let sites = try await Self.sites(confirming.map { batch[$0].key.siteID }, sql)
        var entries: [AuditEntry] = []
        for index in confirming {
            guard let completed = records[index].completed, let old = sites[batch[index].key.siteID], old.dateSiteConfirmed == nil else { continue }
            let row = batch[index].row
            let stamp = { (column: String) -> String? in
                guard let position = row.columns.firstIndex(of: column), case .text(let text) = row.values[position] else { return nil }
                return text
            }
            try await sql.raw("""
                UPDATE sites SET date_site_confirmed = \(bind: completed.iso), last_changed = \(bind: stamp("last_changed")), last_changed_by = \(bind: stamp("last_changed_by"))
                WHERE id = \(bind: batch[index].key.siteID)
                """).run()
            var new = old
            new.dateSiteConfirmed = completed
            let subject = AuditSubject(new)
            entries.append(AuditEntry(action: .change, recordType: subject.type, recordKey: subject.key, changes: FieldChange.between(old, new)))
        }
        return entries
    }
}

struct AmendmentWriter: RecordWriter {
    static let keyColumn = "amendment_ref"
    static let table = "amendments"
    static let conflictKey = ["site_id", "amendment_ref"]
    static let needs = (studies: true, organisations: true, sites: true)

    func resolve(_ record: Amendment, _ references: References) -> Result<ResolvedRecord<AmendmentKey>, FieldProblem> {
        references.siteFacts(cpmsID: record.cpmsID, odsCode: record.siteODS).map { site in
            ResolvedRecord(key: AmendmentKey(siteID: site.id, reference: record.reference), row: TableRow([
                "site_id": .integer(site.id),
                "amendment_ref": .text(record.reference),
                "received": .day(record.received),
                "category": .code(record.category),
                "needs_reconfirmation": .boolean(record.needsReconfirmation),
                "assessed": .day(record.assessed),
                "implemented": .day(record.implemented),
                "description": .text(record.description),
            ]))
        }
    }
}

extension SQLKitRow {
    func setUpStep() throws -> SetUpStep? {
        guard let started = try day("started"), let holder = try code("held_by", SetUpHolder.self) else { return nil }
        return SetUpStep(cpmsID: try integer("cpms_id") ?? 0, siteODS: try text("site_ods") ?? "", step: try text("step") ?? "", heldBy: holder,
                         started: started, completed: try day("completed"), owner: try text("owner"), outcome: try text("outcome"), note: try text("note"))
    }

    func amendment() throws -> Amendment? {
        guard let received = try day("received") else { return nil }
        return Amendment(cpmsID: try integer("cpms_id") ?? 0, siteODS: try text("site_ods") ?? "", reference: try text("amendment_ref") ?? "",
                         received: received, category: try code("category", AmendmentCategory.self), needsReconfirmation: try boolean("needs_reconfirmation"),
                         assessed: try day("assessed"), implemented: try day("implemented"), description: try text("description"))
    }
}

extension SQLRow {
    func setUpStep() throws -> SetUpStep? { try SQLKitRow(row: self).setUpStep() }
    func amendment() throws -> Amendment? { try SQLKitRow(row: self).amendment() }
}

extension RegisterSQL {
    static let setUpStepSelect: SQLQueryString = """
        SELECT t.*, s.cpms_id AS cpms_id, o.ods_code AS site_ods FROM set_up_steps t JOIN sites x ON x.id = t.site_id
        JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id
        """

    static let amendmentSelect: SQLQueryString = """
        SELECT a.*, s.cpms_id AS cpms_id, o.ods_code AS site_ods FROM amendments a JOIN sites x ON x.id = a.site_id
        JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id
        """
}
