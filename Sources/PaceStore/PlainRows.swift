import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOPosix
import PaceCore
import SQLKit

/// A result row as plain values by position, read straight from the driver. A region-wide report
/// reads a hundred thousand site rows; SQLKit's Decodable path spent most of the report's time on them.
struct PlainRow: RecordRow {
    enum Value: Sendable {
        case text(String)
        case integer(Int)
        case real(Double)
        case null
    }

    let positions: ColumnPositions
    let values: [Value]

    private func value(_ column: String) -> Value {
        guard let index = positions[column], index < values.count else { return .null }
        return values[index]
    }

    func text(_ column: String) throws -> String? {
        switch value(column) {
        case .text(let text): text
        case .integer(let number): String(number)
        case .real(let number): String(number)
        case .null: nil
        }
    }

    func integer(_ column: String) throws -> Int? {
        switch value(column) {
        case .integer(let number): number
        case .text(let text): Int(text)
        case .real(let number): Int(exactly: number)
        case .null: nil
        }
    }

    /// The value at a position as an integer, for queries read by position.
    func integer(at index: Int) -> Int? {
        guard index < values.count else { return nil }
        switch values[index] {
        case .integer(let number): return number
        case .text(let text): return Int(text)
        case .real(let number): return Int(exactly: number)
        case .null: return nil
        }
    }

    func boolean(_ column: String) throws -> Bool? {
        switch value(column) {
        case .integer(let number): number != 0
        case .text(let text): text == "t" || text == "true" || text == "1"
        case .real(let number): number != 0
        case .null: nil
        }
    }
}

struct UnsupportedBind: Error, CustomStringConvertible {
    let type: String
    var description: String { "a query bound a value of type \(type), which plain rows do not send" }
}

extension Database {
    /// The query's text for this database, and its bound values (plain rows bind only text and integers).
    private func serialized(_ query: SQLQueryString) throws -> (text: String, binds: [DatabaseValue]) {
        var serializer = SQLSerializer(database: try self.sql())
        query.serialize(to: &serializer)
        let binds = try serializer.binds.map { bind -> DatabaseValue in
            switch bind {
            case let text as String: return .text(text)
            case let number as Int: return .integer(number)
            default: throw UnsupportedBind(type: String(describing: Swift.type(of: bind)))
            }
        }
        return (serializer.sql, binds)
    }

    /// Runs `query` and returns its rows as plain values, through SQLite or PostgreSQL directly.
    func plainRows(_ query: SQLQueryString) async throws -> [PlainRow] {
        try await plainRows(query) { $0 }
    }

    /// Runs `query` and answers what `transform` makes of each row; on SQLite each row is made as it is
    /// read, so a region's rows are never held as plain values and as records at once.
    /// `expected` is how many rows there may be, so room for them is made once.
    func plainRows<Element: Sendable>(_ query: SQLQueryString, expected: Int = 0,
                                      _ transform: @escaping @Sendable (PlainRow) throws -> Element) async throws -> [Element] {
        let (text, binds) = try serialized(query)
        if let sqlite = self as? any SQLiteDatabase {
            if let direct = try await sqlite.directly({ try SQLitePreparedStatement(text, on: $0, persistent: false).rows(binds, expected: expected, transform) }) {
                return direct
            }
            let rows = try await sqlite.query(text, binds.map(\.sqliteData))
            guard let first = rows.first else { return [] }
            let positions = ColumnPositions(first.columns.map(\.name))
            return try rows.map { row in
                try transform(PlainRow(positions: positions, values: row.columns.map { column in
                    switch column.data {
                    case .text(let text): .text(text)
                    case .integer(let number): .integer(number)
                    case .float(let number): .real(number)
                    case .blob, .null: .null
                    }
                }))
            }
        }
        if let postgres = self as? any PostgresDatabase {
            let result = try await postgres.query(text, binds.map(\.postgresData)).get()
            guard let first = result.rows.first else { return [] }
            let positions = ColumnPositions(first.makeRandomAccess().map(\.columnName))
            return try result.rows.map { row in
                try transform(PlainRow(positions: positions, values: try row.map { cell in
                    guard cell.bytes != nil else { return .null }
                    switch cell.dataType {
                    case .int2, .int4, .int8: return .integer(try cell.decode(Int.self))
                    case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
                    case .float4, .float8, .numeric: return .real(try cell.decode(Double.self))
                    default: return .text(try cell.decode(String.self))
                    }
                }))
            }
        }
        // Pace opens only SQLite and PostgreSQL (DatabaseLocation).
        throw NotSQLDatabase()
    }
}

extension Database {
    /// Runs `query` and answers its first `width` columns as integers, row after row in one flat array
    /// (a null reads as 0).
    func integerColumns(_ query: SQLQueryString, width: Int) async throws -> [Int] {
        let (text, binds) = try serialized(query)
        if let sqlite = self as? any SQLiteDatabase {
            if let direct = try await sqlite.directly({ try SQLitePreparedStatement(text, on: $0, persistent: false).integerColumns(binds, width: width) }) {
                return direct
            }
        }
        var numbers: [Int] = []
        for row in try await plainRows(query) {
            for index in 0..<width { numbers.append(row.integer(at: index) ?? 0) }
        }
        return numbers
    }

    /// The sum of `amount` for each `key` over the rows of `table` that `condition` selects.
    /// PostgreSQL groups the rows itself and sends one per key; SQLite's GROUP BY would sort them
    /// first (a few hundred thousand roll-up rows for a region's year), so it hands the rows over from
    /// the covering index and Swift adds them up.
    func sums(of amount: SQLQueryString, by key: String, from table: String, where condition: SQLQueryString) async throws -> [Int: Int] {
        let grouped = try self.sql().dialect.name != "sqlite"
        let query: SQLQueryString = grouped
            ? "SELECT \(ident: key), CAST(SUM(" + amount + ") AS BIGINT) FROM \(ident: table) WHERE " + condition + " GROUP BY \(ident: key)"
            : "SELECT \(ident: key), " + amount + " FROM \(ident: table) WHERE " + condition
        let numbers = try await integerColumns(query, width: 2)
        var sums: [Int: Int] = [:]
        var index = 0
        while index + 1 < numbers.count {
            sums[numbers[index], default: 0] += numbers[index + 1]
            index += 2
        }
        return sums
    }
}

extension SQLiteDatabase {
    /// Runs `body` on this database's raw connection, held for the call, in one hop to the thread
    /// pool: SQLiteNIO hands every result row to the event loop one at a time, which cost a
    /// region-wide report more than SQLite's own work. Nil when the raw connection cannot be reached.
    func directly<Result: Sendable>(_ body: @escaping @Sendable (SQLitePreparedStatement.RawConnection) throws -> Result) async throws -> Result? {
        try await withConnection { connection -> Result? in
            guard let raw = SQLitePreparedStatement.rawHandle(of: connection) else { return nil }
            return try await NIOThreadPool.singleton.runIfActive { try body(raw) }
        }
    }
}

extension DatabaseValue {
    var postgresData: PostgresData {
        switch self {
        case .text(let text?): PostgresData(string: text)
        case .integer(let number?): PostgresData(int64: Int64(number))
        case .boolean(let flag?): PostgresData(bool: flag)
        case .text(nil), .integer(nil), .boolean(nil): .null
        }
    }

    /// The value as SQLiteNIO binds it.
    var sqliteData: SQLiteData {
        switch self {
        case .text(let text?): .text(text)
        case .integer(let number?): .integer(number)
        case .boolean(let flag?): .integer(flag ? 1 : 0)
        case .text(nil), .integer(nil), .boolean(nil): .null
        }
    }
}
