import PaceCore
import Testing

struct SetUpTimeTests {
    func day(_ text: String) -> Day { Day(iso: text) ?? Day(ordinal: 0) }

    func step(_ code: String, _ started: String, _ completed: String?, by holder: SetUpHolder = .provider, site: String = "RT5") -> SetUpStep {
        SetUpStep(cpmsID: 1, siteODS: site, step: code, heldBy: holder, started: day(started), completed: completed.map(day))
    }

    @Test func medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        #expect(SetUpTimeReport.median([]) == nil)
        #expect(SetUpTimeReport.median([7]) == 7)
        #expect(SetUpTimeReport.median([10, 2, 30]) == 10)
        // 4, 10, 13, 40: the middle two are 10 and 13.
        #expect(SetUpTimeReport.median([40, 10, 4, 13]) == 11.5)
        #expect(SetUpTimeReport.median([5, 5]) == 5)
    }

    @Test func p90IsTheNearestRank() {
        #expect(SetUpTimeReport.percentile90([]) == nil)
        // n = 1: rank ⌈0.9⌉ = 1.
        #expect(SetUpTimeReport.percentile90([12]) == 12)
        // n = 10: rank 9, the 9th smallest of 1…10.
        #expect(SetUpTimeReport.percentile90(Array(1...10)) == 9)
        // n = 11: rank ⌈9.9⌉ = 10.
        #expect(SetUpTimeReport.percentile90(Array(1...11).reversed()) == 10)
        // n = 5: rank ⌈4.5⌉ = 5, the largest.
        #expect(SetUpTimeReport.percentile90([3, 1, 4, 1, 5]) == 5)
        // n = 20: rank exactly 18.
        #expect(SetUpTimeReport.percentile90(Array(1...20)) == 18)
    }

    @Test func theReportGroupsStepsCompletedInTheWindowByStepAndHolder() {
        let steps = [
            // Pharmacy: 10, 20, 31 (1 to 31 March crosses no month end: 30) and 45 days.
            step("pharmacy-review", "2026-01-01", "2026-01-11"),
            step("pharmacy-review", "2026-01-01", "2026-01-21", site: "RX1"),
            step("pharmacy-review", "2026-03-01", "2026-03-31", site: "RX2"),
            step("pharmacy-review", "2026-02-15", "2026-04-01", site: "RX3"),
            // A sponsor query: 28 January to 2 March 2026 is 33 days.
            step("sponsor-query", "2026-01-28", "2026-03-02", by: .sponsor),
            // Completed before the window, and still open: neither counts.
            step("contract", "2025-11-01", "2025-12-31"),
            step("contract", "2026-02-01", nil, site: "RX1"),
        ]
        let report = SetUpTimeReport.report(steps, from: day("2026-01-01"), to: day("2026-04-01"), organisation: "RT5", kinds: SetUpStepKind.usual)
        #expect(report.fields.prefix(6) == ["step", "held_by", "completed_steps", "median_days", "p90_days", "total_days"])
        #expect(report.rows.count == 2)
        #expect(report.rows[0].prefix(6) == [.text("pharmacy-review"), .text("provider"), .integer(4), .fraction(25), .integer(45), .integer(105)])
        #expect(report.rows[0][6] == .text("Pharmacy review"))
        #expect(report.rows[1].prefix(6) == [.text("sponsor-query"), .text("sponsor"), .integer(1), .fraction(33), .integer(33), .integer(33)])
        // 33 of the 138 days were the sponsor's.
        let shares = SetUpTimeReport.shareOfDays(SetUpTimeReport.groups(steps, from: day("2026-01-01"), to: day("2026-04-01"), kinds: SetUpStepKind.usual))
        #expect(shares?[.sponsor] == 3_300.0 / 138)
        // The window includes both its days.
        let oneDay = SetUpTimeReport.report(steps, from: day("2026-01-11"), to: day("2026-01-11"), organisation: nil, kinds: [])
        #expect(oneDay.rows.count == 1 && oneDay.rows[0][2] == .integer(1))
        #expect(SetUpTimeReport.shareOfDays([]) == nil)
    }

    @Test func theTrendGivesEachQuarterItsDaysByHolder() {
        let steps = [
            step("pharmacy-review", "2026-04-01", "2026-04-21"),
            step("sponsor-query", "2026-04-10", "2026-05-10", by: .sponsor),
            step("finance-review", "2026-07-01", "2026-07-05"),
        ]
        let trend = SetUpTimeReport.trend(steps, quarters: 3, endingWith: day("2026-08-01"))
        #expect(trend.map(\.quarter.description) == ["2025-26-Q4", "2026-27-Q1", "2026-27-Q2"])
        #expect(trend[0].completedSteps == 0 && trend[0].sponsorShare == nil)
        #expect(trend[1].providerDays == 20 && trend[1].sponsorDays == 30 && trend[1].sponsorShare == 60 && trend[1].medianDays == 25)
        #expect(trend[2].completedSteps == 1 && trend[2].providerDays == 4)
    }

    @Test func stepCodesAreTheOfficesOwnWords() {
        #expect(SetUpStepKind.codeProblem("pharmacy-review") == nil)
        #expect(SetUpStepKind.codeProblem("review2") == nil)
        for bad in ["", "Pharmacy Review", "pharmacy--review", "-pharmacy", "pharmacy_review", "pharmacy-", "ré-view", String(repeating: "a", count: 61)] {
            #expect(SetUpStepKind.codeProblem(bad) != nil, "\(bad)")
        }
        #expect(SetUpStepKind.code(fromName: "  Radiation protection (IR(ME)R) review! ") == "radiation-protection-ir-me-r-review")
        #expect(SetUpStepKind.name(of: "pharmacy-review", in: SetUpStepKind.usual) == "Pharmacy review")
        #expect(SetUpStepKind.name(of: "radiotherapy-check", in: SetUpStepKind.usual) == "Radiotherapy check")
        // A step recorded again at a site is numbered, and counts with its kind.
        #expect(SetUpStepKind.name(of: "sponsor-query-2", in: SetUpStepKind.usual) == "Query with the sponsor (2)")
        #expect(SetUpStepKind.baseCode(of: "sponsor-query-3", in: SetUpStepKind.usual) == "sponsor-query")
        #expect(SetUpStepKind.baseCode(of: "review2", in: SetUpStepKind.usual) == "review2")
        #expect(SetUpStepKind.nextCode(for: "contract", taken: ["contract", "contract-2"]) == "contract-3")
        #expect(SetUpStepKind.nextCode(for: "contract-2", taken: ["contract", "contract-2"]) == "contract-3")
        #expect(SetUpStep(cpmsID: 1, siteODS: "RT5", step: "capacity-and-capability-2", heldBy: .provider, started: Day(ordinal: 0)).confirmsCapacity)
        let again = [
            SetUpStep(cpmsID: 1, siteODS: "RT5", step: "sponsor-query", heldBy: .sponsor, started: Day(iso: "2026-01-01") ?? Day(ordinal: 0), completed: Day(iso: "2026-01-05")),
            SetUpStep(cpmsID: 1, siteODS: "RT5", step: "sponsor-query-2", heldBy: .sponsor, started: Day(iso: "2026-02-01") ?? Day(ordinal: 0), completed: Day(iso: "2026-02-11")),
        ]
        let groups = SetUpTimeReport.groups(again, from: Day(iso: "2026-01-01") ?? Day(ordinal: 0), to: Day(iso: "2026-03-01") ?? Day(ordinal: 0), kinds: SetUpStepKind.usual)
        #expect(groups.map(\.step) == ["sponsor-query"] && groups.first?.days == [4, 10] && groups.first?.median == 7)
    }

    @Test func aStepIsReadFromItsRowWithEveryProblemNamed() {
        var row = RowReader(values: ["cpms_id": "12", "site_ods": "rt5", "step": "Pharmacy-Review", "held_by": "provider", "started": "2026-02-01", "completed": "2026-02-10"])
        row.today = day("2026-06-01")
        let read = SetUpStep(reading: &row)
        #expect(read == SetUpStep(cpmsID: 12, siteODS: "RT5", step: "pharmacy-review", heldBy: .provider, started: day("2026-02-01"), completed: day("2026-02-10")))
        var bad = RowReader(values: ["cpms_id": "12", "site_ods": "RT5", "step": "pharmacy review", "held_by": "nobody", "started": "2026-02-10", "completed": "2026-02-01"])
        bad.today = day("2026-06-01")
        #expect(SetUpStep(reading: &bad) == nil)
        #expect(Set(bad.problems.map(\.column)) == ["step", "held_by", "completed"])
        var future = RowReader(values: ["cpms_id": "12", "site_ods": "RT5", "step": "contract", "held_by": "sponsor", "started": "2026-07-01"])
        future.today = day("2026-06-01")
        #expect(SetUpStep(reading: &future) == nil)
        #expect(future.problems.map(\.column) == ["started"])
    }
}

