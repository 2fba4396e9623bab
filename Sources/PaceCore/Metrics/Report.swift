/// A machine-readable report (interchange.md, "Machine-readable reports"): named fields, one row per
/// record, written as JSON or as CSV with the same field names.
public struct Report: Sendable, Equatable {
    public enum Value: Sendable, Hashable {
        case text(String)
        case integer(Int)
        case fraction(Double)
        case boolean(Bool)
        case day(Day)
        case null

        public static func optional(_ value: Int?) -> Value { value.map(Value.integer) ?? .null }
        public static func optional(_ value: Day?) -> Value { value.map(Value.day) ?? .null }
        public static func optional(_ value: Bool?) -> Value { value.map(Value.boolean) ?? .null }
        public static func optional(_ value: Double?) -> Value { value.map(Value.fraction) ?? .null }
        public static func optional(_ value: String?) -> Value { value.map(Value.text) ?? .null }

        var json: JSONValue {
            switch self {
            case .text(let text): .string(text)
            case .integer(let number): .integer(number)
            case .fraction(let number): .number(number)
            case .boolean(let flag): .boolean(flag)
            case .day(let day): .string(day.iso)
            case .null: .null
            }
        }

        /// As a CSV cell: missing values are empty, booleans `true`/`false`.
        /// Appends the cell to a CSV text. A whole number and a boolean can never need quoting or a
        /// spreadsheet guard, so they skip the check every other cell gets.
        func appendCSV(to text: inout String) {
            switch self {
            case .text(let value): text.append(CSVWriter.quoted(value))
            case .integer(let number): text.append(String(number))
            case .fraction, .day: text.append(CSVWriter.quoted(csv))
            case .boolean(let flag): text.append(flag ? "true" : "false")
            case .null: break
            }
        }

        public var csv: String {
            switch self {
            case .text(let text): text
            case .integer(let number): String(number)
            case .fraction(let number): String(number)
            case .boolean(let flag): flag ? "true" : "false"
            case .day(let day): day.iso
            case .null: ""
            }
        }
    }

    public enum Format: String, Sendable, CaseIterable {
        case json, csv
    }

    public let name: String
    public let parameters: [(String, String)]
    public let fields: [String]
    public let rows: [[Value]]

    public init(name: String, parameters: [(String, String)], fields: [String], rows: [[Value]]) {
        self.name = name
        self.parameters = parameters
        self.fields = fields
        self.rows = rows
    }

    public static func == (lhs: Report, rhs: Report) -> Bool {
        lhs.name == rhs.name && lhs.fields == rhs.fields && lhs.rows == rhs.rows
            && lhs.parameters.map(\.0) == rhs.parameters.map(\.0) && lhs.parameters.map(\.1) == rhs.parameters.map(\.1)
    }

    public func json(generatedAt: String) -> JSONValue {
        .object([
            ("report", .string(name)),
            ("generated_at", .string(generatedAt)),
            ("parameters", .object(parameters.map { ($0.0, .string($0.1)) })),
            ("rows", .array(rows.map { row in .object(zip(fields, row).map { ($0, $1.json) }) })),
        ])
    }

    public var csv: String {
        var text = ""
        text.reserveCapacity(64 * (rows.count + 1))
        CSVWriter.append(fields, to: &text)
        for row in rows {
            for (index, value) in row.enumerated() {
                if index > 0 { text.append(",") }
                value.appendCSV(to: &text)
            }
            text.append("\r\n")
        }
        return text
    }
}
