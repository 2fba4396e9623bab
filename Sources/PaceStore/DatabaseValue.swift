import PaceCore
import SQLKit

/// One column value as bound into an insert: text, whole number, yes/no, or nothing.
enum DatabaseValue: Encodable, Sendable, Equatable {
    case text(String?)
    case integer(Int?)
    case boolean(Bool?)

    static func day(_ day: Day?) -> DatabaseValue { .text(day?.iso) }
    static func code<Code: DomainCode>(_ code: Code?) -> DatabaseValue { .text(code?.rawValue) }

    /// The value as an SQL expression: a bind of a plain String, Int or Bool (which the drivers convert
    /// directly, without the generic Encodable path), or NULL.
    var expression: any SQLExpression {
        switch self {
        case .text(let value?): SQLBind(value)
        case .integer(let value?): SQLBind(value)
        case .boolean(let value?): SQLBind(value)
        case .text(nil), .integer(nil), .boolean(nil): SQLLiteral.null
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value?): try container.encode(value)
        case .integer(let value?): try container.encode(value)
        case .boolean(let value?): try container.encode(value)
        case .text(nil), .integer(nil), .boolean(nil): try container.encodeNil()
        }
    }
}

/// A record's values for one table, keyed by column name, in the table's column order.
struct TableRow: Sendable {
    var columns: [String]
    var values: [DatabaseValue]

    init(_ pairs: KeyValuePairs<String, DatabaseValue>) {
        columns = pairs.map(\.key)
        values = pairs.map(\.value)
    }

    init(columns: [String], values: [DatabaseValue]) {
        self.columns = columns
        self.values = values
    }
}