struct SetUpBoardTests {
    func day(_ text: String) -> Day { Day(iso: text) ?? Day(ordinal: 0) }

    @Test func theClockRunsFromApprovalAndEachOpenStepHasItsFinishByDay() {
        var site = Site(cpmsID: 1, siteODS: "RT5", role: .recruiting)
        let steps = [
            SetUpStep(cpmsID: 1, siteODS: "RT5", step: "pharmacy-review", heldBy: .provider, started: day("2026-03-02"), completed: day("2026-03-20")),
            SetUpStep(cpmsID: 1, siteODS: "RT5", step: "contract", heldBy: .sponsor, started: day("2026-03-05")),
            SetUpStep(cpmsID: 1, siteODS: "RT5", step: "capacity-and-capability", heldBy: .provider, started: day("2026-03-25")),
        ]
        let waiting = SetUpBoard(site: site, steps: steps, firstParticipant: nil, today: day("2026-04-01"), rules: .national, kinds: SetUpStepKind.usual)
        #expect(waiting.clock == .awaitingApproval)
        #expect(waiting.open.allSatisfy { $0.finishBy == nil })
        // Approved 1 March 2026: the site must open by 30 April; the reviews by 20 April (10 days before).
        site.hraApproval = day("2026-03-01")
        let board = SetUpBoard(site: site, steps: steps, firstParticipant: nil, today: day("2026-04-25"), rules: .national, kinds: SetUpStepKind.usual)
        #expect(board.clock == .toOpen(daysSinceApproval: 55, limit: 60, due: day("2026-04-30")))
        #expect(board.clock.isOverdue == false)
        #expect(board.open.map(\.step.step) == ["contract", "capacity-and-capability"])
        #expect(board.open[0].finishBy == day("2026-04-20") && board.open[0].daysLeft(on: day("2026-04-25")) == -5)
        #expect(board.open[1].finishBy == day("2026-04-30"))
        #expect(board.waiting(on: .sponsor).map(\.step.step) == ["contract"])
        #expect(board.late(on: day("2026-04-25")).map(\.step.step) == ["contract"])
        // 5 March to 25 April 2026: 51 days.
        #expect(board.longestOpenDays == 51)
        #expect(board.completed.map(\.days) == [18])
        // The margin is a stored rule.
        var rules = MetricRules.national
        rules.setUpClosingDays = 3
        #expect(SetUpBoard(site: site, steps: steps, firstParticipant: nil, today: day("2026-04-25"), rules: rules, kinds: []).open[0].finishBy == day("2026-04-27"))
        // Once open, the clock is the first participant's.
        site.dateSiteOpen = day("2026-04-28")
        let opened = SetUpBoard(site: site, steps: [], firstParticipant: nil, today: day("2026-06-01"), rules: .national, kinds: [])
        #expect(opened.clock == .toFirstParticipant(daysSinceOpening: 34, limit: 30, due: day("2026-05-28")))
        #expect(opened.clock.isOverdue)
        #expect(SetUpBoard(site: site, steps: [], firstParticipant: day("2026-05-02"), today: day("2026-06-01"), rules: .national, kinds: []).clock == .recruiting)
        site.nonConfirmationStatus = "site declined to participate"
        #expect(SetUpBoard(site: site, steps: [], firstParticipant: nil, today: day("2026-06-01"), rules: .national, kinds: []).clock == .notConfirmed("site declined to participate"))
    }
}

