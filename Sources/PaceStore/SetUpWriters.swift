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

/// What a batch's capacity-and-capability steps held before it was written, so the site's
/// `date_site_confirmed` follows a completion that is moved or undone. One writer serves one write.
final class CapacityMemory: @unchecked Sendable {
    /// By "site id|step": the stored step's completion (nil while open); absent when the step is new.
    var completed: [String: Day?] = [:]
}

/// Set-up steps: the step must be in the office's list, and completing the confirmation of capacity
/// and capability records the site's `date_site_confirmed` (in the same transaction, audited), so the
/// date is never typed twice. A completion the step recorded moves with it, and goes when the step is
/// reopened; a date the site got some other way is never overwritten.
struct SetUpStepWriter: RecordWriter {
    static let keyColumn = "step"
    static let table = "set_up_steps"
    static let conflictKey = ["site_id", "step"]
    static let needs = (studies: true, organisations: true, sites: true)

    let memory = CapacityMemory()
    /// The change comes with a reason: it may move a date already reported in an earlier quarter's return.
    var reasonGiven = false

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
        for (index, record) in records.enumerated() where !known.contains(SetUpStepKind.baseCode(of: record.step, in: kinds)) {
            problems.append((index, FieldProblem(column: "step", message: "'\(record.step)' is not in the office's list of set-up steps (\(kinds.map(\.code).joined(separator: ", "))): use one of these, or add the step to the list first")))
        }
        let confirming = batch.indices.filter { records[$0].confirmsCapacity }
        guard !confirming.isEmpty else { return problems }
        let siteIDs = confirming.map { batch[$0].key.siteID }
        let sites = try await Self.sites(siteIDs, sql)
        let binds = Set(siteIDs).sorted().map { $0 as any Encodable & Sendable }
        for row in try await sql.raw("SELECT site_id, step, completed FROM set_up_steps WHERE site_id IN (\(binds: binds))").all() {
            let step = try row.decode(column: "step", as: String.self)
            guard SetUpStepKind.isInstance(step, of: SetUpStepKind.capacityAndCapability) else { continue }
            memory.completed["\(try row.decode(column: "site_id", as: Int.self))|\(step)"] = .some(try row.day("completed"))
        }
        for index in confirming {
            let quarterStart = FinancialQuarter(containing: Day.today()).firstDay
            if records[index].completed == nil, !reasonGiven, let site = sites[batch[index].key.siteID], let recorded = site.dateSiteConfirmed,
               recorded == (memory.completed["\(batch[index].key.siteID)|\(records[index].step)"] ?? nil), recorded < quarterStart {
                problems.append((index, FieldProblem(column: "reason", message: "Reopening this step takes away the date the site confirmed capacity and capability, \(recorded.longText), reported in an earlier quarter's return: give the reason for the correction.")))
            }
            guard let completed = records[index].completed, var site = sites[batch[index].key.siteID] else { continue }
            let before = memory.completed["\(batch[index].key.siteID)|\(records[index].step)"] ?? nil
            if let recorded = site.dateSiteConfirmed, recorded != completed, recorded != before {
                problems.append((index, FieldProblem(column: "completed", message: "The site's date of confirming capacity and capability is already recorded as \(recorded.longText), on the site's milestones: completing this step records that date, so the two must agree. Correct the one that is wrong.")))
                continue
            }
            // The site's date changes with the step, and a date in an earlier quarter's return changes only with a reason.
            if !reasonGiven, site.dateSiteConfirmed != completed, [site.dateSiteConfirmed, completed].contains(where: { ($0 ?? quarterStart) < quarterStart }) {
                problems.append((index, FieldProblem(column: "reason", message: "Completing this step on \(completed.longText) sets the date the site confirmed capacity and capability\(site.dateSiteConfirmed.map { " (now \($0.longText))" } ?? ""), a date reported in an earlier quarter's return: give the reason for the correction.")))
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
        let confirming = batch.indices.filter { records[$0].confirmsCapacity }
        guard !confirming.isEmpty else { return [] }
        let sites = try await Self.sites(confirming.map { batch[$0].key.siteID }, sql)
        var entries: [AuditEntry] = []
        for index in confirming {
            guard let old = sites[batch[index].key.siteID] else { continue }
            let before = memory.completed["\(batch[index].key.siteID)|\(records[index].step)"] ?? nil
            let completed = records[index].completed
            // The site's date follows the step when it is the step's own (or there is none yet).
            guard old.dateSiteConfirmed != completed, old.dateSiteConfirmed == nil || old.dateSiteConfirmed == before else { continue }
            guard completed != nil || old.dateSiteConfirmed != nil else { continue }
            let row = batch[index].row
            let stamp = { (column: String) -> String? in
                guard let position = row.columns.firstIndex(of: column), case .text(let text) = row.values[position] else { return nil }
                return text
            }
            entries.append(try await Self.setConfirmed(old, to: completed, siteID: batch[index].key.siteID, at: stamp("last_changed"), by: stamp("last_changed_by"), sql))
        }
        return entries
    }

    /// Writes a site's `date_site_confirmed` and answers the audit entry for the change.
    static func setConfirmed(_ old: Site, to day: Day?, siteID: Int, at: String?, by: String?, _ sql: any SQLDatabase) async throws -> AuditEntry {
        try await sql.raw("""
            UPDATE sites SET date_site_confirmed = \(bind: day?.iso), last_changed = \(bind: at), last_changed_by = \(bind: by) WHERE id = \(bind: siteID)
            """).run()
        var new = old
        new.dateSiteConfirmed = day
        let subject = AuditSubject(new)
        return AuditEntry(action: .change, recordType: subject.type, recordKey: subject.key, changes: FieldChange.between(old, new))
    }
}

struct AmendmentWriter: RecordWriter {
    static let keyColumn = "amendment_ref"
    static let table = "amendments"
    static let conflictKey = ["site_id", "amendment_ref"]
    static let needs = (studies: true, organisations: true, sites: true)

    /// A reference that differs from one already at the site only in capitals is the same amendment
    /// typed differently: two clocks for one amendment would double it on every list.
    func checkAgainstRegister(_ batch: [ResolvedRecord<AmendmentKey>], records: [Amendment], guard: RecruitmentGuard, _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)] {
        guard !batch.isEmpty else { return [] }
        let binds = Set(batch.map(\.key.siteID)).sorted().map { $0 as any Encodable & Sendable }
        var stored: [Int: [String]] = [:]
        for row in try await sql.raw("SELECT site_id, amendment_ref FROM amendments WHERE site_id IN (\(binds: binds))").all() {
            stored[try row.decode(column: "site_id", as: Int.self), default: []].append(try row.decode(column: "amendment_ref", as: String.self))
        }
        return batch.indices.compactMap { index in
            let reference = records[index].reference
            guard let other = stored[batch[index].key.siteID]?.first(where: { $0 != reference && $0.lowercased() == reference.lowercased() }) else { return nil }
            return (index, FieldProblem(column: "amendment_ref", message: "'\(reference)' is recorded at this site already as \(other): use \(other) to change it"))
        }
    }

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
