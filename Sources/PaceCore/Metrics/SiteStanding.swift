/// One answer to each question every page asks of a site, so the portfolio, the dashboard, the board
/// report, Needs attention, the API and the CSV files cannot disagree (issue 12).
extension SiteRecord {
    /// The study is over for its sites on `day`: withdrawn during set-up, or closed (from its actual
    /// close date, or already when none is recorded).
    public func studyEnded(on day: Day) -> Bool {
        guard let status = study.status else { return false }
        if status == .withdrawnDuringSetup { return true }
        guard status.phase == .closed else { return false }
        return study.actualClose.map { $0 <= day } ?? true
    }

    /// Still in play on `day`, so it can wait for anything: its study has not ended, the site has not
    /// closed to recruitment, and it did not decline (a non-confirmation status).
    public func isActive(on day: Day) -> Bool {
        !studyEnded(on: day) && site.closedToRecruitment.map { $0 > day } ?? true && site.nonConfirmationStatus == nil
    }

    /// Open to recruitment on `day`: what "open site" means on every page.
    public func isOpen(on day: Day) -> Bool {
        !studyEnded(on: day) && SiteMeasures.isOpen(site, on: day)
    }

    /// The PID initiating measure covers recruiting sites of interventional studies (clinical trials).
    public var pidApplies: Bool {
        site.role.recruits && study.design == .interventional
    }

    public var isCommercialCTIMP: Bool {
        study.route == .commercial && study.ctimp == true
    }

    /// The site's measures on `day`, with "open" as `isOpen` answers it.
    public func measures(on day: Day, rules: MetricRules = .national) -> SiteMeasures {
        SiteMeasures(site: site, history: history, on: day, rules: rules, studyEnded: studyEnded(on: day))
    }

    /// The set-up intervals that apply to this site, against their national limits.
    public func intervals(on day: Day, rules: MetricRules = .national) -> [SetUpInterval] {
        SetUpInterval.intervals(site, firstParticipant: history.firstDay ?? site.firstParticipantRecruited, pid: pidApplies,
                                commercialCTIMP: isCommercialCTIMP, on: day, rules: rules)
    }
}

extension RankedSite {
    /// Open sites on track (RTT ≥ 0 or the sponsor's agreed intention), of those that can be judged:
    /// a count of sites, never of studies.
    public static func onTrack(_ sites: [RankedSite]) -> (count: Int, of: Int) {
        let judged = sites.compactMap(\.measures.onTrack)
        return (judged.filter { $0 }.count, judged.count)
    }
}
