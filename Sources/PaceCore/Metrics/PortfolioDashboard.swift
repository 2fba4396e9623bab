/// What the portfolio dashboard shows for one organisation on one day: each set-up measure's share met
/// over the last four complete quarters, the open sites ranked by RTT, and the set-up pipeline.
public struct PortfolioDashboard: Sendable {
    public let day: Day
    public let quarters: [FinancialQuarter]
    public let tiles: [MeasureTrend]
    public let openSites: [RankedSite]
    public let pipeline: [PipelineStage]
    /// Sites waiting longest in a stage before their first participant, longest first.
    public let stuck: [WaitingSite]

    /// Open sites on track (RTT ≥ 0 or the sponsor's agreed intention), of those with an RTT or intention.
    public var onTrack: (count: Int, of: Int) { RankedSite.onTrack(openSites) }

    public init(records: [SiteRecord], on day: Day, rules: MetricRules = .national, stuckLimit: Int = 5) {
        self.day = day
        let last = FinancialQuarter(containing: day).previous
        let quarters = [last.previous.previous.previous, last.previous.previous, last.previous, last]
        self.quarters = quarters
        let byQuarter = quarters.map { quarter in
            (quarter, MeasureTrend.Measure.counts(records, from: quarter.firstDay, to: quarter.lastDay, rules: rules))
        }
        tiles = MeasureTrend.Measure.allCases.map { measure in
            MeasureTrend(measure: measure, limit: measure.limit(in: rules), quarters: byQuarter.map { quarter, counts in
                let (eligible, met) = counts[measure] ?? (0, 0)
                return MeasureTrend.QuarterCount(quarter: quarter, eligible: eligible, met: met)
            })
        }
        openSites = records.compactMap { record -> RankedSite? in
            guard record.site.role.recruits, record.isOpen(on: day) else { return nil }
            return RankedSite(record: record, measures: record.measures(on: day, rules: rules))
        }.sorted { lhs, rhs in
            // Most behind first; sites without an RTT (no target or plan) after every ranked one.
            switch (lhs.measures.rtt, rhs.measures.rtt) {
            case let (left?, right?): left != right ? left < right : lhs.record.study.shortName < rhs.record.study.shortName
            case (.some, .none): true
            case (.none, .some): false
            case (.none, .none): lhs.record.study.shortName < rhs.record.study.shortName
            }
        }
        var waiting: [PipelineStage.Stage: [WaitingSite]] = [:]
        var taken: [PipelineStage.Stage: [Int]] = [:]
        for record in records where record.site.role.recruits {
            let reached = PipelineStage.Stage.allCases.compactMap { stage in stage.day(of: record).flatMap { $0 <= day ? (stage, $0) : nil } }
            for (index, entry) in reached.enumerated() where index + 1 < reached.count {
                taken[entry.0, default: []].append(entry.1.days(to: reached[index + 1].1))
            }
            // Only an active site waits: a withdrawn or closed study is not "selected 730 days ago".
            if let current = reached.last, record.isActive(on: day) {
                waiting[current.0, default: []].append(WaitingSite(record: record, stage: current.0, since: current.1, days: current.1.days(to: day)))
            }
        }
        pipeline = PipelineStage.Stage.allCases.map { stage in
            let now = waiting[stage] ?? []
            return PipelineStage(stage: stage, sites: now.count, longestWait: now.map(\.days).max(), medianDaysTaken: PortfolioDashboard.median(taken[stage] ?? []))
        }
        stuck = Array(PipelineStage.Stage.allCases.filter { $0 != .firstParticipant }.flatMap { waiting[$0] ?? [] }
            .sorted { ($0.days, $0.record.study.cpmsID) > ($1.days, $1.record.study.cpmsID) }.prefix(stuckLimit))
    }

    /// The middle value (the lower of the two middles for an even count), so it is always a real site's figure.
    static func median(_ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        return values.sorted()[(values.count - 1) / 2]
    }
}

/// One set-up measure's eligible and met sites per quarter.
public struct MeasureTrend: Sendable {
    public enum Measure: String, CaseIterable, Sendable {
        case pidInitiating = "pid-initiating"
        case open60 = "open-60"
        case first30 = "first-30"
        case setUp150 = "kpi-150"

        public func title(limit: Int) -> String {
            switch self {
            case .pidInitiating: "First participant within \(limit) days of selection (PID)"
            case .open60: "Open within \(limit) days of HRA approval"
            case .first30: "First participant within \(limit) days of opening"
            case .setUp150: "Commercial CTIMPs set up within \(limit) days"
            }
        }

        /// The UK KPI this measure is, if it is one.
        public var kpi: KPIReport.KPI? {
            switch self {
            case .pidInitiating: nil
            case .open60: .open60
            case .first30: .first30
            case .setUp150: .setUp150
            }
        }

