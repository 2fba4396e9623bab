/// Every per-site measure of interchange.md ("Metric rules") for one site on one day.
public struct SiteMeasures: Sendable, Equatable, Codable {
    public let recruitedToDate: Int
    /// The first participant: the earliest recruitment recorded, else the date on the site record.
    public let firstParticipant: Day?
    public let isOpen: Bool
    /// (share of target recruited ÷ share of planned time elapsed) − 1; −0.25 means 25% behind.
    public let rtt: Double?
    public let onTrack: Bool?
    public let trafficLight: TrafficLight?
    public let hlo9Days: Int?
    public let kpiOpen60Days: Int?
    public let kpiFirst30Days: Int?
    public let kpi150Days: Int?
    public let forecastTargetDate: Day?

    /// `studyEnded`: the study is withdrawn or closed, so no site of it is open (`SiteRecord.isOpen`).
    public init(site: Site, history: RecruitmentHistory, on day: Day, rules: MetricRules = .national, studyEnded: Bool = false) {
        let recruited = history.recruited(through: day)
        recruitedToDate = recruited
        let first = history.firstDay ?? site.firstParticipantRecruited
        firstParticipant = first
        let open = !studyEnded && SiteMeasures.isOpen(site, on: day)
        isOpen = open

        hlo9Days = SiteMeasures.days(site.dateSiteSelected, first)
        kpiOpen60Days = SiteMeasures.days(site.hraApproval, site.dateSiteOpen)
        kpiFirst30Days = SiteMeasures.days(site.dateSiteOpen, first)
        kpi150Days = SiteMeasures.days(site.regulatorySubmission, first)

        var rtt: Double?
        if open, let target = site.siteTarget, target > 0, let start = site.plannedRecruitmentStart, let end = site.plannedRecruitmentEnd {
            let planned = start.days(to: end)
            if planned > 0 {
                let shareTime = min(1, max(0, Double(start.days(to: day)) / Double(planned)))
                if shareTime > 0 {
                    rtt = (Double(recruited) / Double(target)) / shareTime - 1
                }
            }
        }
        self.rtt = rtt
        let agreedOnTrack = site.sponsorIntention.map { $0.trimmingSpaces.lowercased() == rules.onTrackIntention.lowercased() } ?? false
        if !open {
            onTrack = nil
        } else if let rtt {
            onTrack = rtt >= 0 || agreedOnTrack
        } else {
            onTrack = agreedOnTrack ? true : nil
        }
        trafficLight = rtt.map { value in
            value + 1 >= rules.greenFrom ? .green : (value + 1 >= rules.amberFrom ? .amber : .red)
        }

        var forecast: Day?
        if open, let target = site.siteTarget, recruited < target {
            let window = rules.forecastWindowDays
            let recent = history.recruited(from: day.adding(days: -(window - 1)), through: day)
            if recent > 0 {
                let remaining = target - recruited
                forecast = day.adding(days: (remaining * window + recent - 1) / recent)
            }
        }
        forecastTargetDate = forecast
    }

    /// Open on `day`: opened on or before it and not closed to recruitment on or before it.
    public static func isOpen(_ site: Site, on day: Day) -> Bool {
        guard let open = site.dateSiteOpen, open <= day else { return false }
        if let closed = site.closedToRecruitment, closed <= day { return false }
        return true
    }

    /// A set-up interval meets its limit only when its dates are in order: a negative interval is a
    /// data-quality finding, never "within 30 days" (domain.md §3a).
    public static func met(_ days: Int, within limit: Int) -> Bool {
        days >= 0 && days <= limit
    }

    public static func days(_ from: Day?, _ to: Day?) -> Int? {
        guard let from, let to else { return nil }
        return from.days(to: to)
    }
}
