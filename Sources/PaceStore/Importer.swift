import FluentKit
import Foundation
import PaceCore
import SQLKit

public struct ImportSummary: Sendable, Codable, Equatable, CustomStringConvertible {
    public let kind: InterchangeKind
    public let file: String
    public let records: Int
    public let created: Int
    /// Records already held whose values the file changes.
    public let changed: Int
    /// Records already held exactly as the file has them.
    public let unchanged: Int
    /// The changes, field by field (the first `Importer.changeListLimit`), when they were asked for.
    public let changes: [RecordChange]
    /// Nothing was written: this is what the import would do.
    public let dryRun: Bool
    /// When the file was checked against the register (`ChangeStamp`).
    public let checkedAt: String

    public var updatedOrUnchanged: Int { changed + unchanged }

    public var description: String {
        let counts = "\(records) \(kind.rawValue) records read; \(created) new, \(changed) changed, \(unchanged) unchanged"
        return dryRun ? "\(file): \(counts). Nothing was written: this is what the import would do." : "\(file): \(counts)"
    }
}

/// One record an import would change, with each field's old and new value.
public struct RecordChange: Sendable, Codable, Equatable {
    public let record: String
    public let fields: [FieldChange]

    public init(record: String, fields: [FieldChange]) {
        self.record = record
        self.fields = fields
    }
}

/// What the person importing has decided beyond the file itself.
public struct ImportOptions: Sendable {
    /// Counts above the plausible limit (the stored rule) are confirmed as checked.
    public var confirmingLargeCounts: Bool
    /// Check everything and say what would change, field by field, but write nothing.
    public var dryRun: Bool
    /// Rows without a `last_changed` hold the records as they were at this time (a preview's): a record
    /// changed in Pace since then is a conflict, as for a stale export.
    public var unstampedRowsAsOf: String?

    public init(confirmingLargeCounts: Bool = false, dryRun: Bool = false, unstampedRowsAsOf: String? = nil) {
        self.confirmingLargeCounts = confirmingLargeCounts
        self.dryRun = dryRun
        self.unstampedRowsAsOf = unstampedRowsAsOf
    }
}

