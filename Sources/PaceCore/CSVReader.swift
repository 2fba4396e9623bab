/// One record of a CSV file. `number` counts records from the header, which is record 1.
public struct CSVRecord: Sendable, Equatable {
    public let number: Int
    public let fields: [String]

    public init(number: Int, fields: [String]) {
        self.number = number
        self.fields = fields
    }

    /// True for a line with no text at all (spreadsheets often leave these at the end).
    public var isBlank: Bool { fields.allSatisfy(\.isEmpty) }
}

/// Why a file could not be read as CSV at all; `record` is where reading stopped.
public struct CSVSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case notText
        case notUTF8
        case unterminatedQuote
        case quoteInUnquotedField
        case textAfterClosingQuote
        case fieldTooLong(limit: Int)
        case tooManyFields(limit: Int)
    }

    public let record: Int
    public let field: Int
    public let reason: Reason

    public init(record: Int, field: Int, reason: Reason) {
        self.record = record
        self.field = field
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .notText: "the file is not text (it contains NUL bytes): is it a spreadsheet or other binary file?"
        case .notUTF8: "the text is not UTF-8: save the file as CSV UTF-8"
        case .unterminatedQuote: "a quoted field is never closed"
        case .quoteInUnquotedField: "a quote appears inside an unquoted field: quote the whole field and double the quote"
        case .textAfterClosingQuote: "text follows a closing quote: quote the whole field and double any quote inside it"
        case .fieldTooLong(let limit): "a field is longer than \(limit) bytes"
        case .tooManyFields(let limit): "a record has more than \(limit) fields"
        }
    }
}

/// Reads RFC 4180 CSV from a stream of byte chunks, one record at a time, so memory does not grow with
/// the file. Accepts a leading byte-order mark and CRLF, LF or CR line endings; quoted fields may hold
/// commas, doubled quotes and line breaks.
public struct CSVReader {
    public static let fieldLimit = 1 << 20
    public static let fieldCountLimit = 512

    private let nextChunk: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private var atStart = true
    private var recordsRead = 0

    /// `nextChunk` returns the next bytes of the file, or nil at its end.
    public init(nextChunk: @escaping () throws -> [UInt8]?) {
        self.nextChunk = nextChunk
    }

    public init(bytes: [UInt8]) {
        var delivered = false
        self.init {
            guard !delivered else { return nil }
            delivered = true
            return bytes
        }
    }

    public init(text: String) {
        self.init(bytes: Array(text.utf8))
    }

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    /// The next record, or nil at the end of the file.
    public mutating func next() throws -> CSVRecord? {
        if atStart {
            atStart = false
            try skipByteOrderMark()
        }
        var fields: [String] = []
        var field: [UInt8] = []
        var state = State.fieldStart
        let recordNumber = recordsRead + 1

        func finishField() throws {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw CSVSyntaxError(record: recordNumber, field: fields.count + 1, reason: .notUTF8)
            }
            // Pace's own exports guard cells against spreadsheet formulas; reading one back undoes that.
            fields.append(field.first == UInt8(ascii: "'") ? SpreadsheetSafety.restored(text) : text)
            field.removeAll(keepingCapacity: true)
            if fields.count > CSVReader.fieldCountLimit {
                throw CSVSyntaxError(record: recordNumber, field: fields.count, reason: .tooManyFields(limit: CSVReader.fieldCountLimit))
            }
        }

        func append(_ byte: UInt8) throws {
            guard field.count < CSVReader.fieldLimit else {
                throw CSVSyntaxError(record: recordNumber, field: fields.count + 1, reason: .fieldTooLong(limit: CSVReader.fieldLimit))
            }
            field.append(byte)
        }

