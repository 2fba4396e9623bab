import PaceCore
import Plot

/// A record's history as sentences a person reads: "12 March 2026 at 14:05 – manager@pace.example
/// changed the date the site opened from 1 March 2026 to 5 March 2026 on site RT5: ‘SIV moved’".
struct HistoryList {
    let events: [AuditEvent]

    var node: Node<HTML.BodyContext> {
        events.isEmpty ? .p(.safe("Nothing has changed yet.")) : .ul(.class("history"), .forEach(events) { event in
            .li(.span(.class("when"), .safe(Self.when(event.occurredAt))), .safe(" – " + Self.sentence(event)),
                .if(!event.reason.isEmpty, .span(.class("reason"), .safe(": ‘\(event.reason)’"))))
        })
    }

    /// "12 March 2026 at 14:05" from the stored UTC timestamp (UTC is said once, in the heading's hint).
    static func when(_ stamp: String) -> String {
        guard let day = Day(iso: String(stamp.prefix(10))) else { return stamp }
        let time = stamp.count >= 16 ? String(Array(stamp)[11..<16]) : ""
        return time.isEmpty ? day.longText : "\(day.longText) at \(time)"
    }

    static func who(_ actor: String) -> String {
        if actor.hasPrefix("user:") { return String(actor.dropFirst(5)) }
        if actor.hasPrefix("cli:") { return "the command line (\(actor.dropFirst(4)))" }
        if actor.hasPrefix("token:") { return "an API token (\(actor.dropFirst(6)))" }
        return actor
    }

    static func record(_ type: String, _ key: String) -> String {
        let parts = key.split(separator: "/").map(String.init)
        let site = parts.count > 1 ? parts[1] : key
        switch type {
        case "study": return "the study"
        case "site": return "site \(site)"
        // The pseudonym stays out of the sentence: the site's page lists participants.
        case "participant": return "a participant at \(site)"
        case "recruitment-count": return "the count from \(Day(iso: parts.last ?? "")?.longText ?? "") at \(site)"
        case "study-partner": return "partner \(site)"
        default: return "a \(type.replacingOccurrences(of: "-", with: " ")) record at \(site)"
        }
    }

    static func value(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "nothing" }
        return Day(iso: text)?.longText ?? text
    }

    static func sentence(_ event: AuditEvent) -> String {
        let who = who(event.actor)
        let what = record(event.recordType, event.recordKey)
        switch event.action {
        case "create": return "\(who) added \(what)"
        case "delete": return "\(who) removed \(what)"
        case "import": return "\(who) imported \(what)"
        default:
            let changes = event.fieldChanges.prefix(3).map { change in
                "\(PlainMessage.lowerFirst(PlainMessage.fieldName(change.field))) from \(value(change.old)) to \(value(change.new))"
            }
            let more = event.fieldChanges.count > 3 ? " and \(event.fieldChanges.count - 3) more" : ""
            guard !changes.isEmpty else { return "\(who) changed \(what)" }
            return "\(who) changed the \(changes.joined(separator: ", the "))\(more) on \(what)"
        }
    }
}
