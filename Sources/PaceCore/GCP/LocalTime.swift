import Foundation

/// Times of day as a UK research team writes them (local time, to the minute), stored as UTC.
public enum LocalTime {
    static let london = TimeZone(identifier: "Europe/London") ?? .gmt

    /// Reads "yyyy-mm-ddThh:mm" (a browser's date-and-time field) or "yyyy-mm-dd hh:mm" as UK time.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingSpaces
        guard trimmed.utf8.count == 16 else { return nil }
        let separator = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 10)]
        guard separator == "T" || separator == " ", let day = Day(iso: String(trimmed.prefix(10))) else { return nil }
        let clock = trimmed.suffix(5).split(separator: ":")
        guard clock.count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]), (0..<24).contains(hour), (0..<60).contains(minute),
              clock[0].count == 2, clock[1].count == 2 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = london
        let parts = day.parts
        return calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: hour, minute: minute))
    }

    /// The UK time as the form field shows it.
    public static func formField(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = london
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// The UK time for reading, e.g. "2026-11-20 14:30".
    public static func display(_ date: Date) -> String {
        formField(date).replacingOccurrences(of: "T", with: " ")
    }

    /// UTC as stored: ISO 8601 to the second.
    public static func stored(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }

    public static func fromStored(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
    }
}
