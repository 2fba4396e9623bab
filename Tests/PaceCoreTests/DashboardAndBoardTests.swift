import PaceCore
import Testing

struct DashboardAndBoardTests {
    func day(_ text: String) -> Day { Day(iso: text) ?? Day(ordinal: 0) }

    func study(_ cpmsID: Int, _ name: String, route: StudyRoute = .nonCommercial, ctimp: Bool = false, themes: [String] = []) -> Study {
        var study = Study(cpmsID: cpmsID, shortName: name, route: route)
        study.design = .interventional
        study.ctimp = ctimp
        study.themes = themes
        return study
    }

    func record(_ study: Study, role: SiteRole = .recruiting, _ configure: (inout Site) -> Void, history: [(String, Int)] = []) -> SiteRecord {
        var site = Site(cpmsID: study.cpmsID, siteODS: "RT5", role: role)
        configure(&site)
        return SiteRecord(study: study, site: site, history: RecruitmentHistory(history.map { (day($0.0), $0.1) }))
    }

    @Test func dashboardTilesCountEachQuarterAndRankOpenSitesMostBehindFirst() {
        let today = day("2026-11-27")  // 2026-27 Q3, so the tiles cover 2025-26 Q3 … 2026-27 Q2.
        let fast = record(study(1, "FAST"), { site in
            site.dateSiteSelected = day("2026-04-01")  // benchmark 2026-06-10, in 2026-27 Q1
            site.hraApproval = day("2026-04-01")
            site.dateSiteOpen = day("2026-05-01")      // 30 days: open-60 met in Q1
            site.siteTarget = 10
            site.plannedRecruitmentStart = day("2026-05-01")
            site.plannedRecruitmentEnd = day("2027-05-01")
        }, history: [("2026-05-20", 8)])               // first-30 met (19 days)
        let slow = record(study(2, "SLOW"), { site in
            site.dateSiteSelected = day("2026-04-01")
            site.hraApproval = day("2026-01-01")
            site.dateSiteOpen = day("2026-04-15")      // 104 days: open-60 missed in Q1
            site.siteTarget = 100
            site.plannedRecruitmentStart = day("2026-04-15")
            site.plannedRecruitmentEnd = day("2027-04-15")
        }, history: [("2026-08-01", 2)])               // benchmark missed; first-30 missed, in Q2
        let pic = record(study(3, "PIC"), role: .pic, { site in
            site.dateSiteInvited = day("2026-09-01")
            site.dateSiteOpen = day("2026-10-01")
        })
        let waiting = record(study(4, "WAIT"), { site in
            site.dateSiteInvited = day("2026-01-10")
            site.dateSiteSelected = day("2026-02-01")
        })
        let dashboard = PortfolioDashboard(records: [fast, slow, pic, waiting], on: today)
        #expect(dashboard.quarters.map(\.description) == ["2025-26-Q3", "2025-26-Q4", "2026-27-Q1", "2026-27-Q2"])
        let tiles = Dictionary(uniqueKeysWithValues: dashboard.tiles.map { ($0.measure, $0.quarters) })
        #expect(tiles[.open60]?.map(\.eligible) == [0, 0, 2, 0])
        #expect(tiles[.open60]?.map(\.met) == [0, 0, 1, 0])
        #expect(tiles[.first30]?.map(\.eligible) == [0, 0, 1, 1])
        #expect(tiles[.first30]?.last?.percent == 0)
        // WAIT's benchmark (2026-04-12) and both April selections (2026-06-10) fall in Q1; only FAST met it.
        #expect(tiles[.pidInitiating].map { [$0[2].eligible, $0[2].met] } == [3, 1])
        #expect(tiles[.setUp150]?.allSatisfy { $0.eligible == 0 && $0.percent == nil } == true)
        // Only recruiting sites open today, most behind first.
        #expect(dashboard.openSites.map(\.record.study.shortName) == ["SLOW", "FAST"])
        #expect(dashboard.onTrack == (1, 2))
        // Pipeline: WAIT is at "selected" for 299 days; PIC sites are left out; FAST and SLOW have recruited.
        let stages = Dictionary(uniqueKeysWithValues: dashboard.pipeline.map { ($0.stage, $0) })
        #expect(stages[.selected]?.sites == 1)
        #expect(stages[.selected]?.longestWait == 299)
        #expect(stages[.open]?.sites == 0)
        #expect(stages[.firstParticipant]?.sites == 2)
        #expect(stages[.open]?.medianDaysTaken == 19)       // lower middle of 19 and 108
        #expect(stages[.invited]?.medianDaysTaken == 22)
        #expect(dashboard.stuck.map(\.record.study.shortName) == ["WAIT"])
    }

