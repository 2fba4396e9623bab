/// One site of one study, with its recruitment: what the performance reports are computed from.
public struct SiteRecord: Sendable {
    public let study: Study
    public let site: Site
    public let history: RecruitmentHistory

    public init(study: Study, site: Site, history: RecruitmentHistory) {
        self.study = study
        self.site = site
        self.history = history
    }
}

/// The Performance in Initiating and Delivering returns (interchange.md, "Metric rules").
public enum PIDReports {
    public static let initiatingFields = [
        "cpms_id", "iras_id", "short_name", "date_site_selected", "benchmark_date", "first_participant_recruited",
        "benchmark_met", "delay_reason", "delay_attribution",
    ]

    public static let deliveringFields = [
        "cpms_id", "short_name", "site_target", "planned_recruitment_end", "recruited_by_end", "target_met",
    ]

    /// The 12 months ending on the quarter's last day: that quarter and the three before it.
    public static func window(endingWith quarter: FinancialQuarter) -> ClosedRange<Day> {
        quarter.previous.previous.previous.firstDay...quarter.lastDay
    }

    /// Recruiting sites of interventional studies whose benchmark date (site selected + 70 days) falls
    /// in the 12 months ending with the quarter; met when the first participant came on or before it.
    /// One site in the initiating return, judged.
    public struct InitiatingEntry: Sendable {
        public let record: SiteRecord
        public let selected: Day
        public let benchmark: Day
        public let firstParticipant: Day?
        /// A first participant dated before selection is a data-quality finding, never a benchmark met.
        public var met: Bool { firstParticipant.map { $0 >= selected && $0 <= benchmark } ?? false }
    }

    public static func initiatingEntries(_ records: [SiteRecord], quarter: FinancialQuarter, rules: MetricRules = .national) -> [InitiatingEntry] {
        let window = window(endingWith: quarter)
        return records.compactMap { record in
            let site = record.site
            guard site.role.recruits, record.study.design == .interventional, let selected = site.dateSiteSelected else { return nil }
            let benchmark = selected.adding(days: rules.pidInitiatingDays)
            guard window.contains(benchmark) else { return nil }
            return InitiatingEntry(record: record, selected: selected, benchmark: benchmark, firstParticipant: record.history.firstDay ?? site.firstParticipantRecruited)
        }
    }

    public static func initiating(_ records: [SiteRecord], quarter: FinancialQuarter, organisation: String, rules: MetricRules = .national) -> Report {
        let rows = initiatingEntries(records, quarter: quarter, rules: rules).map { entry -> [Report.Value] in
            let site = entry.record.site
            return [
                .integer(entry.record.study.cpmsID), .optional(entry.record.study.irasID), .text(entry.record.study.shortName), .day(entry.selected),
                .day(entry.benchmark), .optional(entry.firstParticipant), .boolean(entry.met),
                .optional(site.delayReason), .optional(site.delayAttribution?.rawValue),
            ]
        }
        return Report(name: "pid-initiating", parameters: [("quarter", quarter.description), ("organisation", organisation)], fields: initiatingFields, rows: rows)
    }

    /// Sites of commercial studies that closed to recruitment in the 12 months ending with the quarter;
    /// met when recruitment by the planned end reached the site target.
    public static func delivering(_ records: [SiteRecord], quarter: FinancialQuarter, organisation: String) -> Report {
        let window = window(endingWith: quarter)
        let rows = records.compactMap { record -> [Report.Value]? in
            let site = record.site
            guard record.study.route == .commercial, site.role.recruits, let closed = site.closedToRecruitment, window.contains(closed) else { return nil }
            let recruitedByEnd = site.plannedRecruitmentEnd.map { record.history.recruited(through: $0) }
            var met: Bool?
            if let target = site.siteTarget, let recruited = recruitedByEnd { met = recruited >= target }
            return [
                .integer(record.study.cpmsID), .text(record.study.shortName), .optional(site.siteTarget),
                .optional(site.plannedRecruitmentEnd), .optional(recruitedByEnd), .optional(met),
            ]
        }
        return Report(name: "pid-delivering", parameters: [("quarter", quarter.description), ("organisation", organisation)], fields: deliveringFields, rows: rows)
    }
}
