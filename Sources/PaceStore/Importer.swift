import FluentKit
import Foundation
import PaceCore
import SQLKit

public struct ImportSummary: Sendable, Codable, Equatable, CustomStringConvertible {
    public let kind: InterchangeKind
    public let file: String
    public let records: Int
    public let created: Int
    public let updatedOrUnchanged: Int

    public var description: String {
        "\(file): \(records) \(kind.rawValue) records read; \(created) new, \(updatedOrUnchanged) already present (updated where different)"
    }
}

/// What the person importing has decided beyond the file itself.
public struct ImportOptions: Sendable {
    /// Counts above the plausible limit (the stored rule) are confirmed as checked.
    public var confirmingLargeCounts: Bool

    public init(confirmingLargeCounts: Bool = false) {
        self.confirmingLargeCounts = confirmingLargeCounts
    }
}

/// Holds the CSV reader while the import's transaction runs; only that one task ever touches it.
final class ReaderBox: @unchecked Sendable {
    var reader: CSVReader

    init(_ reader: CSVReader) {
        self.reader = reader
    }
}

/// Reads an interchange file and writes it in one transaction: all of it, or — if any row is wrong — none of it.
public struct Importer: Sendable {
    public static let issueLimit = 200

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Imports a file and records one audit event naming it, its SHA-256 and what it did, in the same
    /// transaction. Small files (organisations, studies, sites) also name every key they hold. `sha256`
    /// is asked for once the file has been read, so a caller can hash the bytes as the reader takes them.
    public func importFile(_ kind: InterchangeKind, named file: String, reader: CSVReader, sha256: @escaping @Sendable () -> String, by context: AuditContext,
                           options: ImportOptions = ImportOptions()) async throws -> ImportSummary {
        let box = ReaderBox(reader)
        return try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let summary: ImportSummary
            var keys: [String]?
            var changed: [AuditEntry] = []
            switch kind {
            case .organisations: (summary, keys, changed) = try await run(OrganisationWriter(), kind: kind, file: file, box: box, transaction: transaction, context: context, options: options)
            case .studies: (summary, keys, changed) = try await run(StudyWriter(), kind: kind, file: file, box: box, transaction: transaction, context: context, options: options)
            case .sites: (summary, keys, changed) = try await run(SiteWriter(), kind: kind, file: file, box: box, transaction: transaction, context: context, options: options)
            case .participants: summary = try await runLarge(ParticipantWriter(), kind: kind, file: file, box: box, sql: sql, options: options)
            case .recruitmentCounts: summary = try await runLarge(RecruitmentCountWriter(), kind: kind, file: file, box: box, sql: sql, options: options)
            }
            var changes = [
                FieldChange(field: "file", old: nil, new: String(file.prefix(200))),
                FieldChange(field: "sha256", old: nil, new: sha256()),
                FieldChange(field: "records", old: nil, new: String(summary.records)),
                FieldChange(field: "created", old: nil, new: String(summary.created)),
                FieldChange(field: "already_present", old: nil, new: String(summary.updatedOrUnchanged)),
            ]
            if let keys { changes.append(FieldChange(field: "keys", old: nil, new: keys.joined(separator: ";"))) }
            // The file's event names it and its SHA-256; each record it changed has an event of its own with the old and new values.
            try await AuditTrail.append([AuditEntry(action: .importFile, recordType: kind.rawValue, recordKey: String(file.prefix(200)), changes: changes)] + changed, context, sql)
            return summary
        }
    }

    /// Small tables: duplicate keys are caught with the keys seen so far. A row that changes a stored
    /// record is compared with it first: the change gets its own audit event, and a site milestone
    /// already reported in an earlier quarter changes only with a reason, as in the forms and the API.
    private func run<Writer: RecordWriter>(
        _ writer: Writer, kind: InterchangeKind, file: String, box: ReaderBox, transaction: any Database, context: AuditContext, options: ImportOptions
    ) async throws -> (ImportSummary, [String], [AuditEntry]) {
        let sql = try transaction.sql()
        var seen: [Writer.Key: Int] = [:]
        var keys: [String] = []
        var changed: [AuditEntry] = []
        // A first load has nothing to compare with, so it skips the look-ups.
        let hadRecords = try await Self.rowCount(Writer.table, sql) > 0
        let reasonGiven = Reason.isGiven(context.reason)
        let summary = try await read(writer, kind: kind, file: file, box: box, sql: sql, options: options) { key, row in
            defer { seen[key] = seen[key] ?? row }
            return seen[key]
        } flush: { batch, records, rows, presentColumns, references in
            if hadRecords {
                var locked: [ImportIssue] = []
                let stored = try await Register(database: transaction).currentVersions(of: records)
                for (record, row) in zip(records, rows) {
                    guard let old = stored[AuditSubject(record).key] else { continue }
                    let changes = FieldChange.between(old, record).filter { presentColumns.contains($0.field) && $0.field != "last_changed" }
                    guard !changes.isEmpty else { continue }
                    if record is Site, !reasonGiven {
                        for column in ReportedValues.changesReportedDates(changes, columns: Writer.Record.columns, today: Day.today()) {
                            locked.append(ImportIssue(file: file, row: row, column: column, message: "changes a date already reported in an earlier quarter's return: give the reason for the correction with the import"))
                        }
                    }
                    let subject = AuditSubject(record)
                    changed.append(AuditEntry(action: .change, recordType: subject.type, recordKey: subject.key, changes: changes))
                }
                if !locked.isEmpty { throw ImportRejected(issues: Array(locked.prefix(Importer.issueLimit)), moreIssues: max(0, locked.count - Importer.issueLimit)) }
            }
            try await writer.write(batch, records: records, presentColumns: presentColumns, on: sql, references: references)
            keys += records.map { AuditSubject($0).key }
            return []
        }
        return (summary, keys, changed)
    }

    /// Participants and counts: memory stays flat however long the file; the database catches a key
    /// written earlier in the same import, and only the current batch's keys are held.
    private func runLarge<Writer: LargeRecordWriter>(
        _ writer: Writer, kind: InterchangeKind, file: String, box: ReaderBox, sql: any SQLDatabase, options: ImportOptions
    ) async throws -> ImportSummary where Writer.Key: SiteScopedKey {
        let importID = try await Self.startImport(kind: kind, file: file, sql)
        var inBatch: [Writer.Key: Int] = [:]
        // Sites whose roll-ups change: a few bytes each, so memory stays flat in the number of rows.
        var touchedSites = Set<Int>()
        var recomputeRecruitmentDays = false
        let summary = try await read(writer, kind: kind, file: file, box: box, sql: sql, options: options) { key, row in
            defer { inBatch[key] = inBatch[key] ?? row }
            return inBatch[key]
        } flush: { batch, _, _, presentColumns, _ in
            inBatch.removeAll(keepingCapacity: true)
            for resolved in batch { touchedSites.insert(resolved.key.siteID) }
            if Writer.leavesDerivedColumnsStale(supplied: presentColumns) { recomputeRecruitmentDays = true }
            return try await writer.write(batch, presentColumns: presentColumns, importID: importID, on: sql)
        }
        try await RecruitmentRollups.refresh(sites: touchedSites, recomputeRecruitmentDays: recomputeRecruitmentDays, sql)
        return summary
    }

    static func startImport(kind: InterchangeKind, file: String, _ sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.insert(into: "imports").columns("kind", "file_name", "started_at")
            .values(kind.rawValue, String(file.prefix(200)), ISO8601DateFormatter().string(from: Date()))
            .returning("id").first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { throw NotSQLDatabase() }
        return id
    }

    /// Reads every record, checks it, and writes it in batches. `earlierRow` answers the row where a
    /// key was already seen (if known); `flush` writes a batch and answers keys it found already written.
    private func read<Writer: RecordWriter>(
        _ writer: Writer, kind: InterchangeKind, file: String, box: ReaderBox, sql: any SQLDatabase, options: ImportOptions,
        earlierRow: (Writer.Key, Int) -> Int?,
        flush: ([ResolvedRecord<Writer.Key>], [Writer.Record], [Int], Set<String>, References) async throws -> Set<Writer.Key>
    ) async throws -> ImportSummary {
        var issues: [ImportIssue] = []
        var moreIssues = 0
        func report(_ issue: ImportIssue) {
            if issues.count < Importer.issueLimit { issues.append(issue) } else { moreIssues += 1 }
        }

        let headerRecord: CSVRecord
        do {
            guard let first = try box.reader.next() else {
                throw ImportRejected(issues: [ImportIssue(file: file, row: 1, column: "-", message: "the file is empty: the first row must name the columns")])
            }
            headerRecord = first
        } catch let error as CSVSyntaxError {
            throw ImportRejected(issues: [ImportIssue(file: file, row: error.record, column: "field \(error.field)", message: error.description)])
        }
        let header = try InterchangeHeader(record: headerRecord, kind: kind, file: file)
        let columnNames = Dictionary(uniqueKeysWithValues: header.indexByColumn.map { ($1, $0) })
        let presentColumns = Set(header.indexByColumn.keys)
        let needs = Writer.needs
        let references = try await References.load(sql, studies: needs.studies, organisations: needs.organisations, sites: needs.sites)
        references.countConfirmationPerMonth = try await Register.metricRules(sql).countConfirmationPerMonth
        references.confirmsLargeCounts = options.confirmingLargeCounts
        let recruitmentGuard = RecruitmentGuard()
        let before = try await Self.rowCount(Writer.table, sql)
        let batchSize = Swift.min(1_000, 30_000 / Swift.max(1, headerRecord.fields.count))

        var batch: [ResolvedRecord<Writer.Key>] = []
        var records: [Writer.Record] = []
        var batchRows: [Int] = []
        var count = 0
        func write() async throws {
            for (index, problem) in try await writer.checkAgainstRegister(batch, records: records, guard: recruitmentGuard, sql) {
                report(ImportIssue(file: file, row: batchRows[index], column: problem.column, message: problem.message))
            }
            guard issues.isEmpty else { return }
            let repeated = try await flush(batch, records, batchRows, presentColumns, references)
            for (resolved, (record, row)) in zip(batch, zip(records, batchRows)) where repeated.contains(resolved.key) {
                report(ImportIssue(file: file, row: row, column: Writer.keyColumn, message: "\(record.keyDescription) appears more than once in this file"))
            }
            batch.removeAll(keepingCapacity: true)
            records.removeAll(keepingCapacity: true)
            batchRows.removeAll(keepingCapacity: true)
        }
        while true {
            let next: CSVRecord?
            do {
                next = try box.reader.next()
            } catch let error as CSVSyntaxError {
                let column = columnNames[error.field - 1] ?? "field \(error.field)"
                report(ImportIssue(file: file, row: error.record, column: column, message: error.description))
                break
            }
            guard let record = next else { break }
            if record.isBlank { continue }
            if record.fields.count != headerRecord.fields.count {
                report(ImportIssue(file: file, row: record.number, column: "-", message: "has \(record.fields.count) fields but the header has \(headerRecord.fields.count)"))
                continue
            }
            var row = RowReader(columns: header.indexByColumn, fields: record.fields)
            guard let parsed = Writer.Record(reading: &row) else {
                for problem in row.problems {
                    report(ImportIssue(file: file, row: record.number, column: problem.column, message: problem.message))
                }
                continue
            }
            switch writer.resolve(parsed, references) {
            case .failure(let problem):
                report(ImportIssue(file: file, row: record.number, column: problem.column, message: problem.message))
            case .success(let resolved):
                if let earlier = earlierRow(resolved.key, record.number) {
                    report(ImportIssue(file: file, row: record.number, column: Writer.keyColumn,
                                       message: "\(parsed.keyDescription) appears more than once in this file (first at row \(earlier))"))
                    continue
                }
                count += 1
                // Once anything is wrong nothing will be written, so stop writing and only keep checking.
                guard issues.isEmpty else { continue }
                batch.append(resolved)
                records.append(parsed)
                batchRows.append(record.number)
                if batch.count >= batchSize { try await write() }
            }
        }
        if issues.isEmpty { try await write() }
        guard issues.isEmpty else { throw ImportRejected(issues: issues, moreIssues: moreIssues) }
        let after = try await Self.rowCount(Writer.table, sql)
        return ImportSummary(kind: kind, file: file, records: count, created: after - before, updatedOrUnchanged: count - (after - before))
    }

    static func rowCount(_ table: String, _ sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
