import PaceCore
import Testing

struct PIDReportsTests {
    func day(_ text: String) -> Day {
        Day(iso: text) ?? Day(ordinal: 0)
    }

    func record(
        cpms: Int, design: StudyDesign = .interventional, route: StudyRoute = .commercial, role: SiteRole = .recruiting,
        selected: String? = nil, first: String? = nil, closed: String? = nil, plannedEnd: String? = nil, target: Int? = nil,
        recruited: [(String, Int)] = []
    ) -> SiteRecord {
        let study = Study(cpmsID: cpms, irasID: "3\(cpms)", shortName: "S\(cpms)", route: route, design: design)
        var site = Site(cpmsID: cpms, siteODS: "RT5", role: role)
        site.dateSiteSelected = selected.map(day)
        site.firstParticipantRecruited = first.map(day)
        site.closedToRecruitment = closed.map(day)
        site.plannedRecruitmentEnd = plannedEnd.map(day)
        site.siteTarget = target
        site.delayReason = "D – Sponsor delays"
        site.delayAttribution = .sponsor
        return SiteRecord(study: study, site: site, history: RecruitmentHistory(recruited.map { (day($0.0), $0.1) }))
    }

    var q4: FinancialQuarter { FinancialQuarter("2025-26-Q4") ?? FinancialQuarter(containing: Day(ordinal: 0)) }

    @Test func theWindowIsTheTwelveMonthsEndingWithTheQuarter() {
        #expect(PIDReports.window(endingWith: q4) == day("2025-04-01")...day("2026-03-31"))
        let q1 = FinancialQuarter("2025-26-Q1") ?? q4
        #expect(PIDReports.window(endingWith: q1) == day("2024-07-01")...day("2025-06-30"))
    }

    @Test func initiatingListsBenchmarksInTheWindowAndJudgesThe70Days() {
        let records = [
            // Benchmark 2025-04-01: first day of the window; first participant on the benchmark day is met.
            record(cpms: 1, selected: "2025-01-21", first: "2025-04-01"),
            // Benchmark 2025-03-31: the day before the window.
            record(cpms: 2, selected: "2025-01-20", first: "2025-02-01"),
            // One day late.
            record(cpms: 3, selected: "2025-06-01", first: "2025-08-11"),
            // Nobody recruited yet: not met.
            record(cpms: 4, selected: "2026-01-01"),
            // PIC sites and observational studies are not in the return.
            record(cpms: 5, role: .pic, selected: "2025-06-01"),
            record(cpms: 6, design: .observational, selected: "2025-06-01"),
            // Recorded recruitment wins over the date on the site record.
            record(cpms: 7, selected: "2025-06-01", first: "2025-09-30", recruited: [("2025-07-01", 1)]),
        ]
        let report = PIDReports.initiating(records, quarter: q4, organisation: "RT5")
        let rows = Dictionary(uniqueKeysWithValues: report.rows.map { row in (row[0], row) })
        #expect(Set(rows.keys) == [.integer(1), .integer(3), .integer(4), .integer(7)])
        #expect(rows[.integer(1)]?[4] == .day(day("2025-04-01")))
        #expect(rows[.integer(1)]?[6] == .boolean(true))
        #expect(rows[.integer(3)]?[6] == .boolean(false))
        #expect(rows[.integer(4)]?[5] == .null)
        #expect(rows[.integer(4)]?[6] == .boolean(false))
        #expect(rows[.integer(7)]?[5] == .day(day("2025-07-01")))
        #expect(rows[.integer(7)]?[6] == .boolean(true))
        #expect(rows[.integer(3)]?[7] == .text("D – Sponsor delays"))
        #expect(rows[.integer(3)]?[8] == .text("sponsor"))
        var longer = MetricRules.national
        longer.pidInitiatingDays = 71
        let lenient = PIDReports.initiating([records[2]], quarter: q4, organisation: "RT5", rules: longer)
        #expect(lenient.rows.first?[6] == .boolean(true))
    }

