import PaceCore
import Testing

struct KPIAndLeagueTableTests {
    func day(_ text: String) -> Day {
        Day(iso: text) ?? Day(ordinal: 0)
    }

    func record(
        cpms: Int, ods: String = "RT5", role: SiteRole = .recruiting, route: StudyRoute = .commercial, ctimp: Bool = true,
        submitted: String? = nil, hra: String? = nil, open: String? = nil, recruited: [(String, Int)] = []
    ) -> SiteRecord {
        var site = Site(cpmsID: cpms, siteODS: ods, role: role)
        site.regulatorySubmission = submitted.map(day)
        site.hraApproval = hra.map(day)
        site.dateSiteOpen = open.map(day)
        return SiteRecord(
            study: Study(cpmsID: cpms, shortName: "S\(cpms)", route: route, ctimp: ctimp),
            site: site, history: RecruitmentHistory(recruited.map { (day($0.0), $0.1) })
        )
    }

    @Test func kpisCountSitesWhoseMeasureEndsInThePeriod() throws {
        let records = [
            // Open 60 days after approval (met); first participant 30 days after opening (met); 148 days from submission (met).
            record(cpms: 1, submitted: "2025-01-01", hra: "2025-02-28", open: "2025-04-29", recruited: [("2025-05-29", 1)]),
            // Open 61 days after approval (missed); first participant 31 days after opening (missed); 151 days (missed).
            record(cpms: 2, submitted: "2024-12-30", hra: "2025-02-27", open: "2025-04-29", recruited: [("2025-05-30", 1)]),
            // Non-commercial: no 150-day measure; opened before the period, first participant 26 days later within it.
            record(cpms: 3, route: .nonCommercial, ctimp: false, hra: "2025-01-01", open: "2025-03-15", recruited: [("2025-04-10", 2)]),
            // A PIC opens but recruits nobody: only the opening counts.
            record(cpms: 4, role: .pic, hra: "2025-04-01", open: "2025-04-20"),
        ]
        let report = KPIReport.report(records, from: day("2025-04-01"), to: day("2025-06-30"))
        #expect(Array(report.rows[0].prefix(5)) == [.text("open-60"), .integer(3), .integer(2), .fraction(Double(2) * 100 / 3), .text("Open within 60 days of HRA approval")])
        #expect(Array(report.rows[1].prefix(5)) == [.text("first-30"), .integer(3), .integer(2), .fraction(Double(2) * 100 / 3), .text("First participant within 30 days of opening")])
        #expect(Array(report.rows[2].prefix(5)) == [.text("kpi-150"), .integer(2), .integer(1), .fraction(50),
                                                   .text("Commercial CTIMPs: first participant within 150 days of regulatory submission")])
        // The figure, the month (the whole period) and DHSC's number for each indicator.
        #expect(report.rows.map { $0[7] } == [3, 4, 1, 5, 6, 7].map(Report.Value.integer))
        #expect(report.rows[0][5] == report.rows[0][3] && report.rows.allSatisfy { $0[6] == .null })
        let empty = KPIReport.report(records, from: day("2024-01-01"), to: day("2024-03-31"))
        #expect(empty.rows.prefix(3).allSatisfy { $0[1] == .integer(0) && $0[3] == .null })
    }

    @Test func aPartMonthCountsAsItsShareOfTheMonth() {
        // 1 April to 2 December 2026: eight whole months and 2 of December's 31 days.
        #expect(KPIReport.monthsCovered(from: day("2026-04-01"), to: day("2026-12-02")) == 8 + 2.0 / 31)
        #expect(KPIReport.monthsCovered(from: day("2026-02-15"), to: day("2026-02-28")) == 14.0 / 28)
        #expect(KPIReport.monthsCovered(from: day("2025-04-01"), to: day("2026-03-31")) == 12)
    }

    @Test func theActivityIndicatorsAndTheMonthByMonthRows() throws {
        func planned(_ cpms: Int, recruited: Int) -> SiteRecord {
            var site = Site(cpmsID: cpms, siteODS: "RT5", role: .recruiting)
            site.dateSiteOpen = day("2025-01-01")
            site.siteTarget = 10
            site.plannedRecruitmentStart = day("2025-01-01")
            site.plannedRecruitmentEnd = day("2025-12-31")
            return SiteRecord(study: Study(cpmsID: cpms, shortName: "P\(cpms)", route: .nonCommercial), site: site,
                              history: RecruitmentHistory([(day("2025-03-01"), recruited)]))
        }
        let records = [
            record(cpms: 1, submitted: "2025-01-01", hra: "2025-02-28", open: "2025-04-29", recruited: [("2025-05-29", 1)]),
            record(cpms: 3, route: .nonCommercial, ctimp: false, hra: "2025-01-01", open: "2025-03-15", recruited: [("2025-04-10", 2)]),
            record(cpms: 4, role: .pic, hra: "2025-04-01", open: "2025-04-20"),
            // On 30 June, 181 of 364 days (49.7%) have passed: 6 of 10 is ahead, 1 of 10 is behind.
            planned(5, recruited: 6), planned(6, recruited: 1),
        ]
        let report = KPIReport.report(records, from: day("2025-04-01"), to: day("2025-06-30"), byMonth: true)
        #expect(report.parameters.map(\.0) == ["from", "to", "by"])
        #expect(report.rows.count == 4 * 6)
        let whole = report.rows.suffix(6)
        let byName = Dictionary(uniqueKeysWithValues: whole.map { ($0[0].csv, $0) })
        // Sites 1, 3, 5 and 6 are open on 30 June; 5 and 6 have a target and plan; 5 is on track.
        #expect(byName["on-track"].map { Array($0[1...3]) } == [.integer(2), .integer(1), .fraction(50)])
        // 3 recruited from April to June (the PIC recruits nobody), over 3 months.
        #expect(byName["average-monthly-recruitment"]?[5] == .fraction(1))
        // Studies 1 and 4 first opened in the period; 3, 5 and 6 opened before it.
        #expect(byName["new-studies"]?[5] == .integer(2))
        let april = report.rows.prefix(6)
        #expect(april.allSatisfy { $0[6] == .day(day("2025-04-01")) })
        #expect(april.first { $0[0] == .text("new-studies") }?[5] == .integer(2))
        #expect(april.first { $0[0] == .text("average-monthly-recruitment") }?[5] == .fraction(2))
        let may = report.rows.dropFirst(6).prefix(6)
        #expect(may.first { $0[0] == .text("first-30") }.map { Array($0[1...2]) } == [.integer(1), .integer(1)])
        // On track is judged on each month's last day.
        #expect(may.first { $0[0] == .text("on-track") }?[6] == .day(day("2025-05-01")))
    }

    @Test func tiesShareARankAndTheNextRankSkips() {
        let organisations = [
            Organisation(odsCode: "RT5", name: "LPT", type: .nhsTrust, subtype: "mental-health"),
            Organisation(odsCode: "RHA", name: "Notts", type: .nhsTrust, subtype: "mental-health"),
            Organisation(odsCode: "RXM", name: "Derbys", type: .nhsTrust, subtype: "mental-health"),
            Organisation(odsCode: "RP1", name: "Northants", type: .nhsTrust, subtype: "mental-health"),
            Organisation(odsCode: "RWE", name: "UHL", type: .nhsTrust, subtype: "acute"),
            Organisation(odsCode: "ULEIC", name: "University", type: .university),
        ]
        let records = [
            record(cpms: 1, ods: "RT5", recruited: [("2025-05-01", 30), ("2026-04-01", 100)]),
            record(cpms: 2, ods: "RT5", recruited: [("2025-06-01", 0)]),
            record(cpms: 1, ods: "RHA", recruited: [("2025-05-01", 20)]),
            record(cpms: 2, ods: "RXM", recruited: [("2025-05-01", 20)]),
            record(cpms: 3, ods: "RXM", recruited: [("2024-05-01", 50)]),
            record(cpms: 1, ods: "RP1", recruited: [("2025-05-01", 5)]),
            record(cpms: 1, ods: "RWE", recruited: [("2025-05-01", 1)]),
        ]
        let report = LeagueTable.report(records, organisations: organisations, year: FinancialYear(startYear: 2025))
        let rows = Dictionary(uniqueKeysWithValues: report.rows.map { row in (row[0], row) })
        #expect(rows[.text("RT5")]?[4] == .integer(30))
        #expect(rows[.text("RT5")]?[6] == .integer(1))
        #expect(rows[.text("RHA")]?[6] == .integer(2))
        #expect(rows[.text("RXM")]?[6] == .integer(2))
        #expect(rows[.text("RP1")]?[6] == .integer(4))
        // Compared only with acute trusts; universities that are no site are not in the table.
        #expect(rows[.text("RWE")]?[6] == .integer(1))
        #expect(rows[.text("ULEIC")] == nil)
        // Recruiting studies count those with someone recruited in the year (RXM's 2024 study does not).
        #expect(rows[.text("RT5")]?[5] == .integer(1))
        #expect(rows[.text("RXM")]?[5] == .integer(1))
        #expect(rows[.text("RT5")]?[7] == .integer(1))
        #expect(report.parameters.first?.1 == "2025-26")
    }
}