        /// Every measure's eligible and met sites between two days (a period of at most twelve months):
        /// sites whose PID benchmark date, or whose KPI interval's last day, falls in it.
        public static func counts(_ records: [SiteRecord], from start: Day, to end: Day, rules: MetricRules) -> [Measure: (eligible: Int, met: Int)] {
            let kpis = KPIReport.counts(records, from: start, to: end, rules: rules)
            let entries = PIDReports.initiatingEntries(records, quarter: FinancialQuarter(containing: end), rules: rules)
                .filter { (start...end).contains($0.benchmark) }
            return Dictionary(uniqueKeysWithValues: allCases.map { measure in
                (measure, measure.kpi.flatMap { kpis[$0] } ?? (entries.count, entries.filter(\.met).count))
            })
        }

        public func limit(in rules: MetricRules) -> Int {
            switch self {
            case .pidInitiating: rules.pidInitiatingDays
            case .open60: rules.kpiOpenDays
            case .first30: rules.kpiFirstParticipantDays
            case .setUp150: rules.kpiSetUpDays
            }
        }
    }

    public struct QuarterCount: Sendable, Equatable {
        public let quarter: FinancialQuarter
        public let eligible: Int
        public let met: Int
        /// 0–100, or nil when no site fell due.
        public var percent: Double? { KPIReport.percent(met: met, of: eligible) }

        public init(quarter: FinancialQuarter, eligible: Int, met: Int) {
            self.quarter = quarter
            self.eligible = eligible
            self.met = met
        }
    }

    public let measure: Measure
    public let limit: Int
    public let quarters: [QuarterCount]

    public init(measure: Measure, limit: Int, quarters: [QuarterCount]) {
        self.measure = measure
        self.limit = limit
        self.quarters = quarters
    }

    public var title: String { measure.title(limit: limit) }
    public var latest: QuarterCount? { quarters.last }
}

public struct RankedSite: Sendable {
    public let record: SiteRecord
    public let measures: SiteMeasures
}

public struct PipelineStage: Sendable {
    public enum Stage: String, CaseIterable, Sendable {
        case invited, selected, confirmed, open
        case firstParticipant = "first participant"

        public var label: String {
            switch self {
            case .invited: "Invited"
            case .selected: "Selected"
            case .confirmed: "Confirmed"
            case .open: "Open"
            case .firstParticipant: "First participant"
            }
        }

        func day(of record: SiteRecord) -> Day? {
            switch self {
            case .invited: record.site.dateSiteInvited
            case .selected: record.site.dateSiteSelected
            case .confirmed: record.site.dateSiteConfirmed
            case .open: record.site.dateSiteOpen
            case .firstParticipant: record.history.firstDay ?? record.site.firstParticipantRecruited
            }
        }
    }

    public let stage: Stage
    /// Sites (not closed) whose latest milestone is this one.
    public let sites: Int
    public let longestWait: Int?
    /// Median days from this milestone to the next, over sites that have reached the next.
    public let medianDaysTaken: Int?
}

public struct WaitingSite: Sendable {
    public let record: SiteRecord
    public let stage: PipelineStage.Stage
    public let since: Day
    public let days: Int
}

extension MeasureTrend.Measure {
    /// The share of sites this measure aims for, as the stored rule says.
    public func ambition(in rules: MetricRules) -> Double {
        switch self {
        case .pidInitiating: rules.pidInitiatingAmbition
        case .open60: rules.kpiOpenAmbition
        case .first30: rules.kpiFirstParticipantAmbition
        case .setUp150: rules.kpiSetUpAmbition
        }
    }
}

extension MeasureTrend {
    /// The quarter before the latest.
    public var previous: QuarterCount? { quarters.dropLast().last }

    /// Percentage points gained (+) or lost (−) since the quarter before; nil when either had no site due.
    public var change: Double? {
        guard let now = latest?.percent, let before = previous?.percent else { return nil }
        return now - before
    }
}

/// A headline share against its ambition, lit the way open sites are: green at or above the ambition
/// times the green rule (1.0), amber from the amber rule's share of it (0.8), red below. With the
/// national rules, against 90%: green from 90%, amber from 72%, red below.
public enum AmbitionLight {
    public static func light(percent: Double?, ambition: Double, rules: MetricRules) -> TrafficLight? {
        guard let percent, ambition > 0 else { return nil }
        let achieved = percent / 100 / ambition
        // A share exactly at a boundary (9 of 10 against 0.9) must not fall short by a rounding error.
        let tolerance = 1e-9
        if achieved + tolerance >= rules.greenFrom { return .green }
        if achieved + tolerance >= rules.amberFrom { return .amber }
        return .red
    }
}