    @Test func deliveringJudgesRecruitmentByThePlannedEnd() {
        let records = [
            record(cpms: 1, closed: "2025-12-01", plannedEnd: "2025-11-30", target: 10, recruited: [("2025-06-01", 6), ("2025-11-30", 4), ("2025-12-01", 3)]),
            record(cpms: 2, closed: "2025-12-01", plannedEnd: "2025-11-30", target: 10, recruited: [("2025-06-01", 6), ("2025-12-01", 4)]),
            record(cpms: 3, route: .nonCommercial, closed: "2025-12-01", plannedEnd: "2025-11-30", target: 10),
            record(cpms: 4, closed: "2025-03-31", plannedEnd: "2025-03-31", target: 10),
            record(cpms: 5, closed: "2026-03-31", target: 10),
        ]
        let report = PIDReports.delivering(records, quarter: q4, organisation: "RT5")
        #expect(report.rows.map { $0[0] } == [.integer(1), .integer(2), .integer(5)])
        #expect(report.rows[0][4] == .integer(10))
        #expect(report.rows[0][5] == .boolean(true))
        #expect(report.rows[1][4] == .integer(6))
        #expect(report.rows[1][5] == .boolean(false))
        // Without a planned end there is nothing to judge.
        #expect(report.rows[2][5] == .null)
    }
}

struct PublishedPIDReturnTests {
    func day(_ text: String) -> Day {
        Day(iso: text) ?? Day(ordinal: 0)
    }

    @Test func theInitiatingReturnReadsAsTrustsPublishIt() throws {
        var site = Site(cpmsID: 1, siteODS: "RT5", role: .recruiting)
        site.dateSiteSelected = day("2025-06-01")
        site.dateSiteOpen = day("2025-07-01")
        site.delayReason = "A – Permissions delayed/denied"
        site.delayAttribution = .provider
        site.nonConfirmationStatus = "=HYPERLINK(\"http://example.invalid\")"
        let study = Study(cpmsID: 1, irasID: "301234", shortName: "CALM", title: "A trial, with a comma", route: .commercial, design: .interventional)
        let record = SiteRecord(study: study, site: site, history: RecruitmentHistory([(day("2025-08-11"), 1)]))
        let quarter = try #require(FinancialQuarter("2025-26-Q4"))
        let text = PublishedPIDReturn.initiating([record], quarter: quarter)
        #expect(text.hasPrefix("\u{FEFF}Research Ethics Committee reference,IRAS number,Name of trial,"))
        var reader = CSVReader(text: text)
        _ = try reader.next()
        let row = try #require(try reader.next()).fields
        #expect(row.count == PublishedPIDReturn.initiatingColumns.count)
        #expect(row[2] == "A trial, with a comma")
        #expect(row[8] == "'=HYPERLINK(\"http://example.invalid\")")
        #expect(row[10] == "2025-08-11")
        #expect(row[11] == "No")
        #expect(row[12] == "A – Permissions delayed/denied")
        #expect(row[13] == "NHS provider")
    }

    @Test func theDeliveringReturnSaysWhetherTheTargetWasMet() throws {
        var site = Site(cpmsID: 2, siteODS: "RT5", role: .recruiting)
        site.closedToRecruitment = day("2025-12-01")
        site.plannedRecruitmentEnd = day("2025-11-30")
        site.siteTarget = 10
        let study = Study(cpmsID: 2, irasID: "309999", shortName: "BRIDGE", route: .commercial, status: .closedInFollowUp)
        let record = SiteRecord(study: study, site: site, history: RecruitmentHistory([(day("2025-10-01"), 12)]))
        let text = PublishedPIDReturn.delivering([record], quarter: try #require(FinancialQuarter("2025-26-Q4")))
        #expect(text.contains("309999,BRIDGE,10,2025-11-30,12,Yes,Closed to Recruitment – In Follow Up\r\n"))
    }
}
