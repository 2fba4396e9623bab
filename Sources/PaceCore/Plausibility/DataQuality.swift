/// One record the R&D office should check before a national return: data held from before the
/// plausibility rules, or allowed by a person's confirmation, that the measures cannot trust as it is.
public struct DataQualityFinding: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case datesOutOfOrder = "Set-up dates out of order"
        case futureDates = "Dates in the future"
        case recruitmentBeforeOpening = "Recruitment before the site opened"
        case firstParticipantMismatch = "First participant date differs from the recruitment recorded"
        case countedTwice = "Recruitment that may be counted twice"
        case confirmedLargeCounts = "Large counts confirmed by hand"
        case quietOpenSites = "Open sites with no recruitment for six months"

        /// What the office does about it, in a sentence.
        public var advice: String {
            switch self {
            case .datesOutOfOrder: "A negative interval is never counted as a target met: correct the dates on the site record."
            case .futureDates: "An actual date cannot be after today: correct it, or clear it until the milestone happens."
            case .recruitmentBeforeOpening: "A site cannot recruit before it opens: correct the opening date or the recruitment."
            case .firstParticipantMismatch: "The measures use the earliest recruitment recorded: correct whichever date is wrong."
            case .countedTwice: "Overlapping count periods, or counts beside participant records, add the same people twice: remove one."
            case .confirmedLargeCounts: "These were checked and confirmed when they were saved; look again before the return if anything changed."
            case .quietOpenSites: "If the site has stopped recruiting, record the date it closed to recruitment."
            }
        }
    }

    public let kind: Kind
    public let cpmsID: Int
    public let siteODS: String
    public let studyShortName: String
    public let detail: String
    /// The count to correct, for findings about one count.
    public let periodStart: Day?

    public init(kind: Kind, cpmsID: Int, siteODS: String, studyShortName: String, detail: String, periodStart: Day? = nil) {
        self.kind = kind
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.studyShortName = studyShortName
        self.detail = detail
        self.periodStart = periodStart
    }
}

public enum DataQuality {
    /// An open site with nobody recruited for this long has probably closed without the date recorded.
    public static let quietDays = 183

    /// Every finding across the register, grouped by kind in the order of `Kind`.
    /// `counts` are every stored count; `participantSites` the "CPMS/ODS" keys of sites with counting participant records.
    public static func findings(records: [SiteRecord], counts: [RecruitmentCount], participantSites: Set<String>, today: Day) -> [DataQualityFinding] {
        var found: [DataQualityFinding] = []
        let countsBySite = Dictionary(grouping: counts) { "\($0.cpmsID)/\($0.siteODS)" }
        for record in records {
            let site = record.site
            func add(_ kind: DataQualityFinding.Kind, _ detail: String, periodStart: Day? = nil) {
                found.append(DataQualityFinding(kind: kind, cpmsID: site.cpmsID, siteODS: site.siteODS, studyShortName: record.study.shortName, detail: detail, periodStart: periodStart))
            }
            for orderBreak in SetUpOrder.breaks(site) { add(.datesOutOfOrder, orderBreak.message) }
            for (milestone, day) in site.milestones {
                if let day, today < day { add(.futureDates, "\(milestone.label): \(day.longText) is after today.") }
            }
            let first = record.history.firstDay
            if let first, let open = site.dateSiteOpen, first < open {
                add(.recruitmentBeforeOpening, "Recruitment recorded from \(first.longText); the site opened on \(open.longText).")
            }
            let key = "\(site.cpmsID)/\(site.siteODS)"
            let siteCounts = (countsBySite[key] ?? []).filter { $0.periodStart <= $0.periodEnd }.sorted { $0.periodStart < $1.periodStart }
            if let first, let stated = site.firstParticipantRecruited, stated != first {
                // A count is dated on its period's last day, so a stated day within that first period agrees with it.
                let firstCount = siteCounts.first { $0.count > 0 && $0.periodEnd == first }
                if !(firstCount.map { ($0.periodStart...$0.periodEnd).contains(stated) } ?? false) {
                    add(.firstParticipantMismatch, "The site record says \(stated.longText); the earliest recruitment recorded is \(first.longText).")
                }
            }
            if participantSites.contains(key), siteCounts.contains(where: { $0.count > 0 }) {
                add(.countedTwice, "Recruitment is recorded both participant by participant and as counts.")
            }
            for (earlier, later) in zip(siteCounts, siteCounts.dropFirst()) where later.periodStart <= earlier.periodEnd {
                add(.countedTwice, "The count for \(RecruitmentPlausibility.period(later.periodStart...later.periodEnd)) overlaps the one for \(RecruitmentPlausibility.period(earlier.periodStart...earlier.periodEnd)).",
                    periodStart: later.periodStart)
            }
            for count in siteCounts where count.confirmed {
                add(.confirmedLargeCounts, "\(count.count) recruited in \(RecruitmentPlausibility.period(count.periodStart...count.periodEnd)).", periodStart: count.periodStart)
            }
            if site.role.recruits, record.isOpen(on: today), let open = site.dateSiteOpen, open.days(to: today) > quietDays {
                let last = record.history.events.last?.day
                if (last.map { $0.days(to: today) } ?? open.days(to: today)) > quietDays {
                    add(.quietOpenSites, last.map { "Last recruitment recorded \($0.longText)." } ?? "Open since \(open.longText) with nobody recruited.")
                }
            }
        }
        let order = Dictionary(uniqueKeysWithValues: DataQualityFinding.Kind.allCases.enumerated().map { ($1, $0) })
        return found.sorted { (order[$0.kind] ?? 0, $0.studyShortName, $0.siteODS) < (order[$1.kind] ?? 0, $1.studyShortName, $1.siteODS) }
    }
}
