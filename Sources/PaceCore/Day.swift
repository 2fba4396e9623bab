import Foundation

/// A calendar day (no time, no time zone), as the national returns count them.
///
/// Stored as a count of days since 1970-01-01 so that day differences are exact integer subtraction;
/// conversions use the proleptic Gregorian calendar (Howard Hinnant's civil-date algorithms).
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int

    public init(ordinal: Int) {
        self.ordinal = ordinal
    }

    /// The years a research system can mean. Every day, month, quarter and financial year read from
    /// outside must fall in them, so nothing behind the boundary meets a year whose arithmetic could
    /// overflow or leave the calendar (a report over the months after 9999-12 once stopped the server).
    public static let meaningfulYears = 1900...2199

    /// Returns nil when the parts do not name a real day (e.g. 2025-02-29) in `meaningfulYears`.
    public init?(year: Int, month: Int, day: Int) {
        guard Day.meaningfulYears.contains(year), (1...12).contains(month),
              (1...Day.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        ordinal = Day.ordinal(year: year, month: month, day: day)
    }

    /// Days since 1970-01-01 of a valid month and day in any year: for arithmetic on days already
    /// checked (a month after 2199-12 is still a month), never for reading input.
    static func ordinal(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Parses exactly `YYYY-MM-DD`; anything else (other separators, missing zeros, impossible days) is nil.
    public init?(iso text: String) {
        var text = text
        // A concrete, contiguous parse: reports read hundreds of thousands of dates, and the generic
        // sequence walk this replaced dominated their time.
        guard let parsed = text.withUTF8({ Day.parse($0) }) else { return nil }
        self.init(year: parsed.year, month: parsed.month, day: parsed.day)
    }

    public init?(iso text: Substring) {
        self.init(iso: String(text))
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (year: Int, month: Int, day: Int)? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return (year, month, day)
    }

    public var parts: (year: Int, month: Int, day: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    public var year: Int { parts.year }
    public var month: Int { parts.month }

    public var iso: String {
        let (year, month, day) = parts
        return Day.pad(year, 4) + "-" + Day.pad(month, 2) + "-" + Day.pad(day, 2)
    }

    public var description: String { iso }

    public func adding(days: Int) -> Day {
        Day(ordinal: ordinal + days)
    }

    /// Calendar days from `self` to `other` (other − self).
    public func days(to other: Day) -> Int {
        other.ordinal - ordinal
    }

    /// The first day of this day's month.
    public var startOfMonth: Day {
        let (year, month, _) = parts
        return Day(ordinal: Day.ordinal(year: year, month: month, day: 1))
    }

    /// The last day of this day's calendar month.
    public var endOfMonth: Day {
        let (year, month, _) = parts
        return Day(ordinal: Day.ordinal(year: year, month: month, day: Day.daysInMonth(year: year, month: month)))
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The UTC calendar day of an instant.
    public init(_ date: Date) {
        ordinal = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    public static func today() -> Day {
        Day(Date())
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a date as YYYY-MM-DD, got \(text)")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
