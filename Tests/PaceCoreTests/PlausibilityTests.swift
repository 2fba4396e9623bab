import PaceCore
import Testing

/// The plausibility rules of domain.md §3a and §4, with the worked examples from the issue that found them.
struct PlausibilityTests {
    func day(_ text: String) -> Day {
        Day(iso: text) ?? Day(ordinal: 0)
    }

    /// First participant 15 September, open 1 October, HRA approval 10 November 2025.
    var backwardsSite: Site {
        var site = Site(cpmsID: 1, siteODS: "RT5", role: .recruiting)
        site.hraApproval = day("2025-11-10")
        site.dateSiteOpen = day("2025-10-01")
        site.firstParticipantRecruited = day("2025-09-15")
        return site
    }

    @Test func setUpDatesOutOfOrderAreNamedWithBothDates() {
        let breaks = SetUpOrder.breaks(backwardsSite)
        #expect(breaks.map(\.message) == [
            "The date the site opened, 1 October 2025, is before HRA approval, 10 November 2025.",
            "The first participant, 15 September 2025, is before HRA approval, 10 November 2025.",
        ])
    }

    @Test func eachPairOfTheOrderIsChecked() {
        let pairs: [(Milestone, Milestone)] = [
            (.invited, .selected), (.regulatorySubmission, .hraApproval), (.hraApproval, .confirmed), (.confirmed, .open),
            (.open, .firstParticipant), (.firstParticipant, .lastParticipant), (.lastParticipant, .closedToRecruitment),
        ]
        for (earlier, later) in pairs {
            let dates: [Milestone: Day] = [earlier: day("2025-06-02"), later: day("2025-06-01")]
            #expect(SetUpOrder.breaks { dates[$0] }.map(\.later) == [later], "\(earlier) → \(later)")
            let sameDay: [Milestone: Day] = [earlier: day("2025-06-01"), later: day("2025-06-01")]
            #expect(SetUpOrder.breaks { sameDay[$0] }.isEmpty, "the same day is in order")
        }
        // A gap in the chain compares with the nearest known date before it.
        let gap: [Milestone: Day] = [.hraApproval: day("2025-06-10"), .closedToRecruitment: day("2025-06-01")]
        #expect(SetUpOrder.breaks { gap[$0] }.map(\.earlier) == [.hraApproval])
        // Selection runs beside the approvals, so a site selected after it opened is not a break.
        let selectedLate: [Milestone: Day] = [.open: day("2025-06-01"), .selected: day("2025-07-01")]
        #expect(SetUpOrder.breaks { selectedLate[$0] }.isEmpty)
    }

    @Test func aSiteRowOutOfOrderIsRefusedOnTheLaterDate() {
        var row = RowReader(values: [
            "cpms_id": "1", "site_ods": "RT5", "role": "recruiting",
            "hra_approval": "2025-11-10", "date_site_open": "2025-10-01",
        ])
        #expect(Site(reading: &row) == nil)
        #expect(row.problems == [FieldProblem(column: "date_site_open", message: "The date the site opened, 1 October 2025, is before HRA approval, 10 November 2025.")])
    }

    @Test func actualDatesAreNeverInTheFuture() {
        var row = RowReader(values: ["cpms_id": "1", "site_ods": "RT5", "participant_id": "CALM-0001", "status": "recruited", "consent_date": "2027-01-04"])
        row.today = day("2026-12-02")
        #expect(Participant(reading: &row) == nil)
        #expect(row.problems.map(\.column) == ["consent_date"])
        #expect(row.problems.first?.message.contains("4 January 2027 is in the future") == true)

        var today = RowReader(values: ["cpms_id": "1", "site_ods": "RT5", "participant_id": "CALM-0001", "status": "recruited", "consent_date": "2026-12-02"])
        today.today = day("2026-12-02")
        #expect(Participant(reading: &today) != nil)

        var count = RowReader(values: ["cpms_id": "1", "site_ods": "RT5", "period_start": "2026-12-01", "period_end": "2026-12-31", "count": "3"])
        count.today = day("2026-12-02")
        #expect(RecruitmentCount(reading: &count) == nil)
        #expect(count.problems.map(\.column) == ["period_end"])

        // Planned dates may be anything.
        var planned = RowReader(values: ["cpms_id": "1", "site_ods": "RT5", "role": "recruiting", "planned_recruitment_start": "2030-01-01"])
        planned.today = day("2026-12-02")
        #expect(Site(reading: &planned) != nil)
    }

    @Test func recruitmentBeforeTheSiteOpenedIsNamed() {
        let message = RecruitmentPlausibility.beforeOpen(day("2025-09-15"), open: day("2025-10-01"), what: "The participant was recruited on")
        #expect(message?.hasPrefix("The participant was recruited on 15 September 2025, before the site opened on 1 October 2025.") == true)
        #expect(RecruitmentPlausibility.beforeOpen(day("2025-10-01"), open: day("2025-10-01"), what: "") == nil)
        #expect(RecruitmentPlausibility.beforeOpen(day("2025-09-15"), open: nil, what: "") == nil)
    }

    @Test func periodsOverlapWhenTheyShareADay() {
        let april = day("2026-04-01")...day("2026-04-30")
        #expect(RecruitmentPlausibility.overlaps(april, day("2026-04-30")...day("2026-05-31")))
        #expect(RecruitmentPlausibility.overlaps(april, day("2026-04-10")...day("2026-04-12")))
        #expect(!RecruitmentPlausibility.overlaps(april, day("2026-05-01")...day("2026-05-31")))
        #expect(!RecruitmentPlausibility.overlaps(april, day("2026-03-01")...day("2026-03-31")))
    }

    /// The example: 99,999 in a month at a site whose whole target is 40.
    @Test func aCountBeyondTheTargetOrTheMonthlyCeilingNeedsConfirming() {
        func count(_ number: Int, _ from: String, _ to: String) -> RecruitmentCount {
            RecruitmentCount(cpmsID: 1, siteODS: "RT5", periodStart: day(from), periodEnd: day(to), count: number)
        }
        let huge = RecruitmentPlausibility.confirmationNeeded(count(99_999, "2026-04-01", "2026-04-30"), siteTarget: 40, perMonth: 100)
        #expect(huge == "99999 recruited from 1 April 2026 to 30 April 2026 is more than the site's whole target of 40. Check the number; if it is right, confirm it.")
        #expect(RecruitmentPlausibility.confirmationNeeded(count(40, "2026-04-01", "2026-04-30"), siteTarget: 40, perMonth: 100) == nil)
        #expect(RecruitmentPlausibility.confirmationNeeded(count(41, "2026-04-01", "2026-04-30"), siteTarget: 40, perMonth: 100) != nil)
        // Without a target the ceiling is per month of the period: a quarter allows three months' worth.
        #expect(RecruitmentPlausibility.confirmationLimit(periodStart: day("2026-04-01"), periodEnd: day("2026-06-30"), siteTarget: nil, perMonth: 100) == 300)
        #expect(RecruitmentPlausibility.confirmationNeeded(count(300, "2026-04-01", "2026-06-30"), siteTarget: nil, perMonth: 100) == nil)
        #expect(RecruitmentPlausibility.confirmationNeeded(count(301, "2026-04-01", "2026-06-30"), siteTarget: nil, perMonth: 100)?.contains("300, the most expected in that time (100 a month)") == true)
        // A single day is still a month's allowance, and a huge ceiling cannot overflow.
        #expect(RecruitmentPlausibility.confirmationLimit(periodStart: day("2026-04-01"), periodEnd: day("2026-04-01"), siteTarget: nil, perMonth: 100) == 100)
        #expect(RecruitmentPlausibility.confirmationLimit(periodStart: day("1900-01-01"), periodEnd: day("2199-12-31"), siteTarget: nil, perMonth: Int.max) == Int.max)
    }

    @Test func aNegativeIntervalIsNeverATargetMet() {
        let site = backwardsSite
        let study = Study(cpmsID: 1, shortName: "BACK", route: .commercial, design: .interventional, ctimp: true)
        let record = SiteRecord(study: study, site: site, history: RecruitmentHistory([]))
        let kpis = KPIReport.counts([record], from: day("2025-01-01"), to: day("2025-12-31"))
        #expect(kpis[.open60]?.eligible == 1)
        #expect(kpis[.open60]?.met == 0, "open 40 days before approval is not within 60 days")
        #expect(kpis[.first30]?.met == 0, "first participant 16 days before opening is not within 30 days")

        let intervals = SetUpInterval.intervals(site, firstParticipant: site.firstParticipantRecruited, pid: true, commercialCTIMP: true, on: day("2026-01-01"))
        let open = intervals.first { $0.toMilestone == "site open" }
        #expect(open?.days == -40)
        #expect(open?.met == false)
        #expect(open?.isOutOfOrder == true)

        var selectedLate = site
        selectedLate.dateSiteSelected = day("2025-10-01")
        let entry = PIDReports.initiatingEntries([SiteRecord(study: study, site: selectedLate, history: RecruitmentHistory([]))], quarter: FinancialQuarter(containing: day("2025-12-31")))
        #expect(entry.first?.met == false, "a first participant before selection is not within 70 days of it")
        #expect(SiteMeasures.met(0, within: 30) && SiteMeasures.met(30, within: 30) && !SiteMeasures.met(31, within: 30) && !SiteMeasures.met(-1, within: 30))
    }

    /// The demo and generated regions are what a new user first imports: they must pass every rule.
    @Test(arguments: [1, 5, 8, 22])
    func theDemoAndGeneratedRegionsArePlausible(seed: Int) {
        let asOf = day("2026-12-02")
        var sites = DemoPortfolio(seed: UInt64(seed), asOf: asOf, studyCount: 24).sites
        RegionGenerator(organisations: 20, studies: 80, participants: 1_000, seed: UInt64(seed), asOf: asOf).forEachStudy { sites += $0.sites }
        for site in sites {
            #expect(SetUpOrder.breaks(site).isEmpty, "\(site.keyDescription): \(SetUpOrder.breaks(site).map(\.message))")
            #expect(site.milestones.allSatisfy { ($0.day ?? asOf) <= asOf }, "\(site.keyDescription) has a milestone after \(asOf)")
        }
    }
}

