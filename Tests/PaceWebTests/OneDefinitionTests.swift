import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting
import SQLKit

/// The same question gets the same answer on every page, the API and the CSV files (issue 12): what
/// needs attention, which studies a measure covers, and whether a count is of studies or of sites.
struct OneDefinitionTests {
    @Test func everyPageAnswersEachQuestionTheSameWay() async throws {
        try await withPace { app, portfolio in
            let register = Register(database: app.db)
            let today = Day.today()
            // The issue's case: a study withdrawn during set-up whose host site was selected two years ago.
            let withdrawn = try await app.sendJSON(.POST, "/api/v1/studies", #"{"cpms_id": 77090, "short_name": "GONE", "route": "non-commercial", "design": "interventional", "status": "Withdrawn During Setup"}"#)
            #expect(withdrawn.status == .created, "\(withdrawn.text)")
            let selected = today.adding(days: -730).iso
            #expect(try await app.sendJSON(.POST, "/api/v1/studies/77090/sites", #"{"site_ods": "RT5", "role": "recruiting", "date_site_selected": "\#(selected)"}"#).status == .created)
            let records = try await register.siteRecords(.organisation("RT5"))
            let ended = Set(records.filter { $0.studyEnded(on: today) }.map(\.study.cpmsID))
            let observational = Set(records.filter { $0.study.design != .interventional }.map(\.study.cpmsID))
            #expect(!ended.isEmpty, "the demo has closed and withdrawn studies to test against")
            #expect(ended.contains(77090))

            // What needs attention: the portfolio's list is the Needs attention page's site items, and
            // neither waits on a closed or withdrawn study.
            let home = try await register.portfolio(hostODS: "RT5", today: today).attention
            let page = NeedsAttention.siteItems(records, today: today, rules: try await register.metricRules())
            #expect(Set(home.map { "\($0.cpmsID)/\($0.siteODS)" }) == Set(page.compactMap { item in item.cpmsID.map { "\($0)/\(item.siteODS ?? "")" } }))
            #expect(home.allSatisfy { !ended.contains($0.cpmsID) }, "a closed or withdrawn study never needs attention")
            // PID covers clinical trials: no observational study is ever late against it.
            #expect(page.allSatisfy { !($0.reason.contains("PID") && observational.contains($0.cpmsID ?? 0)) })
            let api = try await app.get("/api/v1/attention").text
            for item in home { #expect(api.contains("\"cpms_id\":\(item.cpmsID)"), "the API lists \(item.cpmsID) too") }
            let attentionPage = try await app.get(Paths.attention).text
            for item in home { #expect(attentionPage.contains(Paths.site(item.cpmsID, item.siteODS)), "the page lists \(item.cpmsID)/\(item.siteODS) too") }

            // The dashboard's waiting list and open sites leave ended studies out too.
            let dashboard = PortfolioDashboard(records: records, on: today)
            #expect(dashboard.stuck.allSatisfy { !ended.contains($0.record.study.cpmsID) })
            #expect(dashboard.openSites.allSatisfy { !ended.contains($0.record.study.cpmsID) })

            // Open sites on track is a count of sites, the same on the dashboard and the board report
            // judged on the same day.
            let board = try await register.boardReport(organisation: "RT5", firstMonth: BoardReport.defaultFirstMonth(asOf: today), asOf: today)
            let sameDay = PortfolioDashboard(records: records, on: board.lastDay)
            #expect(RankedSite.onTrack(board.openSites) == sameDay.onTrack)
            let boardPage = try await app.get("/reports/board").text
            let onTrack = RankedSite.onTrack(board.openSites)
            #expect(boardPage.contains("Open studies on track"))
            if onTrack.of > 0 { #expect(boardPage.contains("\(onTrack.count) of \(onTrack.of) studies")) }
            let dashboardPage = try await app.get("/dashboard").text
            #expect(dashboardPage.contains("\(dashboard.onTrack.count) of \(dashboard.onTrack.of) open \(dashboard.onTrack.of == 1 ? "study" : "studies")"))

            // The KPI report (API and CSV) counts what the dashboard's tiles count, quarter by quarter.
            for quarter in dashboard.quarters {
                let counts = KPIReport.counts(records, from: quarter.firstDay, to: quarter.lastDay)
                for tile in dashboard.tiles {
                    guard let kpi = tile.measure.kpi, let row = tile.quarters.first(where: { $0.quarter == quarter }) else { continue }
                    #expect(counts[kpi]?.eligible == row.eligible && counts[kpi]?.met == row.met, "\(kpi) in \(quarter)")
                }
                let csv = try await app.get("/api/v1/reports/kpis?from=\(quarter.firstDay.iso)&to=\(quarter.lastDay.iso)&organisation=RT5&format=csv").text
                for kpi in KPIReport.KPI.allCases {
                    let (eligible, met) = counts[kpi] ?? (0, 0)
                    #expect(csv.contains("\(kpi.rawValue),\(eligible),\(met)"), "\(kpi) in \(quarter): \(csv)")
                }
            }
        }
    }
}

/// Data stored before the checks (written here straight into the database, as an old import did)
/// is listed on the data-quality page with a link to fix it, and never counted as a target met.
@Test func dataFromBeforeTheChecksIsShownForTheOfficeToFix() async throws {
    try await withPace { app, portfolio in
        let site = try #require(portfolio.recruitingHostSite)
        let sql = try #require(app.db as? any SQLDatabase)
        try await sql.raw("""
            UPDATE sites SET hra_approval = '2025-11-10', date_site_open = '2025-10-01'
            WHERE study_id = (SELECT id FROM studies WHERE cpms_id = \(bind: site.cpmsID)) AND organisation_id = (SELECT id FROM organisations WHERE ods_code = 'RT5')
            """).run()
        let page = try await app.get(Paths.dataQuality)
        #expect(page.status == .ok)
        #expect(page.text.contains("Set-up dates out of order"))
        #expect(page.text.contains("The date the site opened, 1 October 2025, is before HRA approval, 10 November 2025."))
        #expect(page.text.contains(Paths.editSite(site.cpmsID, "RT5")))
        let records = try await Register(database: app.db).siteRecords(.organisation("RT5"))
        let kpis = KPIReport.counts(records, from: Day(iso: "2025-10-01") ?? Day.today(), to: Day(iso: "2025-10-01") ?? Day.today())
        #expect(kpis[.open60]?.met == 0, "opening 40 days before approval is not within 60 days")
        // The viewer sees the list too, linked to the site rather than to a form they cannot use.
        let viewer = try await app.client(as: .viewer).get(Paths.dataQuality).text
        #expect(viewer.contains(Paths.site(site.cpmsID, "RT5")) && !viewer.contains(Paths.editSite(site.cpmsID, "RT5")))
    }
}