struct AmendmentTests {
    func day(_ text: String) -> Day { Day(iso: text) ?? Day(ordinal: 0) }

    func amendment(_ received: String, assessed: String? = nil, implemented: String? = nil) -> Amendment {
        Amendment(cpmsID: 1, siteODS: "RT5", reference: "SA01", received: day(received), category: .substantial,
                  assessed: assessed.map(day), implemented: implemented.map(day))
    }

    @Test func theAssessmentWindowIs35DaysAcrossMonthEnds() {
        // Received 27 January 2026: due 3 March 2026 (February has 28 days).
        let waiting = AmendmentAssessment(amendment("2026-01-27"), on: day("2026-03-03"))
        #expect(waiting.due == day("2026-03-03"))
        #expect(waiting.overdue == false && waiting.onTime == nil)
        let late = AmendmentAssessment(amendment("2026-01-27"), on: day("2026-03-04"))
        #expect(late.overdue && late.onTime == false && late.stage == "Overdue for assessment")
        // In a leap year the same receipt is due on 2 March.
        #expect(AmendmentAssessment(amendment("2028-01-27"), on: day("2028-03-03")).due == day("2028-03-02"))
        // Across the year end: 10 December 2025 + 35 = 14 January 2026.
        #expect(AmendmentAssessment(amendment("2025-12-10"), on: day("2025-12-11")).due == day("2026-01-14"))
        // Assessed on the due day is on time; a day later is not, and is never overdue.
        let onTheDay = AmendmentAssessment(amendment("2026-01-27", assessed: "2026-03-03"), on: day("2026-06-01"))
        #expect(onTheDay.onTime == true && onTheDay.overdue == false && onTheDay.daysToAssess == 35)
        let after = AmendmentAssessment(amendment("2026-01-27", assessed: "2026-03-04"), on: day("2026-06-01"))
        #expect(after.onTime == false && after.overdue == false && after.daysToAssess == 36)
        // As of a day before the assessment it was still waiting.
        let asOf = AmendmentAssessment(amendment("2026-01-27", assessed: "2026-03-04", implemented: "2026-03-10"), on: day("2026-03-01"))
        #expect(asOf.assessed == nil && asOf.implemented == nil && asOf.onTime == nil)
        // The window is a stored rule.
        var rules = MetricRules.national
        rules.amendmentAssessmentDays = 30
        #expect(AmendmentAssessment(amendment("2026-01-27"), on: day("2026-02-27"), rules: rules).overdue)
    }

