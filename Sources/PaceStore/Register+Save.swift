import FluentKit
import PaceCore
import SQLKit

/// Saving one record from a form or the API, through the same writers (and checks) as an import.
extension Register {
    public enum SaveMode: Sendable {
        /// The record must not exist yet.
        case create
        /// The record must exist already.
        case update
    }

    public func save(_ organisation: Organisation, _ mode: SaveMode, by context: AuditContext) async throws {
        try await save(organisation, mode, writer: OrganisationWriter(), context: context)
    }

    public func save(_ study: Study, _ mode: SaveMode, by context: AuditContext) async throws {
        try await save(study, mode, writer: StudyWriter(), context: context)
    }

    public func save(_ site: Site, _ mode: SaveMode, by context: AuditContext) async throws {
        try await save(site, mode, writer: SiteWriter(), context: context)
    }

    public func save(_ participant: Participant, _ mode: SaveMode, by context: AuditContext) async throws {
        try await save(participant, mode, writer: ParticipantWriter(), context: context)
    }

    public func save(_ count: RecruitmentCount, _ mode: SaveMode, by context: AuditContext) async throws {
        try await save(count, mode, writer: RecruitmentCountWriter(), context: context)
    }

    public func save(_ step: SetUpStep, _ mode: SaveMode, by context: AuditContext) async throws {
        try await save(step, mode, writer: SetUpStepWriter(reasonGiven: Reason.isGiven(context.reason)), context: context)
    }

    public func save(_ amendment: Amendment, _ mode: SaveMode, by context: AuditContext) async throws {
        try await save(amendment, mode, writer: AmendmentWriter(), context: context)
    }

    /// Throws a `FieldProblem` naming the field when the record cannot be saved. The change and its
    /// audit event are written in one transaction.
    private func save<Writer: RecordWriter>(_ record: Writer.Record, _ mode: SaveMode, writer: Writer, context: AuditContext) async throws where Writer.Record: Sendable {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let keys = Self.referencedKeys(record)
            let references = try await References.load(sql, cpmsIDs: keys.cpmsIDs, odsCodes: keys.odsCodes)
            references.countConfirmationPerMonth = try await Self.metricRules(sql).countConfirmationPerMonth
            let resolved = try writer.resolve(record, references).get().stamped(ChangeMark(by: context))
            let recruitmentGuard = RecruitmentGuard()
            recruitmentGuard.references = references
            if let (_, problem) = try await writer.checkAgainstRegister([resolved], records: [record], guard: recruitmentGuard, sql).first {
                throw problem
            }
            let exists = try await Self.exists(resolved.row, key: Writer.conflictKey, in: Writer.table, sql)
            switch (mode, exists) {
            case (.create, true):
                throw FieldProblem(column: Writer.keyColumn, message: "\(record.keyDescription) already exists")
            case (.update, false):
                throw FieldProblem(column: Writer.keyColumn, message: "\(record.keyDescription) does not exist")
            default:
                let old = mode == .update ? try await Register(database: transaction).currentVersion(of: record) : nil
                let changes = FieldChange.between(old, record)
                if mode == .update, changes.isEmpty { return }
                if let reason = context.reason, !reason.isEmpty, let problem = Reason.problem(reason) {
                    throw FieldProblem(column: "reason", message: problem)
                }
                if mode == .update, record is Site, !Reason.isGiven(context.reason) {
                    let locked = ReportedValues.changesReportedDates(changes, columns: Writer.Record.columns, today: Day.today())
                    if !locked.isEmpty {
                        throw FieldProblem(column: "reason", message: "This changes \(locked.joined(separator: ", ")), a date already reported in an earlier quarter's return: give the reason for the correction.")
                    }
                }
                try await writer.write([resolved], records: [record], presentColumns: Set(Writer.Record.columns.map(\.name)), on: sql, references: references)
                if let key = resolved.key as? any SiteScopedKey {
                    try await RecruitmentRollups.refresh(sites: [key.siteID], recomputeRecruitmentDays: false, sql)
                }
                let implied = try await writer.sideEffects([resolved], records: [record], sql)
                let subject = AuditSubject(record)
                try await AuditTrail.append([AuditEntry(action: mode == .create ? .create : .change, recordType: subject.type, recordKey: subject.key, changes: changes)] + implied, context, sql)
            }
        }
    }

    /// The stored version of a record that forms and the API change.
    public func currentVersion<Record: InterchangeRecord>(of record: Record) async throws -> Record? {
        switch record {
        case let organisation as Organisation: try await self.organisation(organisation.odsCode) as? Record
        case let study as Study: try await self.study(study.cpmsID)?.study as? Record
        case let site as Site: try await self.site(cpmsID: site.cpmsID, odsCode: site.siteODS, participantLimit: 0)?.site as? Record
        case let participant as Participant:
            try await database.sql().raw(RegisterSQL.participantSelect + " WHERE s.cpms_id = \(bind: participant.cpmsID) AND o.ods_code = \(bind: participant.siteODS) AND p.participant_id = \(bind: participant.participantID)")
                .first()?.participant() as? Record
        case let count as RecruitmentCount:
            try await database.sql().raw(RegisterSQL.countSelect + " WHERE s.cpms_id = \(bind: count.cpmsID) AND o.ods_code = \(bind: count.siteODS) AND c.period_start = \(bind: count.periodStart.iso)")
                .first()?.recruitmentCount() as? Record
        case let step as SetUpStep:
            try await setUpStep(cpmsID: step.cpmsID, odsCode: step.siteODS, step: step.step) as? Record
        case let amendment as Amendment:
            try await self.amendment(cpmsID: amendment.cpmsID, odsCode: amendment.siteODS, reference: amendment.reference) as? Record
        default: nil
        }
    }

    /// The studies and organisations a record points at.
    static func referencedKeys(_ record: some InterchangeRecord) -> (cpmsIDs: [Int], odsCodes: [String]) {
        switch record {
        case let study as Study: ([study.cpmsID], study.sponsorODS.map { [$0] } ?? [])
        case let site as Site: ([site.cpmsID], [site.siteODS])
        case let participant as Participant: ([participant.cpmsID], [participant.siteODS] + (participant.identifiedByODS.map { [$0] } ?? []))
        case let count as RecruitmentCount: ([count.cpmsID], [count.siteODS])
        case let step as SetUpStep: ([step.cpmsID], [step.siteODS])
        case let amendment as Amendment: ([amendment.cpmsID], [amendment.siteODS])
        default: ([], [])
        }
    }

    static func exists(_ row: TableRow, key: [String], in table: String, _ sql: any SQLDatabase) async throws -> Bool {
        var select = sql.select().column(SQLLiteral.numeric("1")).from(table)
        for column in key {
            guard let index = row.columns.firstIndex(of: column) else { continue }
            select = select.where(SQLIdentifier(column), .equal, SQLBind(row.values[index]))
        }
        return try await select.limit(1).first() != nil
    }
}

