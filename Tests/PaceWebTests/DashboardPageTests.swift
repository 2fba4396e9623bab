import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting

@Suite(.serialized)
struct DashboardPageTests {
    /// Every chart is an image with a title and a text alternative, and has a table beside it.
    func expectAccessibleCharts(_ html: String, atLeast count: Int) {
        let charts = html.components(separatedBy: "<svg class=\"chart ").count - 1
        #expect(charts >= count)
        #expect(html.components(separatedBy: "role=\"img\" aria-labelledby=").count - 1 == charts)
        #expect(html.components(separatedBy: "<desc id=").count - 1 == charts)
        #expect(html.components(separatedBy: "<figure class=\"chart-figure").count - 1 == charts)
        // The one script is Pace's own file (the phone menu); nothing runs inline.
        #expect(html.components(separatedBy: "<script").count - 1 == html.components(separatedBy: "<script src=\"/assets/pace.js\" defer=\"defer\"></script>").count - 1)
    }

    @Test func theDashboardShowsTheSameNumbersAsTheKPIReport() async throws {
        try await withPace { app, _ in
            let page = try await app.get("/dashboard")
            #expect(page.status == .ok)
            let html = page.text
            expectAccessibleCharts(html, atLeast: 6)
            #expect(html.contains("Open studies ranked by recruitment to time and target"))
            #expect(html.contains("Set-up pipeline"))

            let register = Register(database: app.db)
            let dashboard = PortfolioDashboard(records: try await register.siteRecords(.organisation("RT5")), on: Day.today())
            let quarter = dashboard.quarters[3]
            let kpis = try await register.kpiReport(from: quarter.firstDay, to: quarter.lastDay, organisation: "RT5")
            for tile in dashboard.tiles where tile.measure != .pidInitiating {
                let row = try #require(kpis.rows.first { $0.first == .text(tile.measure.rawValue) })
                #expect(row[1] == .integer(tile.quarters[3].eligible))
                #expect(row[2] == .integer(tile.quarters[3].met))
                let eligible = tile.quarters[3].eligible
                #expect(html.contains("\(tile.quarters[3].met) of \(eligible) \(eligible == 1 ? "study" : "studies") due in \(quarter.longText)."))
            }
            // Each open site's light is written as a word, not shown by colour alone.
            for site in dashboard.openSites {
                if let light = site.measures.trafficLight {
                    #expect(html.contains("<span class=\"light \(light.rawValue)\">\(light.rawValue)</span>"))
                }
            }
        }
    }

    /// The dashboard is kept between requests until the audit trail moves: a participant recorded at
    /// one of the host's open sites shows on the next request, not after some expiry.
    @Test func theKeptDashboardChangesAsSoonAsTheDataDoes() async throws {
        try await withPace { app, _ in
            let first = try await app.get("/dashboard").text
            let unchanged = try await app.get("/dashboard").text == first
            #expect(unchanged)
            let register = Register(database: app.db)
            let dashboard = PortfolioDashboard(records: try await register.siteRecords(.organisation("RT5")), on: Day.today())
            let site = try #require(dashboard.openSites.first)
            let recorded = try await app.sendJSON(.POST, "/api/v1/studies/\(site.record.site.cpmsID)/sites/RT5/participants",
                                                  #"{"participant_id": "KEPT-1", "status": "recruited", "consent_date": "\#(Day.today().iso)"}"#)
            #expect(recorded.status == .created)
            let changed = try await app.get("/dashboard").text != first
            #expect(changed, "the dashboard still showed the figures from before the participant was recorded")
        }
    }

    @Test func studyAndSitePagesChartRecruitmentAndSetUp() async throws {
        try await withPace { app, portfolio in
            let register = Register(database: app.db)
            let open = try #require(try await register.siteRecords(.organisation("RT5")).first { record in
                SiteMeasures(site: record.site, history: record.history, on: Day.today()).forecastTargetDate != nil
            })
            let sitePage = try await app.get("/studies/\(open.site.cpmsID)/sites/RT5")
            #expect(sitePage.status == .ok)
            expectAccessibleCharts(sitePage.text, atLeast: 2)
            let measures = SiteMeasures(site: open.site, history: open.history, on: Day.today())
            #expect(sitePage.text.contains("the target is reached on \(measures.forecastTargetDate?.longText ?? "?")"))
            #expect(sitePage.text.contains("Set-up against the national targets"))

            let study = try #require(portfolio.studies.first)
            let studyPage = try await app.get("/studies/\(study.cpmsID)")
            #expect(studyPage.status == .ok)
            #expect(studyPage.text.contains("Time and target"))
        }
    }

    @Test func theBoardReportCoversTheChosenSixMonths() async throws {
        try await withPace { app, _ in
            let page = try await app.get("/reports/board?from=2026-04")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("1 April 2026 to 30 September 2026"))
            #expect(html.contains("data as of"))
            expectAccessibleCharts(html, atLeast: 1)
            let board = try await Register(database: app.db).boardReport(organisation: "RT5", firstMonth: Day(iso: "2026-04-01") ?? Day.today(), asOf: Day.today())
            #expect(html.contains("<th>Total</th><td class=\"number\"><strong>\(board.recruited)</strong></td>"))
            for theme in board.byTheme.prefix(3) {
                #expect(html.contains(theme.name.replacingOccurrences(of: "&", with: "&amp;")))
            }
            #expect(try await app.get("/reports/board?from=April").status == .badRequest)
            #expect(try await app.get("/reports/board").status == .ok)
        }
    }
}

/// The dashboard's kept content is put into the reader's page once, where Plot drew it before: the
/// page is byte for byte what drawing it whole gives, and an error summary still marks the title.
@Test func keptContentIsSplicedIntoThePageExactlyOnce() {
    let content = #"<h1>How we are doing</h1><p class="lede">Zoë &amp; co</p>"#
    let marker = DashboardPage.contentMarker
    let whole = DashboardPage.render(content: content, hostName: "Leicestershire <Trust>").render()
    let drawnWhole = { DashboardPage.render(content: content, hostName: "Leicestershire <Trust>") }
    let spliced = DashboardPage.render(content: marker, hostName: "Leicestershire <Trust>").response(splicing: content, at: marker, orWhole: drawnWhole)
    #expect(spliced.body.string == whole)
    #expect(!whole.contains(marker))
    // A page that lost its marker is drawn whole rather than served without its content.
    let unmarked = DashboardPage.render(content: "", hostName: "Leicestershire <Trust>").response(splicing: content, at: marker, orWhole: drawnWhole)
    #expect(unmarked.body.string == whole)
    let summary = #"<div class="error-summary">x</div>"#
    let refused = DashboardPage.render(content: marker, hostName: "T").response(splicing: summary, at: marker) { DashboardPage.render(content: summary, hostName: "T") }
    #expect(refused.body.string?.contains("<title>Error: Dashboard") == true)
}
