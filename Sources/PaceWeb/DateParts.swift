/// The NHS.UK date input sends a date as day, month and year boxes (and a time box where the moment
/// matters). They become the one ISO value the readers check here, at the edge, before anything else
/// reads the form or query, so every rule about dates stays in one place.
enum DateParts {
    static let day = "-day", month = "-month", year = "-year", time = "-time"

    /// `values` with each `name-day`/`name-month`/`name-year` set also given as `name`: "2026-03-01"
    /// for 1, 3, 2026 or 01, 03, 2026; "" when all are empty; otherwise the parts as typed, which the
    /// reader refuses as not a date.
    static func combine(_ values: [String: String]) -> [String: String] {
        var combined = values
        for key in values.keys where key.hasSuffix(year) {
            let name = String(key.dropLast(year.count))
            guard !name.isEmpty, let dayText = values[name + day], let monthText = values[name + month] else { continue }
            combined[name] = joined(day: dayText, month: monthText, year: values[key] ?? "", time: values[name + time])
        }
        return combined
    }

    static func joined(day dayText: String, month monthText: String, year yearText: String, time timeText: String?) -> String {
        let (d, m, y) = (dayText.trimmingSpaces, monthText.trimmingSpaces, yearText.trimmingSpaces)
        let t = timeText?.trimmingSpaces
        if d.isEmpty && m.isEmpty && y.isEmpty && (t ?? "").isEmpty { return "" }
        guard let dayNumber = number(d, digits: 1...2), let monthNumber = number(m, digits: 1...2), let yearNumber = number(y, digits: 4...4) else {
            return [d, m, y].joined(separator: "/") + (t.map { " " + $0 } ?? "")
        }
        let date = "\(padded(yearNumber, 4))-\(padded(monthNumber, 2))-\(padded(dayNumber, 2))"
        guard let t else { return date }
        let clock = t.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 2, let hour = number(String(clock[0]), digits: 1...2), let minute = number(String(clock[1]), digits: 2...2) else {
            return date + " " + t
        }
        return "\(date) \(padded(hour, 2)):\(padded(minute, 2))"
    }

    /// The boxes' values for a stored ISO date (or date and time), as a person would type them.
    static func split(_ value: String) -> (day: String, month: String, year: String, time: String) {
        let text = Array(value)
        guard text.count >= 10, text[4] == "-", text[7] == "-" else {
            // What `joined` leaves for parts it could not read, so the boxes show them again as typed.
            let typed = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            let parts = (typed.first ?? "").split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { return ("", "", "", "") }
            return (parts[0], parts[1], parts[2], typed.count > 1 ? String(typed[1]) : "")
        }
        let unpadded = { (part: ArraySlice<Character>) in Int(String(part)).map(String.init) ?? String(part) }
        let time = text.count >= 16 ? String(text[11..<16]) : ""
        return (unpadded(text[8..<10]), unpadded(text[5..<7]), String(text[0..<4]), time)
    }

    private static func number(_ text: String, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