/// Data held from before the checks is shown to the R&D office, each finding with what to do.
struct DataQualityTests {
    func day(_ text: String) -> Day {
        Day(iso: text) ?? Day(ordinal: 0)
    }

    @Test func everyKindOfFindingIsFoundOnceWithItsRecord() {
        let today = day("2026-12-02")
        let study = Study(cpmsID: 1, shortName: "BACK", route: .nonCommercial, design: .interventional, status: .openWithRecruitment)
        var backwards = Site(cpmsID: 1, siteODS: "RT5", role: .recruiting)
        backwards.hraApproval = day("2025-11-10")
        backwards.dateSiteOpen = day("2025-10-01")
        backwards.firstParticipantRecruited = day("2025-09-15")
        backwards.closedToRecruitment = day("2027-01-01")
        let history = RecruitmentHistory([(day("2025-09-20"), 1), (day("2026-11-20"), 1)])
        var counted = Site(cpmsID: 1, siteODS: "RHA", role: .recruiting)
        counted.dateSiteOpen = day("2025-01-01")
        let counts = [
            RecruitmentCount(cpmsID: 1, siteODS: "RHA", periodStart: day("2025-04-01"), periodEnd: day("2025-04-30"), count: 3),
            RecruitmentCount(cpmsID: 1, siteODS: "RHA", periodStart: day("2025-04-15"), periodEnd: day("2025-05-14"), count: 2),
            RecruitmentCount(cpmsID: 1, siteODS: "RHA", periodStart: day("2025-06-01"), periodEnd: day("2025-06-30"), count: 400, confirmed: true),
        ]
        let countHistory = RecruitmentHistory(participants: [], counts: counts)
        let records = [SiteRecord(study: study, site: backwards, history: history), SiteRecord(study: study, site: counted, history: countHistory)]
        let findings = DataQuality.findings(records: records, counts: counts, participantSites: ["1/RHA"], today: today)
        let kinds = findings.map { "\($0.kind)@\($0.siteODS)" }
        #expect(kinds == [
            "datesOutOfOrder@RT5", "datesOutOfOrder@RT5", "futureDates@RT5", "recruitmentBeforeOpening@RT5", "firstParticipantMismatch@RT5",
            "countedTwice@RHA", "countedTwice@RHA", "confirmedLargeCounts@RHA", "quietOpenSites@RHA",
        ])
        #expect(findings.first?.detail == "The date the site opened, 1 October 2025, is before HRA approval, 10 November 2025.")
        #expect(findings.first { $0.kind == .confirmedLargeCounts }?.periodStart == day("2025-06-01"))
        #expect(findings.first { $0.kind == .quietOpenSites }?.detail == "Last recruitment recorded 30 June 2025.")
        // Clean data has nothing to report.
        var clean = backwards
        clean.hraApproval = day("2025-09-01")
        clean.firstParticipantRecruited = day("2025-10-06")
        clean.closedToRecruitment = nil
        let cleanHistory = RecruitmentHistory([(day("2025-10-06"), 1), (day("2026-11-20"), 1)])
        #expect(DataQuality.findings(records: [SiteRecord(study: study, site: clean, history: cleanHistory)], counts: [], participantSites: [], today: today).isEmpty)
    }
}

