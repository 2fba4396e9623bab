/// How a long job reports its progress: rows done, the rate, and (when the total is known) a bar and
/// the time left. A terminal gets one line redrawn in place; a log gets plain lines.
public enum ProgressLine {
    public static func terminal(label: String, rows: Int, fraction: Double?, seconds: Double, width: Int = 24) -> String {
        var parts = [label]
        if let fraction {
            let filled = Int((min(1, max(0, fraction)) * Double(width)).rounded(.down))
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]")
            parts.append(percent(fraction))
        }
        parts.append("\(grouped(rows)) rows")
        parts.append("\(grouped(rate(rows, seconds))) rows/s")
        if let left = secondsLeft(fraction: fraction, seconds: seconds) { parts.append("\(duration(left)) left") }
        return parts.joined(separator: "  ")
    }

    public static func plain(label: String, rows: Int, fraction: Double?, seconds: Double) -> String {
        var text = "\(label): \(grouped(rows)) rows, \(grouped(rate(rows, seconds))) rows/s"
        if let fraction { text += ", \(percent(fraction))" }
        if let left = secondsLeft(fraction: fraction, seconds: seconds) { text += ", about \(duration(left)) left" }
        return text
    }

    static func rate(_ rows: Int, _ seconds: Double) -> Int {
        seconds > 0 ? Int((Double(rows) / seconds).rounded()) : 0
    }

    static func percent(_ fraction: Double) -> String {
        "\(Int((min(1, max(0, fraction)) * 100).rounded(.down)))%"
    }

    /// Extrapolated from the pace so far; nil until there is something to go on.
    static func secondsLeft(fraction: Double?, seconds: Double) -> Double? {
        guard let fraction, fraction > 0.001, fraction < 1, seconds > 0.5 else { return nil }
        return seconds * (1 - fraction) / fraction
    }

    /// 1,234,567
    public static func grouped(_ number: Int) -> String {
        let digits = String(abs(number))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return (number < 0 ? "-" : "") + result
    }

    /// 7s, 1m 05s, 2h 03m
    public static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total)s" }
        if total < 3_600 { return "\(total / 60)m \(pad(total % 60))s" }
        return "\(total / 3_600)h \(pad(total % 3_600 / 60))m"
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
