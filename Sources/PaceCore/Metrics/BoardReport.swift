/// The six-monthly report on research activity and set-up performance that NHS England asks trusts to
/// give their board (domain.md §5): one organisation's recruitment by month, theme and partner; set-up
/// against each measure; open studies by traffic light; and the commercial studies.
public struct BoardReport: Sendable {
    /// A partner of one or more of the organisation's studies.
    public struct PartnerLink: Sendable, Hashable {
        public let organisation: Organisation
        public let role: PartnerRole

        public init(organisation: Organisation, role: PartnerRole) {
            self.organisation = organisation
            self.role = role
        }
    }

    public struct Group: Sendable, Equatable {
        public let name: String
        public let detail: String
        public let participants: Int
        public let studies: Int
    }

    public struct MeasureResult: Sendable {
        public let measure: MeasureTrend.Measure
        public let title: String
        public let eligible: Int
        public let met: Int
        public var percent: Double? { KPIReport.percent(met: met, of: eligible) }
    }

    public struct CommercialStudy: Sendable {
        public let record: SiteRecord
        public let recruitedInPeriod: Int
        public let measures: SiteMeasures
    }

    public let firstMonth: Day
    public let lastDay: Day
    public let asOf: Day
    public let months: [(month: Day, recruited: Int)]
    public let newSites: [SiteRecord]
    public let byTheme: [Group]
    public let byPartner: [Group]
    public let setUp: [MeasureResult]
    /// Recruiting sites open on the period's last day, with their measures on that day.
    public let openSites: [RankedSite]
    public let commercial: [CommercialStudy]
    /// Set-up steps completed in the period, by step and holder: where the days went.
    public let setUpTime: [SetUpTimeReport.Group]
    /// The share of those days each holder held (nil when no step was completed).
    public let setUpShare: [SetUpHolder: Double]?
    public let setUpStepKinds: [SetUpStepKind]
    /// The period's amendments: received, assessed (and in time), implemented, overdue at its end.
    public let amendments: AmendmentsReport.Handled

    public var recruited: Int { months.reduce(0) { $0 + $1.recruited } }
    public var averageMonthly: Double { months.isEmpty ? 0 : Double(recruited) / Double(months.count) }

    /// The six months starting with `firstMonth`'s month. The usual default: the six complete months before `asOf`'s month.
    public static func defaultFirstMonth(asOf: Day) -> Day {
        var month = asOf.startOfMonth
        for _ in 0..<6 { month = month.adding(days: -1).startOfMonth }
        return month
    }

    public init(records: [SiteRecord], partners: [Int: [PartnerLink]], firstMonth: Day, asOf: Day, rules: MetricRules = .national, months count: Int = 6,
                setUpSteps: [SetUpStep] = [], amendments: [Amendment] = [], kinds: [SetUpStepKind] = SetUpStepKind.usual) {
        let first = firstMonth.startOfMonth
        var months: [Day] = [first]
        while months.count < count, let last = months.last {
            months.append(last.endOfMonth.adding(days: 1))
        }
        let lastDay = (months.last ?? first).endOfMonth
        self.firstMonth = first
        self.lastDay = lastDay
        self.asOf = asOf
        let recruiting = records.filter(\.site.role.recruits)
        self.months = months.map { month in
            (month, recruiting.reduce(0) { $0 + $1.history.recruited(from: month, through: month.endOfMonth) })
        }
        let period = first...lastDay
        newSites = records.filter { record in record.site.dateSiteOpen.map(period.contains) ?? false }
            .sorted { ($0.site.dateSiteOpen ?? first, $0.study.shortName) < ($1.site.dateSiteOpen ?? first, $1.study.shortName) }

        func inPeriod(_ record: SiteRecord) -> Int { record.history.recruited(from: first, through: lastDay) }
        var themeTotals: [String: (participants: Int, studies: Set<Int>)] = [:]
        var partnerTotals: [PartnerLink: (participants: Int, studies: Set<Int>)] = [:]
        for record in recruiting {
            let recruited = inPeriod(record)
            let studyID = record.study.cpmsID
            for theme in record.study.themes {
                themeTotals[theme, default: (0, [])].participants += recruited
                if recruited > 0 { themeTotals[theme, default: (0, [])].studies.insert(studyID) }
            }
            for partner in Set(partners[studyID] ?? []) {
                partnerTotals[partner, default: (0, [])].participants += recruited
                if recruited > 0 { partnerTotals[partner, default: (0, [])].studies.insert(studyID) }
            }
        }
        byTheme = themeTotals.map { Group(name: $0.key, detail: "", participants: $0.value.participants, studies: $0.value.studies.count) }
            .filter { $0.participants > 0 }
            .sorted { ($1.participants, $0.name) < ($0.participants, $1.name) }
        byPartner = partnerTotals.map { Group(name: $0.key.organisation.name, detail: $0.key.role.label, participants: $0.value.participants, studies: $0.value.studies.count) }
            .filter { $0.participants > 0 }
            .sorted { ($1.participants, $0.name, $0.detail) < ($0.participants, $1.name, $1.detail) }
        let setUpCounts = MeasureTrend.Measure.counts(records, from: first, to: lastDay, rules: rules)
        setUp = MeasureTrend.Measure.allCases.map { measure in
            let (eligible, met) = setUpCounts[measure] ?? (0, 0)
            return MeasureResult(measure: measure, title: measure.title(limit: measure.limit(in: rules)), eligible: eligible, met: met)
        }
        let judgedOn = min(lastDay, asOf)
        setUpTime = SetUpTimeReport.groups(setUpSteps, from: first, to: judgedOn, kinds: kinds)
        setUpShare = SetUpTimeReport.shareOfDays(setUpTime)
        setUpStepKinds = kinds
        self.amendments = AmendmentsReport.handled(amendments, from: first, to: judgedOn, rules: rules)
        openSites = recruiting.filter { $0.isOpen(on: judgedOn) }
            .map { RankedSite(record: $0, measures: $0.measures(on: judgedOn, rules: rules)) }
            .sorted { ($0.measures.rtt ?? .infinity, $0.record.study.shortName) < ($1.measures.rtt ?? .infinity, $1.record.study.shortName) }
        commercial = recruiting.filter { $0.study.route == .commercial }
            .filter { record in
                // Commercial studies active at any time in the period: opened before it ended and not closed before it began.
                guard let open = record.site.dateSiteOpen, open <= lastDay else { return record.site.dateSiteSelected.map { $0 <= lastDay } ?? false }
                return record.site.closedToRecruitment.map { $0 >= first } ?? true
            }
            .map { CommercialStudy(record: $0, recruitedInPeriod: inPeriod($0), measures: $0.measures(on: judgedOn, rules: rules)) }
            .sorted { $0.record.study.shortName < $1.record.study.shortName }
    }
}