    @Test func aHeadlineIsLitAgainstItsAmbitionAndShowsTheChangeSinceTheQuarterBefore() {
        let rules = MetricRules.national
        // Against 90%: green from 90% (9 of 10 exactly), amber from 72% (0.8 × 90%), red below.
        #expect(AmbitionLight.light(percent: 90, ambition: 0.9, rules: rules) == .green)
        #expect(AmbitionLight.light(percent: 100.0 * 9 / 10, ambition: 0.9, rules: rules) == .green)
        #expect(AmbitionLight.light(percent: 89.9, ambition: 0.9, rules: rules) == .amber)
        #expect(AmbitionLight.light(percent: 72, ambition: 0.9, rules: rules) == .amber)
        #expect(AmbitionLight.light(percent: 71.9, ambition: 0.9, rules: rules) == .red)
        #expect(AmbitionLight.light(percent: nil, ambition: 0.9, rules: rules) == nil)
        // Against the 80% of open studies on track: 2 of 3 (66.7%) is amber (from 64%).
        #expect(AmbitionLight.light(percent: 200.0 / 3, ambition: rules.onTrackAmbition, rules: rules) == .amber)
        #expect(MeasureTrend.Measure.open60.ambition(in: rules) == 0.9)
        #expect(MeasureTrend.Measure.pidInitiating.ambition(in: rules) == 0.8)

        let quarter = FinancialQuarter(containing: day("2026-05-01"))
        let trend = MeasureTrend(measure: .open60, limit: 60, quarters: [
            .init(quarter: quarter.previous, eligible: 4, met: 2), .init(quarter: quarter, eligible: 5, met: 4),
        ])
        #expect(trend.change == 30)  // 50% → 80%
        let empty = MeasureTrend(measure: .open60, limit: 60, quarters: [
            .init(quarter: quarter.previous, eligible: 0, met: 0), .init(quarter: quarter, eligible: 5, met: 4),
        ])
        #expect(empty.change == nil)
    }

