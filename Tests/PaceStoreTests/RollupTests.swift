import FluentKit
import PaceCore
import PaceStore
import SQLKit
import Testing

@Suite(.serialized)
struct RollupTests {
    /// Reports read from the roll-ups must equal the rules applied to every record, on any day: month
    /// ends and starts, mid-month, a leap day, before anyone was recruited and after everyone was.
    @Test(arguments: TestDatabases.locations)
    func reportsFromTheRollupsEqualTheRulesOnEveryKindOfDay(location: DatabaseLocation) async throws {
        let asOf = try #require(Day(iso: "2026-11-27"))
        let portfolio = DemoPortfolio(seed: 21, asOf: asOf, studyCount: 40)
        let records = portfolio.siteRecords
        try await TestDatabases.with(location, suite: "rollups") { database in
            let register = Register(database: database)
            try await register.load(portfolio, by: .commandLine("test"))
            let organisations = try await register.organisationChoices()
            for text in ["2026-11-27", "2026-10-31", "2026-11-01", "2026-08-15", "2024-02-29", "2021-01-01", "2030-06-30"] {
                let day = try #require(Day(iso: text))
                let sites = try await register.sitesReport(on: day, organisation: nil)
                #expect(sites == SitesReport.report(records.map { ($0.site, $0.history) }, on: day, organisation: nil,
                                                    studyNames: Dictionary(records.map { ($0.study.cpmsID, $0.study.shortName) }, uniquingKeysWith: { first, _ in first }),
                                                    organisationNames: Dictionary(organisations.map { ($0.odsCode, $0.name) }, uniquingKeysWith: { first, _ in first })),
                        "sites report on \(text)")
                let kpis = try await register.kpiReport(from: day.adding(days: -400), to: day, organisation: nil)
                #expect(kpis == KPIReport.report(records, from: day.adding(days: -400), to: day), "KPIs to \(text)")
                let monthly = try await register.kpiReport(from: day.adding(days: -100), to: day, organisation: nil, byMonth: true)
                #expect(monthly == KPIReport.report(records, from: day.adding(days: -100), to: day, byMonth: true), "KPIs by month to \(text)")
            }
            for year in ["2023-24", "2024-25", "2025-26", "2026-27"] {
                let financialYear = try #require(FinancialYear(year))
                #expect(try await register.leagueTable(year: financialYear) == LeagueTable.report(records, organisations: organisations, year: financialYear))
            }
            let dashboardDay = asOf
            let snapshots = try await register.siteSnapshots(.organisation("RT5"), on: dashboardDay, windowDays: 90)
            let exact = records.filter { $0.site.siteODS == "RT5" }
            let fromSnapshots = PortfolioDashboard(records: snapshots, on: dashboardDay)
            let fromRecords = PortfolioDashboard(records: exact, on: dashboardDay)
            #expect(fromSnapshots.tiles.map(\.quarters) == fromRecords.tiles.map(\.quarters))
            #expect(fromSnapshots.openSites.map(\.measures) == fromRecords.openSites.map(\.measures))
            #expect(fromSnapshots.pipeline.map(\.sites) == fromRecords.pipeline.map(\.sites))
        }
    }

    /// Every way recruitment is written keeps the roll-ups equal to a rebuild from the rows.
    @Test(arguments: TestDatabases.locations)
    func writesKeepTheRollupsCurrent(location: DatabaseLocation) async throws {
        let asOf = try #require(Day(iso: "2026-11-27"))
        let portfolio = DemoPortfolio(seed: 22, asOf: asOf, studyCount: 20)
        try await TestDatabases.with(location, suite: "rollups_writes") { database in
            let register = Register(database: database)
            try await register.load(portfolio, by: .commandLine("test"))
            try await expectRollupsMatchTheRows(database)

            // A file that changes only statuses: the recruitment day is recomputed from stored dates.
            let changed = portfolio.participants.filter { $0.status == .recruited }.prefix(30)
            var csv = "cpms_id,site_ods,participant_id,status\n"
            for participant in changed { csv += "\(participant.cpmsID),\(participant.siteODS),\(participant.participantID),failed-screening\n" }
            _ = try await Importer(database: database).importFile(.participants, named: "statuses.csv", reader: CSVReader(text: csv), sha256: { "test" }, by: .commandLine("test"))
            try await expectRollupsMatchTheRows(database)
            let site = try #require(changed.first)
            let detail = try #require(try await register.site(cpmsID: site.cpmsID, odsCode: site.siteODS))
            #expect(detail.participants.contains { $0.participantID == site.participantID && $0.status == .failedScreening })

            // A participant recorded from a form, and a count from the API's path.
            var added = Participant(cpmsID: site.cpmsID, siteODS: site.siteODS, participantID: "ROLLUP-NEW-1", status: .recruited)
            added.consentDate = asOf
            try await register.save(added, .create, by: .commandLine("test"))
            // The day after a closed count site's last period: a count site takes counts only.
            let lastPeriods = Dictionary(portfolio.counts.map { ("\($0.cpmsID)/\($0.siteODS)", $0) }) { $0.periodEnd < $1.periodEnd ? $1 : $0 }
            let countSite = try #require(lastPeriods.values.sorted { $0.periodEnd < $1.periodEnd }.first)
            let next = countSite.periodEnd.adding(days: 1)
            try #require(next < asOf)
            try await register.save(RecruitmentCount(cpmsID: countSite.cpmsID, siteODS: countSite.siteODS, periodStart: next, periodEnd: next, count: 4), .create, by: .commandLine("test"))
            try await expectRollupsMatchTheRows(database)

            // Data stored before the roll-ups existed: the migration's rebuild fills them from the rows.
            let sql = try #require(database as? any SQLDatabase)
            try await sql.raw("UPDATE participants SET recruitment_day = NULL").run()
            try await sql.raw("DELETE FROM recruitment_monthly").run()
            try await sql.raw("DELETE FROM site_recruitment").run()
            try await register.rebuildRecruitmentRollups()
            try await expectRollupsMatchTheRows(database)
        }
    }

    /// The roll-up tables as stored, and as rebuilt from participants and counts.
    func expectRollupsMatchTheRows(_ database: any Database, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let sql = try #require(database as? any SQLDatabase)
        func rows(_ query: SQLQueryString) async throws -> [String] {
            try await sql.raw(query).all().map { row in
                [try row.decode(column: "site_id", as: Int.self).description, try row.decode(column: "month", as: String.self),
                 try row.decode(column: "n", as: Int.self).description, try row.decode(column: "first_day", as: String.self)].joined(separator: "|")
            }
        }
        let stored = try await rows("SELECT site_id, month, CAST(recruited AS BIGINT) AS n, first_day FROM recruitment_monthly ORDER BY site_id, month")
        let rebuilt = try await rows("""
            SELECT site_id, substr(day, 1, 7) || '-01' AS month, CAST(SUM(n) AS BIGINT) AS n, MIN(day) AS first_day FROM (
                SELECT site_id, COALESCE(recruited_date, consent_date) AS day, 1 AS n FROM participants WHERE status IN ('recruited', 'withdrawn')
                UNION ALL SELECT site_id, period_end AS day, "count" AS n FROM recruitment_counts WHERE "count" > 0
            ) e GROUP BY site_id, substr(day, 1, 7) ORDER BY site_id, month
            """)
        #expect(!stored.isEmpty, sourceLocation: sourceLocation)
        #expect(stored == rebuilt, sourceLocation: sourceLocation)
        let totals = try await sql.raw("""
            SELECT COUNT(*) AS n FROM site_recruitment r WHERE r.recruited <> (SELECT SUM(m.recruited) FROM recruitment_monthly m WHERE m.site_id = r.site_id)
            """).first()?.decode(column: "n", as: Int.self)
        #expect(totals == 0, sourceLocation: sourceLocation)
    }
}

extension RollupTests {
    @Test(arguments: TestDatabases.locations)
    func theActivityReportFromTheRollupsEqualsTheRules(location: DatabaseLocation) async throws {
        let asOf = try #require(Day(iso: "2026-11-27"))
        let portfolio = DemoPortfolio(seed: 23, asOf: asOf, studyCount: 30)
        let records = portfolio.siteRecords
        try await TestDatabases.with(location, suite: "rollups_activity") { database in
            let register = Register(database: database)
            try await register.load(portfolio, by: .commandLine("test"))
            let first = try #require(Day(iso: "2025-04-01")), last = try #require(Day(iso: "2026-11-01"))
            let all = try await register.activityReport(from: first, to: last, organisation: nil)
            #expect(all == ActivityReport.report(records, from: first, to: last, organisation: nil))
            #expect(all.rows.count == 20)
            let host = try await register.activityReport(from: first, to: last, organisation: "RT5")
            #expect(host == ActivityReport.report(records.filter { $0.site.siteODS == "RT5" }, from: first, to: last, organisation: "RT5"))
            #expect(ActivityReport.averageMonthly(host) > 0)
        }
    }
}