extension DataQualityTests {
    /// A count is dated on its period's last day: a first participant stated within that period agrees.
    @Test func aFirstParticipantWithinTheFirstCountedPeriodIsNotAMismatch() {
        let study = Study(cpmsID: 1, shortName: "COUNTED", route: .nonCommercial, design: .interventional, status: .openWithRecruitment)
        var site = Site(cpmsID: 1, siteODS: "RHA", role: .recruiting)
        site.dateSiteOpen = day("2026-03-01")
        site.firstParticipantRecruited = day("2026-04-12")
        let counts = [RecruitmentCount(cpmsID: 1, siteODS: "RHA", periodStart: day("2026-04-01"), periodEnd: day("2026-04-30"), count: 2),
                      RecruitmentCount(cpmsID: 1, siteODS: "RHA", periodStart: day("2026-11-01"), periodEnd: day("2026-11-30"), count: 1)]
        let record = SiteRecord(study: study, site: site, history: RecruitmentHistory(participants: [], counts: counts))
        #expect(DataQuality.findings(records: [record], counts: counts, participantSites: [], today: day("2026-12-02")).isEmpty)
        var late = site
        late.firstParticipantRecruited = day("2026-05-03")
        let lateRecord = SiteRecord(study: study, site: late, history: RecruitmentHistory(participants: [], counts: counts))
        #expect(DataQuality.findings(records: [lateRecord], counts: counts, participantSites: [], today: day("2026-12-02")).map(\.kind) == [.firstParticipantMismatch])
    }
}
