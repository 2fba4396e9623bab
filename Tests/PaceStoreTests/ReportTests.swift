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
            portfolio.sites.sorted { ($0.cpmsID, $0.siteODS) < ($1.cpmsID, $1.siteODS) }.map { site in
                (site, RecruitmentHistory(
                    participants: portfolio.participants.filter { $0.cpmsID == site.cpmsID && $0.siteODS == site.siteODS },
                    counts: portfolio.counts.filter { $0.cpmsID == site.cpmsID && $0.siteODS == site.siteODS }
                ))
            },
            on: asOf.adding(days: -30), organisation: nil
        )
        try await TestDatabases.with(location, suite: "report") { database in
            let register = Register(database: database)
            try await register.load(portfolio)
            let report = try await register.sitesReport(on: asOf.adding(days: -30), organisation: nil)
            #expect(report == expected)
            #expect(report.rows.contains { $0[7] == .text("red") } && report.rows.contains { $0[7] == .text("green") })
            let records = portfolio.sites.filter { $0.siteODS == "RT5" }.sorted { $0.cpmsID < $1.cpmsID }.compactMap { site -> SiteRecord? in
                guard let study = portfolio.studies.first(where: { $0.cpmsID == site.cpmsID }) else { return nil }
                return SiteRecord(study: study, site: site, history: RecruitmentHistory(
                    participants: portfolio.participants.filter { $0.cpmsID == site.cpmsID && $0.siteODS == site.siteODS },
                    counts: portfolio.counts.filter { $0.cpmsID == site.cpmsID && $0.siteODS == site.siteODS }
                ))
            }
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