    @Test func theReportListsAmendmentsReceivedByTheDay() {
        let amendments = [
            amendment("2026-01-27", assessed: "2026-02-20", implemented: "2026-03-01"),
            Amendment(cpmsID: 2, siteODS: "RT5", reference: "Modification 2", received: day("2026-05-01"), category: .minor, needsReconfirmation: false),
            Amendment(cpmsID: 3, siteODS: "RT5", reference: "AM9", received: day("2026-09-01")),
        ]
        let report = AmendmentsReport.report(amendments, on: day("2026-06-10"), organisation: "RT5", studyNames: [1: "CALM"])
        #expect(report.fields.prefix(11) == ["cpms_id", "site_ods", "amendment_ref", "category", "received", "assessment_due", "assessed", "days_to_assess", "overdue", "on_time", "implemented"])
        #expect(report.rows.count == 2)
        #expect(report.rows[0].prefix(11) == [.integer(1), .text("RT5"), .text("SA01"), .text("substantial"), .day(day("2026-01-27")), .day(day("2026-03-03")),
                                             .day(day("2026-02-20")), .integer(24), .boolean(false), .boolean(true), .day(day("2026-03-01"))])
        #expect(report.rows[0][12] == .text("CALM"))
        // Received 1 May, due 5 June, not assessed by 10 June.
        #expect(report.rows[1][5] == .day(day("2026-06-05")) && report.rows[1][8] == .boolean(true) && report.rows[1][9] == .boolean(false))
        let handled = AmendmentsReport.handled(amendments, from: day("2026-01-01"), to: day("2026-06-30"), rules: .national)
        #expect(handled == AmendmentsReport.Handled(received: 2, assessed: 1, assessedOnTime: 1, implemented: 1, overdueAtEnd: 1))
        // A board report for months still to come: its period ends (today) before it starts, and nothing traps.
        #expect(AmendmentsReport.handled(amendments, from: day("2026-07-01"), to: day("2026-06-30"), rules: .national).received == 0)
        let future = BoardReport(records: [], partners: [:], firstMonth: day("2027-01-01"), asOf: day("2026-06-10"), amendments: amendments)
        #expect(future.amendments.received == 0 && future.setUpTime.isEmpty)
    }

    @Test func anAmendmentIsReadWithItsOrderChecked() {
        func read(_ values: [String: String]) -> (Amendment?, [String]) {
            var row = RowReader(values: ["cpms_id": "4", "site_ods": "RT5", "amendment_ref": "SA03", "received": "2026-03-01"].merging(values) { $1 })
            row.today = day("2026-06-01")
            return (Amendment(reading: &row), row.problems.map(\.column))
        }
        #expect(read(["category": "B", "needs_reconfirmation": "yes", "assessed": "2026-03-20", "implemented": "2026-03-25"]).0?.category == .b)
        #expect(read(["category": "important-detail"]).0?.category == .importantDetail)
        #expect(read(["category": "D"]).1 == ["category"])
        #expect(read(["assessed": "2026-02-01"]).1 == ["assessed"])
        #expect(read(["implemented": "2026-02-01"]).1 == ["implemented"])
        // Needing reconfirmation, it cannot be implemented before it is assessed.
        #expect(read(["needs_reconfirmation": "yes", "implemented": "2026-03-10"]).1 == ["implemented"])
        #expect(read(["needs_reconfirmation": "yes", "assessed": "2026-03-20", "implemented": "2026-03-10"]).1 == ["implemented"])
        #expect(read(["needs_reconfirmation": "no", "implemented": "2026-03-10"]).1 == [])
        #expect(read(["amendment_ref": "SA/03"]).1 == ["amendment_ref"])
        #expect(read(["amendment_ref": "<b>"]).1 == ["amendment_ref"])
        #expect(read(["received": "2026-07-01"]).1 == ["received"])
        #expect(read(["amendment_ref": "Modification 2 (v1.1)"]).0?.reference == "Modification 2 (v1.1)")
    }
}

