import PaceCore
import SQLKit

/// Which row of the file each written record came from, in the order they were written, so a key
/// found twice only once the unique index is built can still be named by its rows. Rows run on one
/// by one except where the file has a blank line or a field over several lines, so only the places
/// where that run breaks are kept: a few bytes for a whole well-formed file, however long, and 8 bytes
/// a break for one full of blank lines (a file that has one between every two records of 5,000,000
/// keeps 40 MB).
struct WrittenRows: Sendable {
    /// Where each run starts: the written record's position and its row in the file. An interchange
    /// file is far shorter than 4,294,967,295 rows (uploads and the import stop long before).
    private var runs: [(position: UInt32, row: UInt32)] = []
    private(set) var count = 0

    mutating func append(row: Int) {
        if let last = runs.last, Int(last.row) + (count - Int(last.position)) == row {
            count += 1
            return
        }
        runs.append((UInt32(clamping: count), UInt32(clamping: row)))
        count += 1
    }

    /// The file row of the record written at `position` (from 0), or nil past the end.
    func row(at position: Int) -> Int? {
        guard position >= 0, position < count else { return nil }
        // The last run starting at or before `position`.
        var low = 0, high = runs.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if Int(runs[middle].position) <= position { low = middle } else { high = middle - 1 }
        }
        let run = runs[low]
        return Int(run.row) + (position - Int(run.position))
    }
}

extension LargeRecordWriter {
    /// After a first load whose unique key would not build: every record whose key an earlier row of
    /// the file already had, named by both rows, as the batch check names a key repeated within a batch.
    /// The table was empty, so its records are numbered in the order they were written.
    static func repeatedKeys(written: WrittenRows, file: String, _ sql: any SQLDatabase) async throws -> (issues: [ImportIssue], more: Int) {
        guard let key = keyIndex else { return ([], 0) }
        let keyColumns = SQLQueryString(key.columns.map { "\"\($0)\"" }.joined(separator: ", "))
        let firstID = try await sql.raw("SELECT MIN(id) AS first FROM \(ident: table)").first()?.decode(column: "first", as: Int?.self) ?? 0
        // One pass over the table: each repeat with its key's first record, and how many repeats in all.
        let pairs = try await sql.raw("""
            SELECT id, first, COUNT(*) OVER () AS total FROM (SELECT id, MIN(id) OVER (PARTITION BY
            """ + keyColumns + ") AS first FROM \(ident: table)) WHERE id <> first ORDER BY id LIMIT \(unsafeRaw: String(Importer.issueLimit))").all()
        let total = try pairs.first?.decode(column: "total", as: Int.self) ?? 0
        var issues: [ImportIssue] = []
        for pair in pairs {
            let later = try pair.decode(column: "id", as: Int.self), first = try pair.decode(column: "first", as: Int.self)
            var query = recordSelect
            query.appendInterpolation(unsafeRaw: " WHERE \(recordAlias).id = ")
            query.appendInterpolation(bind: later)
            guard let row = try await sql.raw(query).first(), let record = try record(from: SQLKitRow(row: row)),
                  let laterRow = written.row(at: later - firstID), let firstRow = written.row(at: first - firstID) else { continue }
            issues.append(ImportIssue(file: file, row: laterRow, column: keyColumn,
                                      message: "\(record.keyDescription) appears more than once in this file (first at row \(firstRow))"))
        }
        return (issues, max(0, total - issues.count))
    }
}
