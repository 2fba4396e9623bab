/// What a site must reach next and by when, from its raw dates and the national timeframes: open
/// within the KPI's days of HRA approval, first participant within the KPI's days of opening, then the
/// target by the planned end of recruitment. The site page leads with it.
public struct NextStep: Sendable, Equatable {
    public let label: String
    /// The day the national timeframe (or the site's own plan) runs out; nil when none applies yet.
    public let dueBy: Day?
    /// Where the due date comes from, in words.
    public let basis: String?

    public init(label: String, dueBy: Day?, basis: String?) {
        self.label = label
        self.dueBy = dueBy
        self.basis = basis
    }

    /// Whether the due day has passed without the step.
    public func isOverdue(on today: Day) -> Bool { dueBy.map { $0 < today } ?? false }

    /// Nil when the site has nothing left to reach (closed to recruitment, or a PIC that is open).
    public static func of(_ site: Site, recruited: Int, rules: MetricRules) -> NextStep? {
        if site.closedToRecruitment != nil { return nil }
        // An opening date without an HRA approval date (an older or partly recorded site) is still open.
        guard let open = site.dateSiteOpen else {
            guard let hra = site.hraApproval else { return NextStep(label: "HRA approval", dueBy: nil, basis: nil) }
            return NextStep(label: "Site open", dueBy: hra.adding(days: rules.kpiOpenDays),
                            basis: "\(rules.kpiOpenDays) days after HRA approval on \(hra.longText)")
        }
        guard site.role.recruits else { return nil }
        guard site.firstParticipantRecruited != nil || recruited > 0 else {
            return NextStep(label: "First participant recruited", dueBy: open.adding(days: rules.kpiFirstParticipantDays),
                            basis: "\(rules.kpiFirstParticipantDays) days after the site opened on \(open.longText)")
        }
        guard let target = site.siteTarget, target > 0, recruited < target else {
            return NextStep(label: "Close to recruitment", dueBy: site.plannedRecruitmentEnd,
                            basis: site.plannedRecruitmentEnd.map { _ in "the planned end of recruitment" })
        }
        return NextStep(label: "Recruit the target of \(target) (\(target - recruited) to go)", dueBy: site.plannedRecruitmentEnd,
                        basis: site.plannedRecruitmentEnd.map { _ in "the planned end of recruitment" })
    }
}
