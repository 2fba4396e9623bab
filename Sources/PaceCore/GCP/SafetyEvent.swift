import Foundation

/// A serious adverse event as the site knows it: when it began, when the team knew, when the sponsor was told.
public struct SafetyEvent: Sendable, Hashable, Codable {
    public var id: Int
    public var cpmsID: Int
    public var siteODS: String
    public var participantID: String
    public var onsetOn: Day
    public var awareAt: Date
    public var reportedAt: Date?
    public var summary: String?

    public init(id: Int = 0, cpmsID: Int, siteODS: String, participantID: String, onsetOn: Day, awareAt: Date, reportedAt: Date? = nil, summary: String? = nil) {
        self.id = id
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.participantID = participantID
        self.onsetOn = onsetOn
        self.awareAt = awareAt
        self.reportedAt = reportedAt
        self.summary = summary
    }

    public init?(reading row: inout RowReader, cpmsID: Int, now: Date) {
        let site = row.odsCode("site_ods", required: true)
        let participant = row.text("participant_id", required: true, maxLength: Identifiers.participantIDLimit)
        if let participant, let problem = Identifiers.participantIDProblem(participant) { row.problem("participant_id", problem.description) }
        let onset = row.day("onset_on", required: true)
        let aware = Self.time(&row, "aware_at", required: true)
        let reported = Self.time(&row, "reported_at", required: false)
        let summary = row.text("summary", maxLength: 500)
        if let aware, aware > now.addingTimeInterval(60) { row.problem("aware_at", "is in the future") }
        if let aware, let reported, reported < aware { row.problem("reported_at", "is before the team became aware") }
        if let reported, reported > now.addingTimeInterval(60) { row.problem("reported_at", "is in the future") }
        if let onset, let aware, onset > Day(aware) { row.problem("onset_on", "is after the team became aware") }
        guard let site, let participant, let onset, let aware, row.problems.isEmpty else { return nil }
        self.init(cpmsID: cpmsID, siteODS: site, participantID: participant, onsetOn: onset, awareAt: aware, reportedAt: reported, summary: summary)
    }

    public static func time(_ row: inout RowReader, _ column: String, required: Bool) -> Date? {
        guard let text = row.text(column, required: required, maxLength: 20) else { return nil }
        guard let date = LocalTime.parse(text) else {
            row.problem(column, "'\(text)' is not a date and time: write yyyy-mm-dd hh:mm (UK time)")
            return nil
        }
        return date
    }

    /// Hours from awareness to the report (or to `now` while unreported).
    public func hoursToReport(now: Date) -> Double { (reportedAt ?? now).timeIntervalSince(awareAt) / 3_600 }

    /// Late when reported after the limit, or still unreported once it has passed.
    public func isLate(limitHours: Int, now: Date) -> Bool { hoursToReport(now: now) > Double(limitHours) }

    public var auditFields: [String] { [participantID, onsetOn.iso, LocalTime.stored(awareAt), reportedAt.map(LocalTime.stored) ?? "", summary ?? ""] }
    public static let auditColumns = ["participant_id", "onset_on", "aware_at", "reported_at", "summary"]
}
