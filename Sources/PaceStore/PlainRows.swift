import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
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

    let positions: [String: Int]
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
    /// Runs `query` and returns its rows as plain values, through SQLite or PostgreSQL directly.
    func plainRows(_ query: SQLQueryString) async throws -> [PlainRow] {
        var serializer = SQLSerializer(database: try self.sql())
        query.serialize(to: &serializer)
        if let sqlite = self as? any SQLiteDatabase {
            let binds = try serializer.binds.map { bind -> SQLiteData in
                switch bind {
                case let text as String: return .text(text)
                case let number as Int: return .integer(number)
                default: throw UnsupportedBind(type: String(describing: Swift.type(of: bind)))
                }
            }
            let rows = try await sqlite.query(serializer.sql, binds)
            guard let first = rows.first else { return [] }
            let positions = Dictionary(first.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
            return rows.map { row in
                PlainRow(positions: positions, values: row.columns.map { column in
                    switch column.data {
                    case .text(let text): .text(text)
                    case .integer(let number): .integer(number)
                    case .float(let number): .real(number)
                    case .blob, .null: .null
                    }
                })
            }
        }
        if let postgres = self as? any PostgresDatabase {
            let binds = try serializer.binds.map { bind -> PostgresData in
                switch bind {
                case let text as String: return PostgresData(string: text)
                case let number as Int: return PostgresData(int64: Int64(number))
                default: throw UnsupportedBind(type: String(describing: Swift.type(of: bind)))
                }
            }
            let result = try await postgres.query(serializer.sql, binds).get()
            guard let first = result.rows.first else { return [] }
            let positions = Dictionary(first.makeRandomAccess().enumerated().map { ($1.columnName, $0) }, uniquingKeysWith: { first, _ in first })
            return try result.rows.map { row in
                PlainRow(positions: positions, values: try row.map { cell in
                    guard cell.bytes != nil else { return .null }
                    switch cell.dataType {
                    case .int2, .int4, .int8: return .integer(try cell.decode(Int.self))
                    case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
                    case .float4, .float8, .numeric: return .real(try cell.decode(Double.self))
                    default: return .text(try cell.decode(String.self))
                    }
                })
            }
        }
        // Pace opens only SQLite and PostgreSQL (DatabaseLocation).
        throw NotSQLDatabase()
    }
}