    @Test func theBoardReportCoversSixMonthsByMonthThemeAndPartner() {
        let asOf = day("2026-11-27")
        let first = BoardReport.defaultFirstMonth(asOf: asOf)
        #expect(first == day("2026-05-01"))
        let university = Organisation(odsCode: "ULEIC", name: "University of Leicester", type: .university)
        let company = Organisation(odsCode: "CPHARM", name: "Calder Pharma", type: .commercial)
        let academic = record(study(1, "ACAD", themes: ["Data2Health", "Mental Health"]), { site in
            site.dateSiteOpen = day("2026-06-15")
        }, history: [("2026-04-30", 50), ("2026-05-01", 2), ("2026-06-30", 3), ("2026-10-31", 4), ("2026-11-01", 7)])
        let commercial = record(study(2, "COMM", route: .commercial, ctimp: true, themes: ["Mental Health"]), { site in
            site.dateSiteOpen = day("2025-01-01")
            site.siteTarget = 20
        }, history: [("2026-07-15", 5)])
        let closedEarlier = record(study(3, "OLD", route: .commercial), { site in
            site.dateSiteOpen = day("2024-01-01")
            site.closedToRecruitment = day("2025-01-01")
        }, history: [("2024-06-01", 9)])
        let board = BoardReport(
            records: [academic, commercial, closedEarlier],
            partners: [1: [.init(organisation: university, role: .sponsor)], 2: [.init(organisation: company, role: .sponsor), .init(organisation: university, role: .collaborator)]],
            firstMonth: day("2026-05-17"), asOf: asOf
        )
        #expect(board.firstMonth == day("2026-05-01"))
        #expect(board.lastDay == day("2026-10-31"))
        #expect(board.months.map(\.recruited) == [2, 3, 5, 0, 0, 4])
        #expect(board.recruited == 14)
        #expect(board.averageMonthly == 14.0 / 6)
        #expect(board.newSites.map(\.study.shortName) == ["ACAD"])
        #expect(board.byTheme.map { "\($0.name)|\($0.participants)|\($0.studies)" } == ["Mental Health|14|2", "Data2Health|9|1"])
        #expect(board.byPartner.map { "\($0.name)|\($0.detail)|\($0.participants)" }
                == ["University of Leicester|Sponsor|9", "Calder Pharma|Sponsor|5", "University of Leicester|Collaborator / co-applicant|5"])
        #expect(board.commercial.map(\.record.study.shortName) == ["COMM"])
        #expect(board.commercial.first?.recruitedInPeriod == 5)
        #expect(board.openSites.map(\.record.study.shortName).sorted() == ["ACAD", "COMM"])
    }

    @Test func theRecruitmentCurveFollowsMonthEndsAndTheStraightLineTarget() {
        var site = Site(cpmsID: 1, siteODS: "RT5", role: .recruiting)
        site.siteTarget = 120
        site.plannedRecruitmentStart = day("2024-01-01")
        site.plannedRecruitmentEnd = day("2025-01-01")  // 366 days: 2024 is a leap year
        site.dateSiteOpen = day("2024-01-01")
        let history = RecruitmentHistory([(day("2024-01-15"), 5), (day("2024-02-29"), 5), (day("2024-03-01"), 1)])
        let curve = RecruitmentCurve(site: site, history: history, on: day("2024-03-10"))
        #expect(curve.points.map(\.day) == [day("2024-01-31"), day("2024-02-29"), day("2024-03-10")])
        #expect(curve.points.map(\.recruited) == [5, 10, 11])
        #expect(curve.points.first?.expected == 120.0 * (30.0 / 366))
        #expect(curve.points.last?.expected == 120.0 * (69.0 / 366))

        let nothingYet = RecruitmentCurve(site: site, history: .empty, on: day("2023-12-31"))
        #expect(nothingYet.points.isEmpty)

        var other = site
        other.siteTarget = 30
        other.plannedRecruitmentEnd = day("2025-06-01")
        other.closedToRecruitment = day("2025-06-01")
        let (combined, combinedHistory) = RecruitmentCurve.combined([site, other], histories: [history, RecruitmentHistory([(day("2024-01-15"), 2)])])
        #expect(combined.siteTarget == 150)
        #expect(combined.plannedRecruitmentEnd == day("2025-06-01"))
        #expect(combined.closedToRecruitment == nil)  // one site is still open
        #expect(combinedHistory.recruited(through: day("2024-01-31")) == 7)
    }

    @Test func setUpIntervalsAreMetMissedOrWaiting() {
        var site = Site(cpmsID: 1, siteODS: "RT5", role: .recruiting)
        site.dateSiteSelected = day("2026-01-01")
        site.hraApproval = day("2026-01-10")
        site.dateSiteOpen = day("2026-03-20")     // 69 days after approval: missed by 9
        site.regulatorySubmission = day("2025-12-01")
        let today = day("2026-04-05")
        let intervals = SetUpInterval.intervals(site, firstParticipant: nil, pid: true, commercialCTIMP: true, on: today)
        #expect(intervals.map(\.limit) == [70, 60, 30, 150])
        // PID covers interventional studies only: an observational study has no 70-day interval.
        #expect(SetUpInterval.intervals(site, firstParticipant: nil, pid: false, commercialCTIMP: true, on: today).map(\.limit) == [60, 30, 150])
        #expect(intervals.map(\.met) == [false, false, nil, nil])  // selected 94 days ago, none yet; first-30 has 14 days left
        #expect(intervals[1].days == 69)
        #expect(intervals[2].days == 16)
        var pic = site
        pic.role = .pic
        #expect(SetUpInterval.intervals(pic, firstParticipant: nil, pid: true, commercialCTIMP: true, on: today).map(\.limit) == [60])
        // A milestone after the day being viewed has not happened yet.
        #expect(SetUpInterval.intervals(site, firstParticipant: day("2026-04-06"), pid: true, commercialCTIMP: false, on: today)[2].end == nil)
    }
}

extension DashboardAndBoardTests {
    @Test func activityCountsRecruitmentAndNewStudiesByMonth() {
        let months = ActivityReport.months(from: day("2024-01-15"), to: day("2024-03-01"))
        #expect(months == [day("2024-01-01"), day("2024-02-01"), day("2024-03-01")])
        #expect(ActivityReport.month("2024-02") == day("2024-02-01"))
        #expect(ActivityReport.month("2024-02-29") == day("2024-02-01"))
        #expect(ActivityReport.month("2024-13") == nil)
        let report = ActivityReport.report(
            [.init(cpmsID: 1, month: day("2024-01-20"), recruited: 3), .init(cpmsID: 2, month: day("2024-01-01"), recruited: 2),
             .init(cpmsID: 1, month: day("2024-02-01"), recruited: 0), .init(cpmsID: 1, month: day("2024-03-01"), recruited: 4)],
            openings: [(1, day("2023-12-01")), (1, day("2024-02-10")), (2, day("2024-01-05")), (3, day("2024-02-29"))],
            from: day("2024-01-01"), to: day("2024-03-31"), organisation: nil
        )
        #expect(report.rows == [
            [.day(day("2024-01-01")), .integer(5), .integer(2), .integer(1)],
            [.day(day("2024-02-01")), .integer(0), .integer(0), .integer(1)],  // study 1 opened again, but is not new
            [.day(day("2024-03-01")), .integer(4), .integer(1), .integer(0)],
        ])
        #expect(ActivityReport.averageMonthly(report) == 3)
    }
}