struct LeagueStandingTests {
    @Test func theHostIsPlacedAmongItsOwnTypeAndSubtype() throws {
        let year = try #require(FinancialYear("2025-26"))
        let organisations = [
            Organisation(odsCode: "RT5", name: "Host", type: .nhsTrust, subtype: "mental health"),
            Organisation(odsCode: "RX1", name: "Other", type: .nhsTrust, subtype: "mental health"),
            Organisation(odsCode: "RX2", name: "Acute", type: .nhsTrust, subtype: "acute"),
        ]
        let totals = [
            LeagueTable.SiteTotal(odsCode: "RT5", cpmsID: 1, recruited: 5),
            LeagueTable.SiteTotal(odsCode: "RX1", cpmsID: 1, recruited: 9),
            LeagueTable.SiteTotal(odsCode: "RX1", cpmsID: 2, recruited: 1),
            LeagueTable.SiteTotal(odsCode: "RX2", cpmsID: 3, recruited: 50),
        ]
        let report = LeagueTable.report(totals: totals, organisations: organisations, year: year)
        #expect(LeagueTable.standing(of: "RT5", in: report) == "Host ranks 2nd of 2 nhs-trust (mental health) organisations by participants and 2nd by recruiting studies.")
        #expect(LeagueTable.standing(of: "NOPE", in: report) == nil)
        #expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(LeagueTable.ordinal) == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"])
    }
}