extension Register {
    /// The stored versions of a batch of records, keyed as the audit trail names them, in a few
    /// queries for the whole batch (an import compares every row of a re-imported file with these).
    func currentVersions<Record: InterchangeRecord>(of records: [Record]) async throws -> [String: Record] {
        let sql = try database.sql()
        var found: [String: Record] = [:]
        func keep(_ record: some InterchangeRecord) {
            if let record = record as? Record { found[AuditSubject(record).key] = record }
        }
        switch records.first {
        case is Organisation:
            let codes = records.compactMap { ($0 as? Organisation)?.odsCode as (any Encodable & Sendable)? }
            for row in try await sql.raw("SELECT * FROM organisations WHERE ods_code IN (\(binds: codes))").all() { keep(try row.organisation()) }
        case is Study:
            let cpmsIDs = records.compactMap { ($0 as? Study)?.cpmsID as (any Encodable & Sendable)? }
            let rows = try await sql.raw("SELECT * FROM studies WHERE cpms_id IN (\(binds: cpmsIDs))").all()
            let ids = try rows.map { try $0.decode(column: "id", as: Int.self) }
            let themes = try await self.themes(forStudies: ids, sql)
            let sponsors = try await self.sponsors(forStudies: ids, sql)
            for (row, id) in zip(rows, ids) {
                var study = try row.study()
                study.themes = themes[id] ?? []
                study.sponsorODS = sponsors[id]
                keep(study)
            }
        case is Site:
            let cpmsIDs = Set(records.compactMap { ($0 as? Site)?.cpmsID }).sorted().map { $0 as any Encodable & Sendable }
            let wanted = Set(records.map { AuditSubject($0).key })
            for row in try await sql.raw(RegisterSQL.siteSelect() + " WHERE s.cpms_id IN (\(binds: cpmsIDs))").all() {
                let site = try row.site()
                if wanted.contains(AuditSubject(site).key) { keep(site) }
            }
        case is Participant:
            let participants = records.compactMap { $0 as? Participant }
            let ids = Set(participants.map(\.participantID)).sorted().map { $0 as any Encodable & Sendable }
            let cpmsIDs = Set(participants.map(\.cpmsID)).sorted().map { $0 as any Encodable & Sendable }
            let wanted = Set(records.map { AuditSubject($0).key })
            for row in try await sql.raw(RegisterSQL.participantSelect + " WHERE s.cpms_id IN (\(binds: cpmsIDs)) AND p.participant_id IN (\(binds: ids))").all() {
                let participant = try row.participant()
                if wanted.contains(AuditSubject(participant).key) { keep(participant) }
            }
        case is RecruitmentCount:
            let counts = records.compactMap { $0 as? RecruitmentCount }
            let cpmsIDs = Set(counts.map(\.cpmsID)).sorted().map { $0 as any Encodable & Sendable }
            let starts = Set(counts.map(\.periodStart.iso)).sorted().map { $0 as any Encodable & Sendable }
            let wanted = Set(records.map { AuditSubject($0).key })
            for row in try await sql.raw(RegisterSQL.countSelect + " WHERE s.cpms_id IN (\(binds: cpmsIDs)) AND c.period_start IN (\(binds: starts))").all() {
                if let count = try row.recruitmentCount(), wanted.contains(AuditSubject(count).key) { keep(count) }
            }
        case is SetUpStep:
            let cpmsIDs = Set(records.compactMap { ($0 as? SetUpStep)?.cpmsID }).sorted().map { $0 as any Encodable & Sendable }
            let wanted = Set(records.map { AuditSubject($0).key })
            for row in try await sql.raw(RegisterSQL.setUpStepSelect + " WHERE s.cpms_id IN (\(binds: cpmsIDs))").all() {
                if let step = try row.setUpStep(), wanted.contains(AuditSubject(step).key) { keep(step) }
            }
        case is Amendment:
            let cpmsIDs = Set(records.compactMap { ($0 as? Amendment)?.cpmsID }).sorted().map { $0 as any Encodable & Sendable }
            let wanted = Set(records.map { AuditSubject($0).key })
            for row in try await sql.raw(RegisterSQL.amendmentSelect + " WHERE s.cpms_id IN (\(binds: cpmsIDs))").all() {
                if let amendment = try row.amendment(), wanted.contains(AuditSubject(amendment).key) { keep(amendment) }
            }
        default:
            break
        }
        return found
    }
}
