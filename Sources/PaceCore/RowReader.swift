/// A problem with one field of one row or form.
public struct FieldProblem: Error, Sendable, Hashable {
    public let column: String
    public let message: String
    /// The value is plausible only once a person confirms it (a count far above the site's size):
    /// forms ask for the confirmation instead of refusing outright.
    public let needsConfirmation: Bool

    public init(column: String, message: String, needsConfirmation: Bool = false) {
        self.column = column
        self.message = message
        self.needsConfirmation = needsConfirmation
    }
}

/// Reads typed values out of one CSV row or one submitted form, collecting every problem rather than
/// stopping at the first, so a user sees all that is wrong at once.
public struct RowReader {
    private let value: (String) -> String?
    public private(set) var problems: [FieldProblem] = []
    /// Actual dates may not be after this day (domain.md §3a); tests set it to a fixed day.
    public var today = Day.today()

    public static let earliestYear = 1980
    public static let latestYear = 2100

    /// A row from a CSV file: `columns` maps a column name to its index in `fields`.
    public init(columns: [String: Int], fields: [String]) {
        value = { name in
            guard let index = columns[name], index < fields.count else { return nil }
            return fields[index]
        }
    }

    /// A submitted form, or any name → value pairs.
    public init(values: [String: String]) {
        value = { values[$0] }
    }

    public mutating func problem(_ column: String, _ message: String) {
        problems.append(FieldProblem(column: column, message: message))
    }

    /// The trimmed text of a column, or nil when it is blank.
    public mutating func text(_ column: String, required: Bool = false, maxLength: Int = 200) -> String? {
        let trimmed = value(column).map(RowReader.trimmed) ?? ""
        if trimmed.isEmpty {
            if required { problem(column, "is required") }
            return nil
        }
        // A character is at least one byte, so only long byte counts need counting characters.
        if trimmed.utf8.count > maxLength && trimmed.count > maxLength {
            problem(column, "is longer than \(maxLength) characters")
            return nil
        }
        if RowReader.containsControlCharacter(trimmed) {
            problem(column, "contains a line break or control character")
            return nil
        }
        return trimmed
    }

    /// Trims spaces, tabs and line breaks; checks the ends' bytes first because most values need nothing.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last else { return text }
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte >= 0x80 }
        return isSpace(first) || isSpace(last) ? text.trimmingSpaces : text
    }

    /// C0 and C1 control characters (and DEL), found from the UTF-8 bytes without Unicode tables.
    public static func containsControlCharacter(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F { return true }
            // U+0080…U+009F are encoded as 0xC2 followed by 0x80…0x9F.
            if previous == 0xC2 && byte >= 0x80 && byte <= 0x9F { return true }
            previous = byte
        }
        return false
    }

    /// C0 and C1 control characters and DEL, one scalar at a time.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The text with each control character written as U+FFFD, for text that must be kept or shown
    /// whatever it holds (the audit trail, a refused value quoted back).
    public static func replacingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? "\u{FFFD}" : $0 }))
    }

    public mutating func day(_ column: String, required: Bool = false) -> Day? {
        guard let text = text(column, required: required, maxLength: 40) else { return nil }
        guard let day = Day(iso: text) else {
            var copy = text
            if let parts = copy.withUTF8({ Day.parse($0) }), !Day.meaningfulYears.contains(parts.year) {
                problem(column, "\(text) is outside \(RowReader.earliestYear)–\(RowReader.latestYear): check the year")
            } else {
                problem(column, "'\(text)' is not a date: write it as YYYY-MM-DD, e.g. 2025-04-01")
            }
            return nil
        }
        guard (RowReader.earliestYear...RowReader.latestYear).contains(day.year) else {
            problem(column, "\(text) is outside \(RowReader.earliestYear)–\(RowReader.latestYear): check the year")
            return nil
        }
        return day
    }

    /// A date something happened on: refused when it is after today.
    public mutating func actualDay(_ column: String, required: Bool = false) -> Day? {
        guard let day = day(column, required: required) else { return nil }
        if today < day {
            problem(column, "\(day.longText) is in the future: a date something happened cannot be after today, \(today.longText).")
            return nil
        }
        return day
    }

    /// Adds each set-up date out of the order of domain.md §3a as a problem on the later date's column.
    public mutating func requireSetUpOrder(_ day: (Milestone) -> Day?) {
        for orderBreak in SetUpOrder.breaks(day) {
            problem(orderBreak.later.rawValue, orderBreak.message)
        }
    }

    public mutating func integer(_ column: String, required: Bool = false, in range: ClosedRange<Int>) -> Int? {
        guard let text = text(column, required: required, maxLength: 40) else { return nil }
        guard let number = Int(text) else {
            problem(column, "'\(text)' is not a whole number")
            return nil
        }
        guard range.contains(number) else {
            problem(column, "\(number) is outside \(range.lowerBound)–\(range.upperBound)")
            return nil
        }
        return number
    }

    public mutating func boolean(_ column: String) -> Bool? {
        guard let text = text(column, maxLength: 10) else { return nil }
        switch text.lowercased() {
        case "yes", "true": return true
        case "no", "false": return false
        default:
            problem(column, "'\(text)' must be yes or no")
            return nil
        }
    }

    public mutating func code<Code: DomainCode>(_ column: String, _ type: Code.Type, required: Bool = false) -> Code? {
        guard let text = text(column, required: required, maxLength: 80) else { return nil }
        guard let code = Code(rawValue: text) ?? Code(rawValue: text.lowercased()) else {
            problem(column, "'\(text)' is not one of: \(Code.codeList)")
            return nil
        }
        return code
    }

    public mutating func odsCode(_ column: String, required: Bool = false) -> String? {
        guard let text = text(column, required: required, maxLength: 40) else { return nil }
        guard let code = Identifiers.normalisedODSCode(text) else {
            problem(column, "'\(text)' is not an organisation code (2–12 letters or digits, e.g. RT5)")
            return nil
        }
        return code
    }

    public mutating func cpmsID(_ column: String = "cpms_id", required: Bool = true) -> Int? {
        guard let text = text(column, required: required, maxLength: 40) else { return nil }
        guard let id = Identifiers.cpmsID(text) else {
            problem(column, "'\(text)' is not a CPMS ID (a positive whole number)")
            return nil
        }
        return id
    }

    /// Adds a problem on `laterColumn` when both days are present and it comes before `earlier`.
    public mutating func requireOrder(_ earlier: Day?, _ earlierColumn: String, _ later: Day?, _ laterColumn: String) {
        if let earlier, let later, later < earlier {
            problem(laterColumn, "\(later.longText) is before \(RowReader.phrase(earlierColumn)), \(earlier.longText).")
        }
    }

    /// A column's name as words: "planned_open" → "the planned open date" reads better than the code.
    static func phrase(_ column: String) -> String {
        let words = String(column.map { $0 == "_" ? " " : $0 })
        return words.hasSuffix("date") ? "the \(words)" : "the \(words) date"
    }
}
