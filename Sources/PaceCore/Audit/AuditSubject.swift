/// How the audit trail names a record: a type and a key that starts with the study's CPMS ID for
/// everything that belongs to a study, so a study's history is one prefix.
public struct AuditSubject: Sendable, Hashable {
    public let type: String
    public let key: String

    public init(type: String, key: String) {
        self.type = type
        self.key = key
    }

    public init(_ record: some InterchangeRecord) {
        switch record {
        case let organisation as Organisation: self.init(type: "organisation", key: organisation.odsCode)
        case let study as Study: self.init(type: "study", key: String(study.cpmsID))
        case let site as Site: self.init(type: "site", key: "\(site.cpmsID)/\(site.siteODS)")
        case let participant as Participant: self.init(type: "participant", key: "\(participant.cpmsID)/\(participant.siteODS)/\(participant.participantID)")
        case let count as RecruitmentCount: self.init(type: "recruitment-count", key: "\(count.cpmsID)/\(count.siteODS)/\(count.periodStart.iso)")
        case let step as SetUpStep: self.init(type: "set-up-step", key: "\(step.cpmsID)/\(step.siteODS)/\(step.step)")
        case let amendment as Amendment: self.init(type: "amendment", key: "\(amendment.cpmsID)/\(amendment.siteODS)/\(amendment.reference)")
        default: self.init(type: Swift.type(of: record).kind.rawValue, key: record.keyDescription)
        }
    }

    /// The record types that belong to a study, for its history.
    public static let studyRecordTypes = [
        "study", "study-partner", "site", "participant", "recruitment-count",
        "delegation", "safety-event", "safety-limit", "deviation", "monitoring-visit", "monitoring-action", "document",
        "set-up-step", "amendment",
    ]
}

/// Site milestones already sent in the national returns are locked: changing one needs a reason on record.
public enum ReportedValues {
    /// A change touches a reported value when a date it changes (old or new) falls before the current
    /// financial quarter, whose return has already been made.
    public static func changesReportedDates(_ changes: [FieldChange], columns: [InterchangeColumn], today: Day) -> [String] {
        let quarterStart = FinancialQuarter(containing: today).firstDay
        let dayColumns = Set(columns.filter { $0.type == .day }.map(\.name))
        return changes.filter { change in
            dayColumns.contains(change.field) && [change.old, change.new].contains { text in
                text.flatMap { Day(iso: $0) }.map { $0 < quarterStart } ?? false
            }
        }.map(\.field)
    }
}