struct SetUpPortfolioTests {
    func day(_ text: String) -> Day { Day(iso: text) ?? Day(ordinal: 0) }

    func record(_ cpms: Int, _ configure: (inout Site) -> Void) -> SiteRecord {
        var site = Site(cpmsID: cpms, siteODS: "RT5", role: .recruiting)
        configure(&site)
        return SiteRecord(study: Study(cpmsID: cpms, shortName: "S\(cpms)", route: .commercial), site: site, history: RecruitmentHistory([]))
    }

    @Test func theLongestWaitingComesFirstAndFiltersKeepMatchingOpenSteps() {
        let today = day("2026-06-01")
        let records = [
            record(1) { $0.hraApproval = day("2026-04-01") },
            record(2) { $0.hraApproval = day("2026-05-01") },
            record(3) { $0.hraApproval = day("2026-01-01"); $0.dateSiteOpen = day("2026-02-01") },
            record(4) { $0.nonConfirmationStatus = "site declined to participate" },
            record(5) { _ in },
        ]
        let steps = [
            SetUpStep(cpmsID: 1, siteODS: "RT5", step: "pharmacy-review", heldBy: .provider, started: day("2026-05-20")),
            SetUpStep(cpmsID: 2, siteODS: "RT5", step: "contract", heldBy: .sponsor, started: day("2026-05-02")),
            // Open and recruiting, but a step is still open: it stays on the list until the step is closed.
            SetUpStep(cpmsID: 3, siteODS: "RT5", step: "contract", heldBy: .sponsor, started: day("2026-05-25")),
        ]
        let all = SetUpPortfolio.sites(records, steps: steps, kinds: SetUpStepKind.usual, rules: .national, today: today)
        // 30 days (site 2), 12 (site 1), 7 (site 3), then site 5 with none.
        #expect(all.map(\.record.site.cpmsID) == [2, 1, 3, 5])
        #expect(SetUpPortfolio.sites(records, steps: steps, kinds: [], rules: .national, today: today, holder: .sponsor).map(\.record.site.cpmsID) == [2, 3])
        #expect(SetUpPortfolio.sites(records, steps: steps, kinds: [], rules: .national, today: today, step: "pharmacy-review").map(\.record.site.cpmsID) == [1])

        let amendments = [
            Amendment(cpmsID: 1, siteODS: "RT5", reference: "SA01", received: day("2026-04-01")),
            Amendment(cpmsID: 2, siteODS: "RT5", reference: "SA01", received: day("2026-05-20")),
        ]
        // Site 1 is past its 60 days to open; site 3 opened in February and has recruited nobody in 30 days.
        let summary = SetUpSummary(records: records, steps: steps, amendments: amendments, kinds: SetUpStepKind.usual, rules: .national, today: today)
        #expect((summary.sitesInSetUp, summary.waitingOnSponsor, summary.pastTimeframe, summary.overdueAmendments) == (4, 2, 2, 1))

        // On Needs attention: site 1's pharmacy review was to finish by 21 May (1 April + 60 − 10), 11 days ago; the
        // sponsor's contract at site 2 by 20 June (1 May + 60 − 10): not yet on 1 June, 5 days late on 25 June.
        let work = NeedsAttention.SetUpWork(steps: steps, amendments: amendments, kinds: SetUpStepKind.usual)
        let now = NeedsAttention.setUpItems(records, work, today: today, rules: .national)
        #expect(now.map { "\($0.kind.rawValue) \($0.cpmsID ?? 0) \($0.urgency)" } == ["Set-up steps past their finish-by day 1 11", "Amendments overdue for assessment 1 26"])
        let later = NeedsAttention.setUpItems(records, work, today: day("2026-06-25"), rules: .national)
        #expect(later.filter { $0.kind == .lateSetUpStep }.map { "\($0.cpmsID ?? 0) \($0.urgency)" } == ["1 35", "2 5"])
        #expect(later.first { $0.kind == .overdueAmendment }?.reason == "amendment SA01, received 1 April 2026, was due for assessment by 6 May 2026: 50 days overdue")
    }
}
