/// A UK financial year, 1 April to 31 March, named by its first calendar year: `2025-26`.
public struct FinancialYear: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let startYear: Int

    public init(startYear: Int) {
        self.startYear = startYear
    }

    public init(containing day: Day) {
        let (year, month, _) = day.parts
        startYear = month >= 4 ? year : year - 1
    }

    /// Parses `2025-26` (the second part must be the following year) in `Day.meaningfulYears`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts[0].allSatisfy(\.isASCIIDigit), parts[1].allSatisfy(\.isASCIIDigit),
              let start = Int(parts[0]), let end = Int(parts[1]), (start + 1) % 100 == end,
              Day.meaningfulYears.contains(start) else { return nil }
        startYear = start
    }

    public var firstDay: Day { Day(ordinal: Day.ordinal(year: startYear, month: 4, day: 1)) }
    public var lastDay: Day { Day(ordinal: Day.ordinal(year: startYear + 1, month: 3, day: 31)) }

    public func contains(_ day: Day) -> Bool {
        firstDay <= day && day <= lastDay
    }

    public var description: String {
        let end = (startYear + 1) % 100
        return "\(startYear)-\(end < 10 ? "0" : "")\(end)"
    }

    public static func < (lhs: FinancialYear, rhs: FinancialYear) -> Bool {
        lhs.startYear < rhs.startYear
    }
}

/// A quarter of a UK financial year: Q1 is April–June, Q4 is January–March of the following calendar year.
public struct FinancialQuarter: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: FinancialYear
    public let number: Int

    public init?(year: FinancialYear, number: Int) {
        guard (1...4).contains(number) else { return nil }
        self.year = year
        self.number = number
    }

    public init(containing day: Day) {
        year = FinancialYear(containing: day)
        let month = day.month
        number = month >= 4 ? (month - 4) / 3 + 1 : 4
    }

    /// Parses `2025-26-Q1`.
    public init?(_ text: String) {
        guard text.count == 10 else { return nil }
        let yearPart = String(text.prefix(7))
        let quarterPart = text.suffix(3)
        guard quarterPart.first == "-", quarterPart.dropFirst().first == "Q" || quarterPart.dropFirst().first == "q",
              let last = quarterPart.last, last.isASCIIDigit,
              let number = Int(String(last)), let year = FinancialYear(yearPart) else { return nil }
        self.init(year: year, number: number)
    }

    public var firstDay: Day {
        let month = 4 + (number - 1) * 3
        let calendarYear = month > 12 ? year.startYear + 1 : year.startYear
        return Day(ordinal: Day.ordinal(year: calendarYear, month: month > 12 ? month - 12 : month, day: 1))
    }

    public var lastDay: Day {
        next.firstDay.adding(days: -1)
    }

    public var next: FinancialQuarter {
        number == 4 ? FinancialQuarter(uncheckedYear: FinancialYear(startYear: year.startYear + 1), number: 1)
            : FinancialQuarter(uncheckedYear: year, number: number + 1)
    }

    public var previous: FinancialQuarter {
        number == 1 ? FinancialQuarter(uncheckedYear: FinancialYear(startYear: year.startYear - 1), number: 4)
            : FinancialQuarter(uncheckedYear: year, number: number - 1)
    }

    public func contains(_ day: Day) -> Bool {
        firstDay <= day && day <= lastDay
    }

    public var description: String { "\(year)-Q\(number)" }

    /// "Q3 2025–26", as a report's reader writes it.
    public var longText: String { "Q\(number) \(year.startYear)–\(String(year.startYear + 1).suffix(2))" }

    public static func < (lhs: FinancialQuarter, rhs: FinancialQuarter) -> Bool {
        (lhs.year.startYear, lhs.number) < (rhs.year.startYear, rhs.number)
    }

    private init(uncheckedYear: FinancialYear, number: Int) {
        year = uncheckedYear
        self.number = number
    }
}

extension Character {
    /// 0–9 only: `Int("+5")` and other digits of other scripts are not part of Pace's formats.
    var isASCIIDigit: Bool { isASCII && isNumber }
}
