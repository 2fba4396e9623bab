import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting

@Suite(.serialized)
struct PageTests {
    @Test(arguments: WebTestDatabases.locations)
    func everyPageAnswersWithItsContent(location: DatabaseLocation) async throws {
        try await withPace(location) { app, portfolio in
            let site = try #require(portfolio.recruitingHostSite)
            let study = try #require(portfolio.studies.first { $0.cpmsID == site.cpmsID })
            let pages: [(String, String)] = [
                ("/", "Research portfolio"),
                ("/studies", "Studies"),
                ("/studies?phase=open&route=commercial&design=interventional&role=recruiting&page=1", "studies found"),
                ("/studies?q=\(formEncoded(study.shortName))", study.shortName),
                ("/studies?theme=Data2Health", "studies found"),
                ("/studies?partner=ULEIC", "studies found"),
                ("/studies/new", "Add a study"),
                (Paths.study(study.cpmsID), study.shortName),
                (Paths.editStudy(study.cpmsID), "Edit study \(study.cpmsID)"),
                (Paths.newSite(study.cpmsID), "Add a site to"),
                (Paths.site(site.cpmsID, site.siteODS), "Recruitment against target"),
                (Paths.editSite(site.cpmsID, site.siteODS), "Save milestones"),
                ("/organisations", "Leicestershire Partnership NHS Trust"),
                ("/organisations/new", "Add an organisation"),
                ("/organisations/RT5", "Studies and roles"),
                ("/import", "Import CSV files"),
                ("/reports/sites", "Sites: recruitment and set-up"),
                ("/reports/sites?on=2026-01-31&organisation=RT5", "As of 31 January 2026, Leicestershire Partnership NHS Trust: "),
                ("/api/v1/reports/sites?on=2026-01-31", "\"report\":\"sites\""),
                ("/api/v1/reports/sites?format=csv", "cpms_id,site_ods,role,recruited_to_date"),
                ("/reports/pid-initiating", "PID initiating"),
                ("/reports/pid-initiating?quarter=2025-26-Q4&organisation=RT5", "Q4 2025–26 return: "),
                ("/reports/pid-delivering?quarter=2025-26-Q4", "PID delivering"),
                ("/api/v1/reports/pid-initiating?quarter=2025-26-Q4&format=csv", "cpms_id,iras_id,short_name,date_site_selected,benchmark_date"),
                ("/api/v1/reports/pid-delivering?quarter=2025-26-Q4", "\"report\":\"pid-delivering\""),
                ("/reports/kpis", "UK clinical research delivery KPIs"),
                ("/reports/kpis?from=2025-04-01&to=2026-03-31&organisation=RT5", "Open within 60 days of HRA approval: "),
                ("/api/v1/reports/kpis?from=2025-04-01&to=2026-03-31&format=csv", "kpi,eligible,met,percent"),
                ("/reports/league-table?year=2025-26", "class=\"highlight\""),
                ("/api/v1/reports/league-table?year=2025-26", "\"rank_participants\""),
                ("/assets/pace.css", "@media print"),
                ("/health", "\"database\":\"ok\""),
                ("/api/v1/openapi.json", "\"openapi\":\"3.1.0\""),
            ]
            for (path, expected) in pages {
                let response = try await app.get(path)
                #expect(response.status == .ok, "\(path)")
                #expect(response.text.contains(expected), "\(path) should contain \(expected)")
            }
        }
    }

