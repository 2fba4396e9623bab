import FluentSQLiteDriver
import SQLKit
import VaporCSQLite

/// One SQLite statement prepared once and run for every row of a large import, on the import's own
/// connection and so inside its transaction. SQLiteNIO prepares a statement on every call and hops to
/// a thread pool, which costs more than the write itself when a file holds hundreds of thousands of
/// rows. The statement goes through the same bundled SQLite as every other query: two copies of SQLite
/// in one process can lose each other's file locks.
final class SQLitePreparedStatement: @unchecked Sendable {
    // @unchecked: used only inside the one transaction that holds its connection, one call at a time.
    private let connection: OpaquePointer
    private var statement: OpaquePointer?

    /// The connection's raw handle, when `sql` is SQLite inside a transaction (which keeps the connection
    /// for itself). SQLiteNIO keeps the handle internal; without it the caller writes through SQLKit.
    static func connectionHandle(of sql: any SQLDatabase) async throws -> RawConnection? {
        guard sql.dialect.name == "sqlite", let sqlite = sql as? any SQLiteDatabase else { return nil }
        return try await sqlite.withConnection { connection in rawHandle(of: connection) }
    }

    /// The raw handle of a connection the caller holds (inside `withConnection`), or nil when SQLiteNIO
    /// no longer keeps it where Pace looks.
    static func rawHandle(of connection: SQLiteConnection) -> RawConnection? {
        let handle = Mirror(reflecting: connection).children.first { $0.label == "handle" }?.value
        guard let handle else { return nil }
        let raw = Mirror(reflecting: handle).children.first { $0.label == "raw" }?.value
        guard let pointer = raw as? OpaquePointer? ?? nil else { return nil }
        return RawConnection(pointer: pointer)
    }

    struct RawConnection: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// `persistent` tells SQLite the statement will be kept for many runs (an import's), not run once.
    init(_ text: String, on connection: RawConnection, persistent: Bool = true) throws {
        self.connection = connection.pointer
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite_nio_sqlite3_prepare_v3(connection.pointer, text, -1, flags, &statement, nil)
        guard code == SQLITE_OK, statement != nil else { throw SQLiteStatementError(code: code, connection: connection.pointer) }
    }

    deinit {
        if let statement { sqlite_nio_sqlite3_finalize(statement) }
    }

    /// Binds `values` and then `trailing` (in parameter order; the trailing ones are the same for
    /// every row, so no row's values are copied to add them), runs the statement, and answers the first
    /// column of the first row it returns as text.
    func run(_ values: [DatabaseValue], trailing: [DatabaseValue] = []) throws -> ReturnedText {
        var returned = ReturnedText.noRow
        try step(values, trailing: trailing) { statement in
            if case .noRow = returned {
                returned = sqlite_nio_sqlite3_column_text(statement, 0).map { .text(String(cString: $0)) } ?? .null
            }
        }
        return returned
    }

    /// Binds `values`, runs the statement and answers how many rows it changed.
    func runCountingChanges(_ values: [DatabaseValue]) throws -> Int {
        try step(values) { _ in }
        return Int(sqlite_nio_sqlite3_changes(connection))
    }

    /// Binds `values`, runs the statement and answers every row it returns, by column name.
    func rows(_ values: [DatabaseValue]) throws -> [PlainRow] {
        try rows(values) { $0 }
    }

    /// Binds `values`, runs the statement and answers what `transform` makes of each row, so a large
    /// result is never held twice.
    /// `expected` reserves room for that many rows at once: growing an array of a region's records
    /// step by step copied them over and over.
    func rows<Element>(_ values: [DatabaseValue], expected: Int = 0, _ transform: (PlainRow) throws -> Element) throws -> [Element] {
        var rows: [Element] = []
        rows.reserveCapacity(expected)
        try step(values) { statement in
            let count = sqlite_nio_sqlite3_column_count(statement)
            if positions.isEmpty {
                positions = ColumnPositions((0..<count).map { index in
                    sqlite_nio_sqlite3_column_name(statement, index).map { String(cString: $0) } ?? ""
                })
            }
            rows.append(try transform(PlainRow(positions: positions, values: (0..<count).map { index in
                switch sqlite_nio_sqlite3_column_type(statement, index) {
                case SQLITE_INTEGER: .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
                case SQLITE_FLOAT: .real(sqlite_nio_sqlite3_column_double(statement, index))
                case SQLITE_TEXT: sqlite_nio_sqlite3_column_text(statement, index).map { .text(String(cString: $0)) } ?? .null
                default: .null
                }
            })))
        }
        return rows
    }

