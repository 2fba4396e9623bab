import Foundation

/// When a record last changed in Pace: UTC to the millisecond, `YYYY-MM-DDTHH:MM:SS.sssZ`
/// (interchange.md). The fixed width makes text order the same as time order.
public enum ChangeStamp {
    public static func now(_ date: Date = Date()) -> String {
        // To the nearest millisecond: 0.007 s is 6.999… in binary and must still read .007.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds.floorDivided(by: 1000)
        let fraction = Int(milliseconds - seconds * 1000)
        let day = Day(ordinal: Int(seconds.floorDivided(by: 86_400)))
        let inDay = Int(seconds - seconds.floorDivided(by: 86_400) * 86_400)
        return day.iso + "T" + two(inDay / 3600) + ":" + two(inDay / 60 % 60) + ":" + two(inDay % 60) + "." + three(fraction) + "Z"
    }

    /// The stamp in its one written form, or nil when the text is not one (a second-precision or
    /// offset form is accepted and written out in full).
    public static func normalised(_ text: String) -> String? {
        // A spreadsheet shows "2026-12-02 02:46:07" (or with milliseconds) for Pace's UTC time.
        if text.utf8.count >= 19, text.utf8.count <= 23, !text.hasSuffix("Z"), text.contains(" ") {
            return normalised(text.replacingOccurrences(of: " ", with: "T") + "Z")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return now(date) }
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return now(date) }
        return nil
    }

    /// "3 December 2026 at 10:04 UTC", for messages.
    public static func readable(_ stamp: String) -> String {
        guard stamp.utf8.count >= 16, let day = Day(iso: String(stamp.prefix(10))) else { return stamp }
        let start = stamp.index(stamp.startIndex, offsetBy: 11)
        let end = stamp.index(start, offsetBy: 5)
        return "\(day.longText) at \(stamp[start..<end]) UTC"
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
    private static func three(_ value: Int) -> String { value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : String(value) }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
