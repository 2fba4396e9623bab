import FluentKit
import PaceCore
import PaceStore
import Testing

@Suite(.serialized)
struct ReportTests {
    /// The database's aggregation must give exactly what PaceCore computes from the same records in memory.
    @Test(arguments: TestDatabases.locations)
    func theSitesReportMatchesTheRulesAppliedToTheRecords(location: DatabaseLocation) async throws {
        let asOf = try #require(Day(iso: "2026-11-27"))
        let portfolio = DemoPortfolio(seed: 9, asOf: asOf, studyCount: 30)
        let expected = SitesReport.report(
            portfolio.siteRecords.map { ($0.site, $0.history) },
            on: asOf.adding(days: -30), organisation: nil,
            studyNames: Dictionary(portfolio.siteRecords.map { ($0.study.cpmsID, $0.study.shortName) }, uniquingKeysWith: { first, _ in first }),
            organisationNames: Dictionary(portfolio.organisations.map { ($0.odsCode, $0.name) }, uniquingKeysWith: { first, _ in first })
        )
        try await TestDatabases.with(location, suite: "report") { database in
            let register = Register(database: database)
            try await register.load(portfolio, by: .commandLine("test"))
            let report = try await register.sitesReport(on: asOf.adding(days: -30), organisation: nil)
            #expect(report == expected)
            #expect(report.rows.contains { $0[7] == .text("red") } && report.rows.contains { $0[7] == .text("green") })
            let records = portfolio.siteRecords.filter { $0.site.siteODS == "RT5" }
            let quarter = FinancialQuarter(containing: asOf).previous
            let initiating = try await register.pidInitiatingReport(quarter: quarter, organisation: "RT5")
            #expect(initiating == PIDReports.initiating(records, quarter: quarter, organisation: "RT5"))
            #expect(!initiating.rows.isEmpty)
            let delivering = try await register.pidDeliveringReport(quarter: quarter, organisation: "RT5")
            #expect(delivering == PIDReports.delivering(records, quarter: quarter, organisation: "RT5"))
            let host = try await register.sitesReport(on: asOf, organisation: "RT5")
            #expect(host.rows.allSatisfy { $0[1] == .text("RT5") })
            #expect(host.rows.count == portfolio.sites.filter { $0.siteODS == "RT5" }.count)
        }
    }
}
