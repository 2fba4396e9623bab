/// A JSON value, for API bodies and reports whose shape comes from data (interchange columns,
/// report fields) rather than a Swift type.

public indirect enum JSONValue: Codable, Sendable, Equatable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case array([JSONValue])
    case object([(String, JSONValue)])
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.boolean(let a), .boolean(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            // JSON objects are unordered: equal when they hold the same keys with equal values.
            a.count == b.count && a.allSatisfy { key, value in b.first { $0.0 == key }?.1 == value }
        case (.null, .null): true
        default: false
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            self = .object(try container.allKeys.map { ($0.stringValue, try container.decode(JSONValue.self, forKey: $0)) })
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !container.isAtEnd { values.append(try container.decode(JSONValue.self)) }
            self = .array(values)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .boolean(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else { self = .string(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in members { try container.encode(value, forKey: Key(stringValue: key)) }
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .integer(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .boolean(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }

    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// A record as a JSON object with its interchange column names and JSON types.
    public static func record<Record: InterchangeRecord>(_ record: Record) -> JSONValue {
        .object(zip(Record.columns, record.csvFields).map { column, text in (column.name, typed(text, column.type)) })
    }

    static func typed(_ text: String, _ type: InterchangeColumn.ValueType) -> JSONValue {
        guard !text.isEmpty else { return type == .list ? .array([]) : .null }
        switch type {
        case .integer: return Int(text).map(JSONValue.integer) ?? .string(text)
        case .boolean: return .boolean(text == "yes")
        case .list: return .array(text.split(separator: ";").map { .string(String($0)) })
        case .text, .day: return .string(text)
        }
    }

    /// The field texts a form would carry, so JSON bodies pass through the same checks as CSV rows.
    public var formValues: [String: String]? {
        guard case .object(let members) = self else { return nil }
        var values: [String: String] = [:]
        for (key, value) in members {
            switch value {
            case .string(let text): values[key] = text
            case .integer(let number): values[key] = String(number)
            case .number(let number): values[key] = String(number)
            case .boolean(let flag): values[key] = flag ? "yes" : "no"
            case .array(let items):
                values[key] = items.compactMap { if case .string(let text) = $0 { text } else { nil } }.joined(separator: ";")
            case .null: values[key] = ""
            case .object: values[key] = "\u{1}"
            }
        }
        return values
    }

    /// The value as compact JSON text, keys in the order given. Written directly rather than through
    /// JSONEncoder, which spent a fifth of an API request's time on this.
    public var serialized: String {
        var output = ""
        output.reserveCapacity(256)
        write(to: &output)
        return output
    }

    private func write(to output: inout String) {
        switch self {
        case .string(let text): JSONValue.writeString(text, to: &output)
        case .integer(let number): output += String(number)
        case .number(let number): output += number.isFinite ? String(number) : "null"
        case .boolean(let flag): output += flag ? "true" : "false"
        case .null: output += "null"
        case .array(let values):
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                JSONValue.writeString(key, to: &output)
                output += ":"
                value.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "<": output += "\\u003c"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
