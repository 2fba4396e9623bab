import FluentKit
import Logging
import PostgresKit
import SQLKit

/// On PostgreSQL a large import sends each batch with `COPY` into a temporary table on its own
/// connection, and writes the table from there with one upsert. The same 1,000 rows sent as one
/// `INSERT … VALUES` carried 9,000 parameters that the server parsed and planned batch after batch:
/// most of a 5,000,000-participant import's time. The temporary table lives only as long as the
/// import's transaction.
final class PostgresStagedBatch: @unchecked Sendable {
    // @unchecked: one import's batches run one after another, inside its transaction.
    static let staging = "pace_import_rows"

    private let connection: PostgresConnection
    private let logger: Logger
    private var stagedColumns: [String]?
    /// The keys of the rows staged and not yet written: the look-up of a re-import stages a batch, and
    /// its upsert writes those rows if, and only if, it is given the same batch.
    private var waiting: [AnyHashable]?

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// The transaction's own connection, when `sql` is PostgreSQL inside a transaction.
    static func open(on sql: any SQLDatabase) async throws -> PostgresStagedBatch? {
        guard sql.dialect.name != "sqlite", (sql as? any Database)?.inTransaction == true, let postgres = sql as? any PostgresDatabase else { return nil }
        let connection = try await postgres.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
        return PostgresStagedBatch(connection: connection, logger: sql.logger)
    }

    /// Copies `rows` (each `columns` long) into the staging table, made on first use with the types of
    /// `table`'s own columns, and emptied of the batch before. `waitingToBeWritten`: the keys of rows
    /// staged ahead of their upsert (by a re-import's look-up), which then finds them there.
    func stage(_ rows: [[DatabaseValue]], columns: [String], like table: String, waitingToBeWritten keys: [AnyHashable]? = nil, on sql: any SQLDatabase) async throws {
        let list = SQLQueryString(columns.map { "\"\($0)\"" }.joined(separator: ", "))
        if stagedColumns != columns {
            try await sql.raw("DROP TABLE IF EXISTS \(ident: Self.staging)").run()
            try await sql.raw("CREATE TEMPORARY TABLE \(ident: Self.staging) ON COMMIT DROP AS SELECT " + list + " FROM \(ident: table) WITH NO DATA").run()
            stagedColumns = columns
        } else {
            try await sql.raw("TRUNCATE \(ident: Self.staging)").run()
        }
        var buffer = ByteBuffer()
        buffer.reserveCapacity(rows.count * columns.count * 12)
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                Self.write(value, to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        try await connection.copyFrom(table: Self.staging, columns: columns, logger: logger) { writer in
            try await writer.write(buffer)
        }
        waiting = keys
    }

    /// Whether the staging table holds exactly these rows (by key, in order) of these columns, still
    /// to be written; answering yes hands them to the caller.
    func holds(_ keys: [AnyHashable], columns: [String]) -> Bool {
        defer { waiting = nil }
        return !keys.isEmpty && waiting == keys && stagedColumns == columns
    }

    /// One value in `COPY`'s text format: `\N` for no value, and a backslash before anything the
    /// format reads specially, so a participant's reference arrives exactly as the file had it.
    static func write(_ value: DatabaseValue, to buffer: inout ByteBuffer) {
        switch value {
        case .text(nil), .integer(nil), .boolean(nil):
            buffer.writeStaticString("\\N")
        case .integer(let number?):
            buffer.writeString(String(number))
        case .boolean(let flag?):
            buffer.writeStaticString(flag ? "t" : "f")
        case .text(let text?):
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    /// The upsert from the staging table: the same as the row-by-row one, with the import's number
    /// written into every row and guarding a key this import already wrote.
    static func upsert(table: String, columns: [String], compared: [String], conflictKey: [String], importID: Int) -> SQLQueryString {
        let quoted = { (column: String) in "\"\(column)\"" }
        let list = columns.map(quoted).joined(separator: ", ")
        var query = SQLQueryString("")
        query.appendInterpolation(unsafeRaw: "INSERT INTO \(quoted(table)) (\(list), \"import_id\") SELECT \(list), CAST(")
        query.appendInterpolation(bind: importID)
        query.appendInterpolation(unsafeRaw: " AS BIGINT) FROM \(quoted(staging))"
            + " ON CONFLICT (\(conflictKey.map(quoted).joined(separator: ", "))) DO UPDATE SET "
            + LargeWriteSession.assignments(compared: compared, table: table, distinct: "IS DISTINCT FROM")
            + " WHERE \(quoted(table)).\"import_id\" IS NULL OR \(quoted(table)).\"import_id\" <> ")
        query.appendInterpolation(bind: importID)
        query.appendInterpolation(unsafeRaw: " RETURNING \((conflictKey + ["last_changed"]).map(quoted).joined(separator: ", "))")
        return query
    }
}