    @Test func missingThingsAreA404PageOrJSON() async throws {
        try await withPace { app, _ in
            for path in ["/studies/999999", "/studies/abc", "/studies/0/edit", "/organisations/NOPE1", "/nowhere", "/studies/40000/sites/ZZZ9"] {
                let response = try await app.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers.contentType == .html, "\(path)")
                #expect(response.text.contains("<h1>Page not found</h1>"), "\(path)")
            }
            let api = try await app.get("/api/v1/studies/999999")
            #expect(api.status == .notFound)
            #expect(try api.json()["error"] == .string("There is no study with CPMS ID 999999."))
        }
    }

    @Test func theSitesReportPageAndAPIShowTheSameNumbers() async throws {
        try await withPace { app, _ in
            let report = try await Register(database: app.db).sitesReport(on: Day(iso: "2026-06-30") ?? Day.today(), organisation: "RT5")
            let api = try await app.get("/api/v1/reports/sites?on=2026-06-30&organisation=RT5").json()
            #expect(api["rows"] == report.json(generatedAt: "").serialized.data(using: .utf8).flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) }?["rows"])
            let csv = try await app.get("/api/v1/reports/sites?on=2026-06-30&organisation=RT5&format=csv")
            #expect(csv.text == report.csv)
            #expect(csv.headers.first(name: "Content-Disposition")?.contains("sites-2026-06-30-RT5.csv") == true)
            let page = try await app.get("/reports/sites?on=2026-06-30&organisation=RT5").text
            for light in TrafficLight.allCases {
                let count = report.rows.filter { $0[7] == .text(light.rawValue) }.count
                #expect(page.components(separatedBy: "class=\"light \(light.rawValue)\"").count - 1 == count, "\(light)")
            }
            #expect(page.contains("\(report.rows.count) sites"))
            let quarter = FinancialQuarter(containing: Day.today()).previous
            let initiating = try await Register(database: app.db).pidInitiatingReport(quarter: quarter, organisation: "RT5")
            let pidCSV = try await app.get("/api/v1/reports/pid-initiating?quarter=\(quarter)&format=csv")
            #expect(pidCSV.text == initiating.csv)
            #expect(try await app.get("/api/v1/reports/pid-initiating?format=csv").text == initiating.csv)
            let published = try await app.get("/reports/pid-initiating/return.csv?quarter=\(quarter)&organisation=RT5")
            #expect(published.text == (try await Register(database: app.db).publishedPIDInitiating(quarter: quarter, organisation: "RT5")))
            #expect(published.text.hasPrefix("\u{FEFF}Research Ethics Committee reference"))
            #expect(published.headers.first(name: "Content-Disposition")?.contains("pid-initiating-return-RT5-\(quarter).csv") == true)
            #expect(try await app.get("/reports/pid-delivering/return.csv").text.hasPrefix("\u{FEFF}IRAS number,Name of trial"))
            #expect(try await app.get("/reports/pid-initiating").text.contains("Download the return for a spreadsheet"))
            let year = FinancialYear(startYear: FinancialYear(containing: Day.today()).startYear - 1)
            let league = try await Register(database: app.db).leagueTable(year: year)
            #expect(try await app.get("/api/v1/reports/league-table?format=csv").text == league.csv)
            let kpis = try await Register(database: app.db).kpiReport(from: year.firstDay, to: year.lastDay, organisation: "RT5")
            #expect(try await app.get("/api/v1/reports/kpis?from=\(year.firstDay)&to=\(year.lastDay)&organisation=RT5&format=csv").text == kpis.csv)
            for bad in ["/reports/sites?on=2026-02-30", "/api/v1/reports/sites?organisation=no%20way", "/api/v1/reports/sites?format=xml",
                        "/api/v1/reports/pid-initiating?quarter=2025-Q4", "/reports/pid-delivering?quarter=2025-26-Q5",
                        "/api/v1/reports/kpis?from=2026-01-01&to=2025-01-01", "/reports/kpis?from=yesterday", "/api/v1/reports/league-table?year=2025-27"] {
                #expect(try await app.get(bad).status == .badRequest, "\(bad)")
            }
        }
    }

    @Test func everyResponseCarriesSecurityHeaders() async throws {
        try await withPace { app, _ in
            for path in ["/", "/nowhere", "/api/v1/studies", "/assets/pace.css"] {
                let response = try await app.get(path)
                #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(path)")
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
            }
            #expect(try await app.get("/studies").headers.first(name: .cacheControl) == "no-store")
        }
    }

    @Test func theStudyListFiltersSearchesAndPages() async throws {
        try await withPace { app, portfolio in
            let commercial = portfolio.studies.filter { $0.route == .commercial }
            let page = try await app.get("/api/v1/studies?route=commercial&per_page=200")
            #expect(try page.json()["total"] == .integer(commercial.count))
            let paged = try await app.get("/api/v1/studies?per_page=5&page=2")
            guard case .array(let items) = try paged.json()["studies"] else { Issue.record("no studies array"); return }
            #expect(items.count == 5)
            #expect(try paged.json()["total"] == .integer(portfolio.studies.count))
            let html = try await app.get("/studies?per_page=5")
            #expect(html.text.contains("Page 1 of \((portfolio.studies.count + 4) / 5)"))
            // Search is literal: wildcards typed by a user match nothing extra.
            #expect(try await app.get("/api/v1/studies?q=%25").json()["total"] == .integer(0))
            let pic = try await app.get("/api/v1/studies?role=pic&per_page=200").json()
            let hostPIC = portfolio.sites.filter { $0.siteODS == "RT5" && $0.role == .pic }.count
            #expect(pic["total"] == .integer(hostPIC))
        }
    }
}
