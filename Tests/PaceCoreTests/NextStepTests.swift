import PaceCore
import Testing

struct NextStepTests {
    func day(_ text: String) -> Day { Day(iso: text) ?? Day(ordinal: 0) }

    func site(_ configure: (inout Site) -> Void, role: SiteRole = .recruiting) -> Site {
        var site = Site(cpmsID: 1, siteODS: "RT5", role: role)
        configure(&site)
        return site
    }

    @Test func eachStepIsDueByItsNationalTimeframe() {
        let rules = MetricRules.national
        #expect(NextStep.of(site { _ in }, recruited: 0, rules: rules) == NextStep(label: "HRA approval", dueBy: nil, basis: nil))
        // 60 days from 1 March 2026 is 30 April 2026.
        let approved = NextStep.of(site { $0.hraApproval = day("2026-03-01") }, recruited: 0, rules: rules)
        #expect(approved?.label == "Site open" && approved?.dueBy == day("2026-04-30"))
        #expect(approved?.basis == "60 days after HRA approval on 1 March 2026")
        #expect(approved?.isOverdue(on: day("2026-04-30")) == false)
        #expect(approved?.isOverdue(on: day("2026-05-01")) == true)
        // 30 days from 31 January 2026 crosses February's 28 days: 2 March 2026.
        let opened = NextStep.of(site { $0.hraApproval = day("2026-01-02"); $0.dateSiteOpen = day("2026-01-31") }, recruited: 0, rules: rules)
        #expect(opened?.label == "First participant recruited" && opened?.dueBy == day("2026-03-02"))
        // Open without a recorded HRA approval date: the next step is still the first participant.
        #expect(NextStep.of(site { $0.dateSiteOpen = day("2026-01-05") }, recruited: 0, rules: rules)?.dueBy == day("2026-02-04"))
        // A PIC that is open has nothing more to reach here; recruitment is recorded where people consent.
        #expect(NextStep.of(site({ $0.hraApproval = day("2026-01-02"); $0.dateSiteOpen = day("2026-01-31") }, role: .pic), recruited: 0, rules: rules) == nil)
        let recruiting = NextStep.of(site {
            $0.hraApproval = day("2026-01-02"); $0.dateSiteOpen = day("2026-01-31"); $0.siteTarget = 10; $0.plannedRecruitmentEnd = day("2027-01-31")
        }, recruited: 4, rules: rules)
        #expect(recruiting == NextStep(label: "Recruit the target of 10 (6 to go)", dueBy: day("2027-01-31"), basis: "the planned end of recruitment"))
        #expect(NextStep.of(site { $0.hraApproval = day("2026-01-02"); $0.closedToRecruitment = day("2026-06-01") }, recruited: 0, rules: rules) == nil)
        // The days follow the stored rule.
        var faster = rules
        faster.kpiOpenDays = 40
        #expect(NextStep.of(site { $0.hraApproval = day("2026-03-01") }, recruited: 0, rules: faster)?.dueBy == day("2026-04-10"))
    }
}