/// Carries a dry run's summary out of its transaction, which it rolls back.
struct DryRunFinished: Error {
    let summary: ImportSummary
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
    public static let changeListLimit = 200

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
        let mark = ChangeMark(by: context)
        do {
            return try await write(kind, named: file, box: box, sha256: sha256, context: context, options: options, mark: mark)
        } catch let finished as DryRunFinished {
            return finished.summary
        }
    }

    private func write(_ kind: InterchangeKind, named file: String, box: ReaderBox, sha256: @escaping @Sendable () -> String,
                       context: AuditContext, options: ImportOptions, mark: ChangeMark) async throws -> ImportSummary {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let summary: ImportSummary
            var keys: [String]?
            var changed: [AuditEntry] = []
            switch kind {
            case .organisations: (summary, keys, changed) = try await run(OrganisationWriter(), kind: kind, file: file, box: box, transaction: transaction, context: context, options: options, mark: mark)
            case .studies: (summary, keys, changed) = try await run(StudyWriter(), kind: kind, file: file, box: box, transaction: transaction, context: context, options: options, mark: mark)
            case .sites: (summary, keys, changed) = try await run(SiteWriter(), kind: kind, file: file, box: box, transaction: transaction, context: context, options: options, mark: mark)
            case .participants: (summary, changed) = try await runLarge(ParticipantWriter(), kind: kind, file: file, box: box, transaction: transaction, options: options, mark: mark)
            case .recruitmentCounts: (summary, changed) = try await runLarge(RecruitmentCountWriter(), kind: kind, file: file, box: box, transaction: transaction, options: options, mark: mark)
            case .setUpSteps: (summary, keys, changed) = try await run(SetUpStepWriter(reasonGiven: Reason.isGiven(context.reason)), kind: kind, file: file, box: box, transaction: transaction, context: context, options: options, mark: mark)
            case .amendments: (summary, keys, changed) = try await run(AmendmentWriter(), kind: kind, file: file, box: box, transaction: transaction, context: context, options: options, mark: mark)
            }
            var changes = [
                FieldChange(field: "file", old: nil, new: String(file.prefix(200))),
                FieldChange(field: "sha256", old: nil, new: sha256()),
                FieldChange(field: "records", old: nil, new: String(summary.records)),
                FieldChange(field: "created", old: nil, new: String(summary.created)),
                FieldChange(field: "changed", old: nil, new: String(summary.changed)),
                FieldChange(field: "unchanged", old: nil, new: String(summary.unchanged)),
            ]
            if let keys { changes.append(FieldChange(field: "keys", old: nil, new: keys.joined(separator: ";"))) }
            // The file's event names it and its SHA-256; each record it changed has an event of its own with the old and new values.
            // A dry run has read and checked everything, and written it only to see what would change.
            if options.dryRun { throw DryRunFinished(summary: summary) }
            try await AuditTrail.append([AuditEntry(action: .importFile, recordType: kind.rawValue, recordKey: String(file.prefix(200)), changes: changes)] + changed, context, sql)
            return summary
        }
    }

    /// Small tables: duplicate keys are caught with the keys seen so far. Each row is compared with
    /// the stored record: a new or changed one is written (and a change gets its own audit event), an
    /// unchanged one is left alone, so its `last_changed` stays; a site milestone already reported in
    /// an earlier quarter changes only with a reason, as in the forms and the API.
    private func run<Writer: RecordWriter>(
        _ writer: Writer, kind: InterchangeKind, file: String, box: ReaderBox, transaction: any Database, context: AuditContext,
        options: ImportOptions, mark: ChangeMark
    ) async throws -> (ImportSummary, [String], [AuditEntry]) {
        let sql = try transaction.sql()
        var seen: [Writer.Key: Int] = [:]
        var keys: [String] = []
        var changed: [AuditEntry] = []
        let tally = ImportTally()
        // A first load has nothing to compare with, so it skips the look-ups.
        let hadRecords = try await Self.rowCount(Writer.table, sql) > 0
        let reasonGiven = Reason.isGiven(context.reason)
        let summary = try await read(writer, kind: kind, file: file, box: box, transaction: transaction, options: options, mark: mark, tally: tally) { key, row in
            defer { seen[key] = seen[key] ?? row }
            return seen[key]
        } flush: { batch, records, rows, presentColumns, references in
            keys += records.map { AuditSubject($0).key }
            guard hadRecords else {
                try await writer.write(batch, records: records, presentColumns: presentColumns, on: sql, references: references)
                changed += try await writer.sideEffects(batch, records: records, sql)
                return []
            }
            var locked: [ImportIssue] = []
            var writing: [(ResolvedRecord<Writer.Key>, Writer.Record)] = []
            let stored = try await Register(database: transaction).currentVersions(of: records)
            for (resolved, (record, row)) in zip(batch, zip(records, rows)) {
                guard let old = stored[AuditSubject(record).key] else {
                    writing.append((resolved, record))
                    continue
                }
                let changes = FieldChange.between(old, record).filter { presentColumns.contains($0.field) }
                guard !changes.isEmpty else { continue }
                // A file with some columns changes those only: the record as it will be is checked whole
                // (a new opening date against the stored HRA approval, say).
                let columns = Writer.Record.columns.map(\.name)
                if presentColumns.count < columns.count {
                    let merged = zip(columns, zip(old.csvFields, record.csvFields)).map { column, pair in (column, presentColumns.contains(column) ? pair.1 : pair.0) }
                    var whole = RowReader(values: Dictionary(uniqueKeysWithValues: merged))
                    if Writer.Record(reading: &whole) == nil {
                        for problem in whole.problems { locked.append(ImportIssue(file: file, row: row, column: problem.column, message: problem.message)) }
                    }
                }
                if record is Site, !reasonGiven {
                    for column in ReportedValues.changesReportedDates(changes, columns: Writer.Record.columns, today: Day.today()) {
                        locked.append(ImportIssue(file: file, row: row, column: column, message: "changes a date already reported in an earlier quarter's return: give the reason for the correction with the import"))
                    }
                }
                let subject = AuditSubject(record)
                changed.append(AuditEntry(action: .change, recordType: subject.type, recordKey: subject.key, changes: changes))
                tally.changed += 1
                tally.note(RecordChange(record: record.keyDescription, fields: changes))
                writing.append((resolved, record))
            }
            if !locked.isEmpty { throw ImportRejected(issues: Array(locked.prefix(Importer.issueLimit)), moreIssues: max(0, locked.count - Importer.issueLimit)) }
            try await writer.write(writing.map(\.0), records: writing.map(\.1), presentColumns: presentColumns, on: sql, references: references)
            changed += try await writer.sideEffects(writing.map(\.0), records: writing.map(\.1), sql)
            return []
        }
        return (summary, keys, changed)
    }

    /// Participants and counts: memory stays flat however long the file; the database catches a key
    /// written earlier in the same import, and only the current batch's keys are held. The database
    /// moves a record's `last_changed` only when a value differs, and says how many it moved.
    private func runLarge<Writer: LargeRecordWriter>(
        _ writer: Writer, kind: InterchangeKind, file: String, box: ReaderBox, transaction: any Database, options: ImportOptions, mark: ChangeMark
    ) async throws -> (ImportSummary, [AuditEntry]) where Writer.Key: SiteScopedKey {
        let sql = try transaction.sql()
        let cache = try await ImportPageCache.enlarge(sql)
        do {
            let result = try await runLargeWrites(writer, kind: kind, file: file, box: box, transaction: transaction, options: options, mark: mark, cache: cache)
            try await cache.restore()
            return result
        } catch {
            try? await cache.restore()
            throw error
        }
    }

    private func runLargeWrites<Writer: LargeRecordWriter>(
        _ writer: Writer, kind: InterchangeKind, file: String, box: ReaderBox, transaction: any Database, options: ImportOptions, mark: ChangeMark,
        cache: ImportPageCache
    ) async throws -> (ImportSummary, [AuditEntry]) where Writer.Key: SiteScopedKey {
        let sql = try transaction.sql()
        var changed: [AuditEntry] = []
        let importID = try await Self.startImport(kind: kind, file: file, sql)
        var inBatch: [Writer.Key: Int] = [:]
        // Sites whose roll-ups change: a few bytes each, so memory stays flat in the number of rows.
        var touchedSites = Set<Int>()
        var recomputeRecruitmentDays = false
        let tally = ImportTally()
        tally.countsFromStamps = true
        let hadRecords = try await Self.rowCount(Writer.table, sql) > 0
        let session = LargeWriteSession()
        // Into an empty SQLite table, the day index is built once at the end (inside the transaction,
        // so a refused file leaves it as it was). PostgreSQL keeps its indexes: dropping one takes a lock
        // that would stop every page reading the table.
        let firstLoad = !hadRecords && sql.dialect.name == "sqlite"
        var deferredIndexes = firstLoad ? Writer.secondaryIndexes : []
        // The key too, where it is a named index and the rows go through a prepared insert.
        let keyDeferred = firstLoad && Writer.keyIndex != nil ? try await session.insertOnly(on: sql) : false
        if keyDeferred, let key = Writer.keyIndex { deferredIndexes.insert(key, at: 0) }
        for index in deferredIndexes { try await index.drop(sql) }
        var written = WrittenRows()
        let summary = try await read(writer, kind: kind, file: file, box: box, transaction: transaction, options: options, mark: mark, tally: tally) { key, row in
            defer { inBatch[key] = inBatch[key] ?? row }
            return inBatch[key]
        } flush: { batch, records, rows, presentColumns, _ in
            inBatch.removeAll(keepingCapacity: true)
            if keyDeferred { for row in rows { written.append(row: row) } }
            // A preview lists the changes field by field; an import only counts them.
            // A record the file changes gets an audit event of its own with the old and new values, so a
            // study's history shows a withdrawal undone by a file as plainly as one made on the page.
            // A first load (nothing stored yet) has nothing to compare and skips the look-up.
            var unchanged: [Int: Int] = [:]
            if hadRecords {
                let stored = try await writer.storedRecords(batch, sql, session: session)
                for (index, record) in records.enumerated() {
                    guard let old = stored[AuditSubject(record).key] else { continue }
                    let changes = FieldChange.between(old.record, record).filter { presentColumns.contains($0.field) }
                    guard !changes.isEmpty else {
                        if let id = old.id { unchanged[index] = id }
                        continue
                    }
                    tally.note(RecordChange(record: record.keyDescription, fields: changes))
                    let subject = AuditSubject(record)
                    changed.append(AuditEntry(action: .change, recordType: subject.type, recordKey: subject.key, changes: changes))
                }
            }
            if Writer.leavesDerivedColumnsStale(supplied: presentColumns) { recomputeRecruitmentDays = true }
            let (repeated, written) = try await writer.write(batch, presentColumns: presentColumns, importID: importID, mark: mark, unchanged: unchanged, on: sql, session: session)
            // Only a site with a record created or changed has roll-ups to refresh: an unchanged file refreshes none.
            for key in written { touchedSites.insert(key.siteID) }
            tally.stamped += written.count
            return repeated
        }
        if !deferredIndexes.isEmpty { try await cache.shrinkForIndexBuilds() }
        for index in deferredIndexes {
            do {
                try await index.create(sql)
            } catch where index.unique {
                let (issues, more) = try await Writer.repeatedKeys(written: written, file: file, sql)
                guard !issues.isEmpty else { throw error }
                throw ImportRejected(issues: issues, moreIssues: more)
            }
        }
        try await RecruitmentRollups.refresh(sites: touchedSites, recomputeRecruitmentDays: recomputeRecruitmentDays, sql)
        return (summary, changed)
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
        _ writer: Writer, kind: InterchangeKind, file: String, box: ReaderBox, transaction: any Database, options: ImportOptions,
        mark: ChangeMark, tally: ImportTally,
        earlierRow: (Writer.Key, Int) -> Int?,
        flush: ([ResolvedRecord<Writer.Key>], [Writer.Record], [Int], Set<String>, References) async throws -> Set<Writer.Key>
    ) async throws -> ImportSummary {
        let sql = try transaction.sql()
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
        // `last_changed` is not a value of the record: it says which version of it the file holds.
        let stampIndex = header.indexByColumn[InterchangeKind.lastChangedColumn]
        let presentColumns = Set(header.indexByColumn.keys).subtracting([InterchangeKind.lastChangedColumn])
        let needs = Writer.needs
        let references = try await References.load(sql, studies: needs.studies, organisations: needs.organisations, sites: needs.sites)
        references.countConfirmationPerMonth = try await Register.metricRules(sql).countConfirmationPerMonth
        references.confirmsLargeCounts = options.confirmingLargeCounts
        let recruitmentGuard = RecruitmentGuard()
        recruitmentGuard.references = references
        let removals = try await AuditTrail.removals(recordType: kind.auditRecordType, sql)
        let startedAt = ChangeStamp.now()
        let before = try await Self.rowCount(Writer.table, sql)
        let batchSize = Swift.min(1_000, 30_000 / Swift.max(1, headerRecord.fields.count))

        var batch: [ResolvedRecord<Writer.Key>] = []
        var records: [Writer.Record] = []
        var batchRows: [Int] = []
        var batchStamps: [String?] = []
        var count = 0
        func write() async throws {
            for (index, problem) in try await writer.checkAgainstRegister(batch, records: records, guard: recruitmentGuard, sql) {
                report(ImportIssue(file: file, row: batchRows[index], column: problem.column, message: problem.message))
            }
            // A row without its own last_changed holds the record as it was when the person saw the preview.
            let versionOf = { (index: Int) in batchStamps[index] ?? options.unstampedRowsAsOf }
            // Into a SQLite table that was empty, nothing stored can be newer than the file: the import
            // holds the write lock, so the only stored rows are its own (and a first load has no key index
            // to find them by). PostgreSQL lets another writer commit meanwhile, so it always checks.
            let storedCanBeNewer = before > 0 || sql.dialect.name != "sqlite"
            let checksVersions = storedCanBeNewer && (stampIndex != nil || options.unstampedRowsAsOf != nil)
            let removedHere = removals.isEmpty ? [] : batch.indices.filter { removals[AuditSubject(records[$0]).key] != nil }
            let stored = storedCanBeNewer && (checksVersions || !removedHere.isEmpty) ? try await writer.storedStamps(batch, sql) : [:]
            // A record removed in Pace is not brought back by a file that still holds it.
            for index in removedHere where stored[batch[index].keyText(Writer.conflictKey)] == nil {
                guard let removal = removals[AuditSubject(records[index]).key] else { continue }
                report(ImportIssue(
                    file: file, row: batchRows[index], column: Writer.keyColumn,
                    message: "\(records[index].keyDescription) was removed in Pace on \(ChangeStamp.readable(removal.at)) by \(removal.by)\(removal.reason.map { " (\"\($0)\")" } ?? ""): importing it would bring it back. If it should be recorded again, add it in Pace itself."
                ))
            }
            if checksVersions {
                let stale = batch.indices.filter { index in
                    guard let exported = versionOf(index), let now = stored[batch[index].keyText(Writer.conflictKey)], let at = now.at else { return false }
                    // A record this import wrote itself is a key the file repeats, which the write names as such.
                    if at == mark.at, now.by == mark.by { return false }
                    return exported < at
                }
                // An older copy that matches the record as it is now undoes nothing (another database's export, say).
                let current = stale.isEmpty ? [:] : try await Register(database: transaction).currentVersions(of: stale.map { records[$0] })
                for index in stale {
                    let record = records[index]
                    if let old = current[AuditSubject(record).key], FieldChange.between(old, record).allSatisfy({ !presentColumns.contains($0.field) }) { continue }
                    guard let now = stored[batch[index].keyText(Writer.conflictKey)], let at = now.at, let exported = versionOf(index) else { continue }
                    report(ImportIssue(
                        file: file, row: batchRows[index], column: InterchangeKind.lastChangedColumn,
                        message: "\(records[index].keyDescription) changed in Pace on \(ChangeStamp.readable(at)) by \(now.by ?? "someone"), after this file's copy of it (\(ChangeStamp.readable(exported))): importing it would undo that change. Export the records again and make your change in the new file."
                    ))
                }
            }
            guard issues.isEmpty else { return }
            batch = batch.map { $0.stamped(mark) }
            let repeated = try await flush(batch, records, batchRows, presentColumns, references)
            for (resolved, (record, row)) in zip(batch, zip(records, batchRows)) where repeated.contains(resolved.key) {
                report(ImportIssue(file: file, row: row, column: Writer.keyColumn, message: "\(record.keyDescription) appears more than once in this file"))
            }
            batch.removeAll(keepingCapacity: true)
            records.removeAll(keepingCapacity: true)
            batchRows.removeAll(keepingCapacity: true)
            batchStamps.removeAll(keepingCapacity: true)
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
            var stamp: String?
            if let stampIndex, stampIndex < record.fields.count, !record.fields[stampIndex].trimmingSpaces.isEmpty {
                stamp = ChangeStamp.normalised(record.fields[stampIndex].trimmingSpaces)
                if stamp == nil {
                    row.problem(InterchangeKind.lastChangedColumn, "'\(record.fields[stampIndex].prefix(40))' is not a time: leave it as Pace exported it (YYYY-MM-DDTHH:MM:SS.sssZ, UTC)")
                } else if let given = stamp, given > startedAt {
                    row.problem(InterchangeKind.lastChangedColumn, "\(ChangeStamp.readable(given)) is later than now: leave it as Pace exported it")
                    stamp = nil
                }
            }
            guard let parsed = Writer.Record(reading: &row), row.problems.isEmpty else {
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
                batchStamps.append(stamp)
                if batch.count >= batchSize { try await write() }
            }
        }
        if issues.isEmpty { try await write() }
        guard issues.isEmpty else { throw ImportRejected(issues: issues, moreIssues: moreIssues) }
        let after = try await Self.rowCount(Writer.table, sql)
        let created = after - before
        let changed = tally.countsFromStamps ? tally.stamped - created : tally.changed
        return ImportSummary(kind: kind, file: file, records: count, created: created, changed: changed, unchanged: count - created - changed,
                             changes: tally.changes, dryRun: options.dryRun, checkedAt: startedAt)
    }

    static func rowCount(_ table: String, _ sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}

/// What an import found as it wrote: how many records changed and, for a preview, how.
final class ImportTally: @unchecked Sendable {
    var changed = 0
    /// Records the database stamped as new or changed (participants and counts).
    var stamped = 0
    var countsFromStamps = false
    private(set) var changes: [RecordChange] = []

    func note(_ change: RecordChange) {
        if changes.count < Importer.changeListLimit { changes.append(change) }
    }
}
