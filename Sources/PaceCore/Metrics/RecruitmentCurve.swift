/// Cumulative recruitment month by month against the straight-line target, with the forecast: what the
/// study and site pages draw (domain.md §5, RTT).
public struct RecruitmentCurve: Sendable {
    public struct Point: Sendable, Equatable {
        /// The month's last day, or the curve's last day when that comes first.
        public let day: Day
        public let recruited: Int
        /// Where a straight line from nothing at the planned start to the target at the planned end stands.
        public let expected: Double?
    }

    public let target: Int?
    public let plannedStart: Day?
    public let plannedEnd: Day?
    public let points: [Point]
    public let measures: SiteMeasures

    /// `site` may stand for a whole study (targets summed, the widest planned period).
    public init(site: Site, history: RecruitmentHistory, on day: Day, rules: MetricRules = .national) {
        target = site.siteTarget
        plannedStart = site.plannedRecruitmentStart
        plannedEnd = site.plannedRecruitmentEnd
        measures = SiteMeasures(site: site, history: history, on: day, rules: rules)
        let candidates = [site.plannedRecruitmentStart, history.firstDay, site.dateSiteOpen].compactMap { $0 }
        guard let first = candidates.min(), first <= day else {
            points = []
            return
        }
        let last = min(day, site.closedToRecruitment ?? day)
        var points: [Point] = []
        var month = first.startOfMonth
        while month <= last {
            let monthEnd = month.endOfMonth
            let pointDay = min(monthEnd, last)
            points.append(Point(day: pointDay, recruited: history.recruited(through: pointDay), expected: RecruitmentCurve.expected(site, on: pointDay)))
            month = monthEnd.adding(days: 1)
        }
        self.points = points
    }

    static func expected(_ site: Site, on day: Day) -> Double? {
        guard let target = site.siteTarget, let start = site.plannedRecruitmentStart, let end = site.plannedRecruitmentEnd, start < end else { return nil }
        return Double(target) * min(1, max(0, Double(start.days(to: day)) / Double(start.days(to: end))))
    }

    /// A study's sites as one: recruitment added up, targets summed, from the earliest planned start to
    /// the latest planned end, open from the first opening until every site has closed.
    public static func combined(_ sites: [Site], histories: [RecruitmentHistory]) -> (Site, RecruitmentHistory) {
        let recruiting = sites.filter(\.role.recruits)
        var combined = Site(cpmsID: recruiting.first?.cpmsID ?? 0, siteODS: "", role: .recruiting)
        let targets = recruiting.compactMap(\.siteTarget)
        combined.siteTarget = targets.isEmpty ? nil : targets.reduce(0, +)
        combined.plannedRecruitmentStart = recruiting.compactMap(\.plannedRecruitmentStart).min()
        combined.plannedRecruitmentEnd = recruiting.compactMap(\.plannedRecruitmentEnd).max()
        combined.dateSiteOpen = recruiting.compactMap(\.dateSiteOpen).min()
        let closures = recruiting.map(\.closedToRecruitment)
        combined.closedToRecruitment = closures.contains { $0 == nil } ? nil : closures.compactMap { $0 }.max()
        let events = histories.flatMap(\.events)
        return (combined, RecruitmentHistory(events))
    }
}

/// A site's set-up intervals measured against their national limits, for the milestone timeline.
public struct SetUpInterval: Sendable, Equatable {
    public let name: String
    public let fromMilestone: String
    public let toMilestone: String
    public let start: Day
    /// nil while the site is still waiting for the end milestone.
    public let end: Day?
    public let limit: Int
    public let day: Day

    public var days: Int { start.days(to: end ?? day) }
    public var deadline: Day { start.adding(days: limit) }
    /// The end came before the start: the dates need checking (domain.md §3a).
    public var isOutOfOrder: Bool { end != nil && days < 0 }
    /// nil while waiting and still within the limit.
    public var met: Bool? {
        if end != nil { return SiteMeasures.met(days, within: limit) }
        return days > limit ? false : nil
    }

    /// `pid`: the PID initiating measure applies (recruiting sites of interventional studies).
    public static func intervals(_ site: Site, firstParticipant: Day?, pid: Bool, commercialCTIMP: Bool, on day: Day, rules: MetricRules = .national) -> [SetUpInterval] {
        var result: [SetUpInterval] = []
        func add(_ name: String, _ from: String, _ to: String, _ start: Day?, _ end: Day?, _ limit: Int) {
            guard let start, start <= day else { return }
            result.append(SetUpInterval(name: name, fromMilestone: from, toMilestone: to, start: start, end: end.flatMap { $0 <= day ? $0 : nil }, limit: limit, day: day))
        }
        if pid, site.role.recruits {
            add("PID: first participant within \(rules.pidInitiatingDays) days of selection", "site selected", "first participant", site.dateSiteSelected, firstParticipant, rules.pidInitiatingDays)
        }
        add("Open within \(rules.kpiOpenDays) days", "HRA approval", "site open", site.hraApproval, site.dateSiteOpen, rules.kpiOpenDays)
        if site.role.recruits {
            add("First participant within \(rules.kpiFirstParticipantDays) days", "site open", "first participant", site.dateSiteOpen, firstParticipant, rules.kpiFirstParticipantDays)
            if commercialCTIMP {
                add("\(rules.kpiSetUpDays)-day set-up", "regulatory submission", "first participant", site.regulatorySubmission, firstParticipant, rules.kpiSetUpDays)
            }
        }
        return result
    }
}
