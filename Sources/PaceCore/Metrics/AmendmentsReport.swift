/// An amendment's assessment against the stored window (interchange.md, "Amendment assessment").
public struct AmendmentAssessment: Sendable, Equatable {
    public let amendment: Amendment
    /// The amendment as it stood on the report's day: an assessment or implementation recorded for a
    /// later day had not happened yet.
    public let assessed: Day?
    public let implemented: Day?
    public let due: Day
    public let overdue: Bool
    /// True when assessed by the due day, false when assessed later or overdue, nil while neither.
    public let onTime: Bool?

    public init(_ amendment: Amendment, on day: Day, rules: MetricRules = .national) {
        self.amendment = amendment
        assessed = amendment.assessed.flatMap { $0 <= day ? $0 : nil }
        implemented = amendment.implemented.flatMap { $0 <= day ? $0 : nil }
        due = amendment.received.adding(days: rules.amendmentAssessmentDays)
        overdue = assessed == nil && due < day
        onTime = if let assessed { assessed <= due } else if overdue { false } else { nil }
    }

    /// Days from receipt to assessment, once assessed.
    public var daysToAssess: Int? { assessed.map { amendment.received.days(to: $0) } }

    /// Assessed, and reconfirmed where it needed it, but not yet in use at the site.
    public var awaitingImplementation: Bool { assessed != nil && implemented == nil }

    /// Where the amendment has got to, in the office's words.
    public var stage: String {
        if implemented != nil { return "Implemented" }
        if assessed != nil { return amendment.needsReconfirmation == true ? "Reconfirmed, to implement" : "Assessed, to implement" }
        return overdue ? "Overdue for assessment" : "To assess"
    }
}

/// The `amendments` report: each amendment of the organisation's sites received by the day, with its
/// assessment due date, whether it is overdue and whether it was assessed in time.
public enum AmendmentsReport {
    public static let fields = [
        "cpms_id", "site_ods", "amendment_ref", "category", "received", "assessment_due", "assessed", "days_to_assess", "overdue", "on_time", "implemented",
        "needs_reconfirmation", "short_name",
    ]

    public static func assessments(_ amendments: [Amendment], on day: Day, rules: MetricRules) -> [AmendmentAssessment] {
        amendments.filter { $0.received <= day }
            .sorted { ($0.received, $0.cpmsID, $0.siteODS, $0.reference) < ($1.received, $1.cpmsID, $1.siteODS, $1.reference) }
            .map { AmendmentAssessment($0, on: day, rules: rules) }
    }

    public static func report(_ amendments: [Amendment], on day: Day, organisation: String?, rules: MetricRules = .national, studyNames: [Int: String] = [:]) -> Report {
        let rows = assessments(amendments, on: day, rules: rules).map { assessment -> [Report.Value] in
            let amendment = assessment.amendment
            return [
                .integer(amendment.cpmsID), .text(amendment.siteODS), .text(amendment.reference), .optional(amendment.category?.rawValue),
                .day(amendment.received), .day(assessment.due), .optional(assessment.assessed), .optional(assessment.daysToAssess),
                .boolean(assessment.overdue), .optional(assessment.onTime), .optional(assessment.implemented),
                .optional(amendment.needsReconfirmation), .optional(studyNames[amendment.cpmsID]),
            ]
        }
        var parameters = [("on", day.iso)]
        if let organisation { parameters.append(("organisation", organisation)) }
        return Report(name: "amendments", parameters: parameters, fields: fields, rows: rows)
    }

    /// What a period's amendments came to, for the board report.
    public struct Handled: Sendable, Equatable {
        public let received: Int
        public let assessed: Int
        public let assessedOnTime: Int
        public let implemented: Int
        /// Overdue on the period's last day.
        public let overdueAtEnd: Int

        public var onTimePercent: Double? { assessed == 0 ? nil : Double(assessedOnTime) * 100 / Double(assessed) }

        public init(received: Int, assessed: Int, assessedOnTime: Int, implemented: Int, overdueAtEnd: Int) {
            self.received = received
            self.assessed = assessed
            self.assessedOnTime = assessedOnTime
            self.implemented = implemented
            self.overdueAtEnd = overdueAtEnd
        }
    }

    /// A period that ends before it starts (a board report for months still to come) handled nothing.
    public static func handled(_ amendments: [Amendment], from start: Day, to end: Day, rules: MetricRules) -> Handled {
        guard start <= end else { return Handled(received: 0, assessed: 0, assessedOnTime: 0, implemented: 0, overdueAtEnd: 0) }
        let period = start...end
        let atEnd = amendments.filter { $0.received <= end }.map { AmendmentAssessment($0, on: end, rules: rules) }
        let assessedInPeriod = atEnd.filter { $0.assessed.map(period.contains) ?? false }
        return Handled(
            received: amendments.filter { period.contains($0.received) }.count,
            assessed: assessedInPeriod.count,
            assessedOnTime: assessedInPeriod.filter { $0.onTime == true }.count,
            implemented: atEnd.filter { $0.implemented.map(period.contains) ?? false }.count,
            overdueAtEnd: atEnd.filter(\.overdue).count
        )
    }
}
