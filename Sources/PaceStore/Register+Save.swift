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

    public func save(_ organisation: Organisation, _ mode: SaveMode) async throws {
        try await save(organisation, mode, writer: OrganisationWriter())
    }

    public func save(_ study: Study, _ mode: SaveMode) async throws {
        try await save(study, mode, writer: StudyWriter())
    }

    public func save(_ site: Site, _ mode: SaveMode) async throws {
        try await save(site, mode, writer: SiteWriter())
    }

    public func save(_ participant: Participant, _ mode: SaveMode) async throws {
        try await save(participant, mode, writer: ParticipantWriter())
    }

    public func save(_ count: RecruitmentCount, _ mode: SaveMode) async throws {
        try await save(count, mode, writer: RecruitmentCountWriter())
    }

    /// Throws a `FieldProblem` naming the field when the record cannot be saved.
    private func save<Writer: RecordWriter>(_ record: Writer.Record, _ mode: SaveMode, writer: Writer) async throws where Writer.Record: Sendable {
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            let keys = Self.referencedKeys(record)
            let references = try await References.load(sql, cpmsIDs: keys.cpmsIDs, odsCodes: keys.odsCodes)
            let resolved = try writer.resolve(record, references).get()
            let exists = try await Self.exists(resolved.row, key: Writer.conflictKey, in: Writer.table, sql)
            switch (mode, exists) {
            case (.create, true):
                throw FieldProblem(column: Writer.keyColumn, message: "\(record.keyDescription) already exists")
            case (.update, false):
                throw FieldProblem(column: Writer.keyColumn, message: "\(record.keyDescription) does not exist")
            default:
                try await writer.write([resolved], records: [record], presentColumns: Set(Writer.Record.columns.map(\.name)), on: sql, references: references)
                if let key = resolved.key as? any SiteScopedKey {
                    try await RecruitmentRollups.refresh(sites: [key.siteID], recomputeRecruitmentDays: false, sql)
                }
            }
        }
    }

    /// The studies and organisations a record points at.
    static func referencedKeys(_ record: some InterchangeRecord) -> (cpmsIDs: [Int], odsCodes: [String]) {
        switch record {
        case let study as Study: ([study.cpmsID], study.sponsorODS.map { [$0] } ?? [])
        case let site as Site: ([site.cpmsID], [site.siteODS])
        case let participant as Participant: ([participant.cpmsID], [participant.siteODS] + (participant.identifiedByODS.map { [$0] } ?? []))
        case let count as RecruitmentCount: ([count.cpmsID], [count.siteODS])
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