        while true {
            guard let byte = try nextByte() else {
                switch state {
                case .quoted:
                    throw CSVSyntaxError(record: recordNumber, field: fields.count + 1, reason: .unterminatedQuote)
                case .fieldStart where fields.isEmpty:
                    return nil
                default:
                    try finishField()
                    return finishRecord(fields)
                }
            }
            if byte == 0 {
                throw CSVSyntaxError(record: recordNumber, field: fields.count + 1, reason: .notText)
            }
            switch state {
            case .fieldStart, .unquoted, .quoteInQuoted:
                if state == .fieldStart && byte == UInt8(ascii: "\"") {
                    state = .quoted
                } else if byte == UInt8(ascii: ",") {
                    try finishField()
                    state = .fieldStart
                } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    if byte == UInt8(ascii: "\r") { try skipLineFeed() }
                    try finishField()
                    return finishRecord(fields)
                } else if state == .quoteInQuoted {
                    if byte == UInt8(ascii: "\"") {
                        try append(byte)
                        state = .quoted
                    } else {
                        throw CSVSyntaxError(record: recordNumber, field: fields.count + 1, reason: .textAfterClosingQuote)
                    }
                } else if byte == UInt8(ascii: "\"") {
                    throw CSVSyntaxError(record: recordNumber, field: fields.count + 1, reason: .quoteInUnquotedField)
                } else {
                    try append(byte)
                    state = .unquoted
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    state = .quoteInQuoted
                } else {
                    try append(byte)
                }
            }
        }
    }

    private mutating func finishRecord(_ fields: [String]) -> CSVRecord {
        recordsRead += 1
        return CSVRecord(number: recordsRead, fields: fields)
    }

    private mutating func nextByte() throws -> UInt8? {
        while position >= buffer.count {
            guard !finished, let chunk = try nextChunk() else {
                finished = true
                return nil
            }
            buffer = chunk
            position = 0
        }
        defer { position += 1 }
        return buffer[position]
    }

    private mutating func peekByte() throws -> UInt8? {
        guard let byte = try nextByte() else { return nil }
        position -= 1
        return byte
    }

    private mutating func skipLineFeed() throws {
        if try peekByte() == UInt8(ascii: "\n") { position += 1 }
    }

    private mutating func skipByteOrderMark() throws {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        // The mark could straddle chunks, so gather up to three bytes before deciding.
        while buffer.count - position < 3, !finished {
            guard let chunk = try nextChunk() else {
                finished = true
                break
            }
            buffer = Array(buffer[position...]) + chunk
            position = 0
        }
        if buffer.count - position >= 3, Array(buffer[position..<position + 3]) == mark {
            position += 3
        }
    }
}

/// Every CSV Pace writes may be opened in a spreadsheet, where a cell beginning `=`, `+`, `-`, `@`, tab
/// or CR is run as a formula (OWASP "CSV injection"). Such a cell is written with a `'` in front, which
/// spreadsheets show as text. Plain numbers (`-0.25`, `12`) cannot be formulas and are left alone.
///
/// The round trip stays lossless: a cell that already begins with `'` before one of those characters
/// gets one more, and the importer takes exactly one `'` off a cell of that shape, so an export read
/// back gives exactly what was exported (interchange.md, "CSV files").
public enum SpreadsheetSafety {
    static func isTrigger(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@")
            || byte == 0x09 || byte == 0x0D
    }

    /// True for `'`* followed by a trigger character.
    static func needsGuard(_ field: String) -> Bool {
        for byte in field.utf8 {
            if byte == UInt8(ascii: "'") { continue }
            return isTrigger(byte)
        }
        return false
    }

    /// `-0.25`, `12`, and the exponent form a very small rate is written in (`-2.6e-05`): a spreadsheet
    /// reads each as a number, never as a formula.
    static func isPlainNumber(_ field: String) -> Bool {
        var bytes = field.utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var mantissa = bytes, exponent: Substring.UTF8View?
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            mantissa = bytes[..<e]
            var rest = bytes[bytes.index(after: e)...]
            if rest.first == UInt8(ascii: "-") || rest.first == UInt8(ascii: "+") { rest = rest.dropFirst() }
            exponent = rest
        }
        if let exponent, exponent.isEmpty || !exponent.allSatisfy(Identifiers.isASCIIDigit) { return false }
        guard let first = mantissa.first, Identifiers.isASCIIDigit(first) else { return false }
        var seenPoint = false
        for byte in mantissa {
            if byte == UInt8(ascii: ".") && !seenPoint { seenPoint = true; continue }
            guard Identifiers.isASCIIDigit(byte) else { return false }
        }
        return mantissa.last != UInt8(ascii: ".")
    }

    public static func guarded(_ field: String) -> String {
        guard let first = field.utf8.first, isTrigger(first) || first == UInt8(ascii: "'") else { return field }
        guard needsGuard(field), !isPlainNumber(field) else { return field }
        return "'" + field
    }

    public static func restored(_ field: String) -> String {
        guard field.utf8.first == UInt8(ascii: "'") else { return field }
        let rest = String(field.dropFirst())
        return needsGuard(rest) && !isPlainNumber(rest) ? rest : field
    }
}

/// Writes RFC 4180 CSV: fields with a comma, quote or line break are quoted; lines end with CRLF.
public enum CSVWriter {
    public static func line(_ fields: [String]) -> String {
        var line = ""
        append(fields, to: &line)
        return line
    }

    /// Appends one CSV line to `text`, so a large file is built in one string rather than line by line.
    public static func append(_ fields: [String], to text: inout String) {
        for (index, field) in fields.enumerated() {
            if index > 0 { text.append(",") }
            text.append(quoted(field))
        }
        text.append("\r\n")
    }

    public static func quoted(_ field: String) -> String {
        let field = SpreadsheetSafety.guarded(field)
        // A byte scan: every character that needs quoting is ASCII.
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
            return field
        }
        var result = "\""
        for character in field {
            if character == "\"" { result.append("\"") }
            result.append(character)
        }
        result.append("\"")
        return result
    }
}
