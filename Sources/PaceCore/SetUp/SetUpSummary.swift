/// Set-up and amendments at a glance, for the dashboard: how many sites are in set-up and waiting on a
/// sponsor, where this financial year's set-up days went, and how many amendments are overdue.
public struct SetUpSummary: Sendable {
    public let sitesInSetUp: Int
    public let waitingOnSponsor: Int
    public let pastTimeframe: Int
    /// This financial year's completed steps, by step and holder, the slowest (by median) first.
    public let slowest: [SetUpTimeReport.Group]
    public let share: [SetUpHolder: Double]?
    public let overdueAmendments: Int
    public let kinds: [SetUpStepKind]
    public let yearStart: Day

    public init(records: [SiteRecord], steps: [SetUpStep], amendments: [Amendment], kinds: [SetUpStepKind], rules: MetricRules, today: Day) {
        let sites = SetUpPortfolio.sites(records, steps: steps, kinds: kinds, rules: rules, today: today)
        sitesInSetUp = sites.count
        waitingOnSponsor = sites.filter { !$0.board.waiting(on: .sponsor).isEmpty }.count
        pastTimeframe = sites.filter { $0.board.clock.isOverdue }.count
        yearStart = FinancialYear(containing: today).firstDay
        let groups = SetUpTimeReport.groups(steps, from: yearStart, to: today, kinds: kinds)
        slowest = groups.sorted { ($0.median ?? 0, $0.step) > ($1.median ?? 0, $1.step) }
        share = SetUpTimeReport.shareOfDays(groups)
        overdueAmendments = amendments.filter { AmendmentAssessment($0, on: today, rules: rules).overdue }.count
        self.kinds = kinds
    }
}