    /// Binds `values`, runs the statement and answers its first `width` columns as integers, row after
    /// row in one flat array (a null reads as 0): no value per cell, so a scan of a few hundred thousand
    /// index entries costs little more than SQLite's own work.
    func integerColumns(_ values: [DatabaseValue], width: Int) throws -> [Int] {
        var numbers: [Int] = []
        try step(values) { statement in
            for index in 0..<Int32(width) {
                numbers.append(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
            }
        }
        return numbers
    }

    /// How many times SQLite has had to prepare the statement again since it was first prepared.
    var reprepared: Int {
        statement.map { Int(sqlite_nio_sqlite3_stmt_status($0, SQLITE_STMTSTATUS_REPREPARE, 0)) } ?? 0
    }

    /// The result's column positions by name, read from the first row the statement returns.
    private var positions = ColumnPositions([])

    private func step(_ values: [DatabaseValue], trailing: [DatabaseValue] = [], row: (OpaquePointer) throws -> Void) throws {
        guard let statement else { throw SQLiteStatementError(code: SQLITE_MISUSE, connection: connection) }
        // Every parameter is bound again on every run, so the bindings are never cleared: clearing them
        // makes SQLite prepare again any statement whose plan looks at a bound value (the look-up by
        // site does), which cost more than the look-up itself.
        defer { sqlite_nio_sqlite3_reset(statement) }
        // A row with a value too few would shift the import's number into a data column.
        guard values.count + trailing.count == Int(sqlite_nio_sqlite3_bind_parameter_count(statement)) else {
            throw SQLiteStatementError(code: SQLITE_RANGE, connection: connection)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1), statement)
        }
        for (offset, value) in trailing.enumerated() {
            try bind(value, at: Int32(values.count + offset + 1), statement)
        }
        while true {
            let code = sqlite_nio_sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw SQLiteStatementError(code: code, connection: connection) }
            try row(statement)
        }
    }

    private func bind(_ value: DatabaseValue, at position: Int32, _ statement: OpaquePointer) throws {
        let code: Int32
        switch value {
        case .text(let text?):
            code = sqlite_nio_sqlite3_bind_text64(statement, position, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .integer(let number?):
            code = sqlite_nio_sqlite3_bind_int64(statement, position, Int64(number))
        case .boolean(let flag?):
            code = sqlite_nio_sqlite3_bind_int64(statement, position, flag ? 1 : 0)
        case .text(nil), .integer(nil), .boolean(nil):
            code = sqlite_nio_sqlite3_bind_null(statement, position)
        }
        guard code == SQLITE_OK else { throw SQLiteStatementError(code: code, connection: connection) }
    }

    enum ReturnedText: Equatable {
        case noRow
        case null
        case text(String)
    }

    /// SQLite copies the bound text before `bind` returns.
    private var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}

/// SQLite refused a prepared statement: its result code and message, as SQLite gave them.
struct SQLiteStatementError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    init(code: Int32, connection: OpaquePointer) {
        self.code = code
        message = sqlite_nio_sqlite3_errmsg(connection).map { String(cString: $0) } ?? "SQLite result code \(code)"
    }

    /// Another connection holds the database, so the write can be tried again.
    var isBusy: Bool { [SQLITE_BUSY, SQLITE_LOCKED].contains(code & 0xff) }

    var description: String { "SQLite: \(message)" }
}
