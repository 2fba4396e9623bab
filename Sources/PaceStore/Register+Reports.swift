import FluentKit
import PaceCore
import SQLKit

extension Register {
    /// Every site (of one organisation, or all) with its study and recruitment history, ordered by study and site.
    public func siteRecords(organisation odsCode: String?) async throws -> [SiteRecord] {
        try await siteRecords(odsCode.map { .organisation($0) } ?? .all)
    }

    /// Which sites to load with their recruitment.
    public enum SiteScope: Sendable {
        case all
        case organisation(String)
        case study(Int)

        /// The condition on a query over `sites x` joined with `studies s` and `organisations o`.
        var condition: SQLQueryString {
            switch self {
            case .all: "1 = 1"
            case .organisation(let code): "o.ods_code = \(bind: code)"
            case .study(let cpmsID): "s.cpms_id = \(bind: cpmsID)"
            }
        }
    }

    public func siteRecords(_ scope: SiteScope) async throws -> [SiteRecord] {
        let sql = try database.sql()
        let siteFilter: SQLQueryString = if case .all = scope { "" } else {
            " AND site_id IN (SELECT x.id FROM sites x JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id WHERE "
                + scope.condition + ")"
        }
        let siteRows = try await sql.raw(RegisterSQL.siteSelect(RegisterSQL.studyColumns) + " WHERE " + scope.condition + " ORDER BY s.cpms_id, o.ods_code").all()
        let eventRows = try await sql.raw("""
            SELECT site_id, COALESCE(recruited_date, consent_date) AS day, CAST(COUNT(*) AS BIGINT) AS n FROM participants
            WHERE status IN \(RegisterSQL.recruitedStatuses)
            """ + siteFilter + """
             GROUP BY site_id, COALESCE(recruited_date, consent_date)
            UNION ALL SELECT site_id, period_end AS day, CAST(SUM("count") AS BIGINT) AS n FROM recruitment_counts WHERE 1 = 1
            """ + siteFilter + " GROUP BY site_id, period_end").all()
        var events: [Int: [(day: Day, count: Int)]] = [:]
        for row in eventRows {
            guard let day = try row.day("day") else { continue }
            events[try row.decode(column: "site_id", as: Int.self), default: []].append((day, try row.integer("n") ?? 0))
        }
        return try siteRows.map { row in
            let id = try row.decode(column: "id", as: Int.self)
            return SiteRecord(study: try row.study(), site: try row.site(), history: RecruitmentHistory(events[id] ?? []))
        }
    }

    /// The `sites` report as of `day`; the command line, the API and the reports page all use this.
    public func sitesReport(on day: Day, organisation: String?, rules given: MetricRules? = nil) async throws -> Report {
        let rules = try await rules(given)
        let records = try await siteSnapshots(organisation.map { .organisation($0) } ?? .all, on: day, windowDays: rules.forecastWindowDays)
        let studyNames = Dictionary(records.map { ($0.study.cpmsID, $0.study.shortName) }, uniquingKeysWith: { first, _ in first })
        let organisationNames = Dictionary(try await organisationChoices().map { ($0.odsCode, $0.name) }, uniquingKeysWith: { first, _ in first })
        return SitesReport.report(records.map { ($0.site, $0.history) }, on: day, organisation: organisation, rules: rules,
                                  studyNames: studyNames, organisationNames: organisationNames)
    }

    /// The PID initiating return for a quarter and organisation.
    public func pidInitiatingReport(quarter: FinancialQuarter, organisation: String, rules given: MetricRules? = nil) async throws -> Report {
        PIDReports.initiating(try await siteRecords(organisation: organisation), quarter: quarter, organisation: organisation, rules: try await rules(given))
    }

    /// The rules a report was asked to use, else the stored ones.
    func rules(_ given: MetricRules?) async throws -> MetricRules {
        if let given { return given }
        return try await metricRules()
    }

    /// The PID delivering return for a quarter and organisation.
    public func pidDeliveringReport(quarter: FinancialQuarter, organisation: String) async throws -> Report {
        PIDReports.delivering(try await siteRecords(organisation: organisation), quarter: quarter, organisation: organisation)
    }

    /// The UK set-up KPIs for sites whose measure ends between two days (one organisation's, or all).
    public func kpiReport(from start: Day, to end: Day, organisation: String?, byMonth: Bool = false, rules given: MetricRules? = nil) async throws -> Report {
        // The set-up KPIs need only each site's first participant, which the roll-ups hold; on track and
        // monthly recruitment need what each site recruited through a window's last day and within it,
        // which a snapshot for exactly that window answers, so no report rescans participant rows.
        // One pass reads the period's sites for both: the set-up counts look only at measures ending in
        // a window, and a site neither open at its end nor recruiting in it adds nothing to its activity,
        // so each list may hold the other's sites too.
        let scope: SiteScope = organisation.map { .organisation($0) } ?? .all
        let period = try await siteSnapshots(scope, on: end, windowDays: start.days(to: end) + 1, endingIn: start...end, activeIn: start...end, ordered: false)
        let openings = try await firstOpenings(scope)
        var windows: [KPIReport.Window] = []
        for month in byMonth ? KPIReport.monthWindows(from: start, to: end) : [] {
            let activity = try await siteSnapshots(scope, on: month.to, windowDays: month.from.days(to: month.to) + 1, activeIn: month.from...month.to, ordered: false)
            windows.append(KPIReport.Window(from: month.from, to: month.to, month: month.month, setUp: period, activity: activity, firstOpenings: openings))
        }
        windows.append(KPIReport.Window(from: start, to: end, month: nil, setUp: period, activity: period, firstOpenings: openings))
        var report = KPIReport.report(windows, from: start, to: end, rules: try await rules(given), byMonth: byMonth)
        if let organisation {
            report = Report(name: report.name, parameters: report.parameters + [("organisation", organisation)], fields: report.fields, rows: report.rows)
        }
        return report
    }

    /// The league table for a financial year, every organisation that is a site.
    public func leagueTable(year: FinancialYear) async throws -> Report {
        let (totals, organisations) = try await leagueTotals(year: year)
        return LeagueTable.report(totals: totals, organisations: organisations, year: year)
    }

    /// The initiating return as trusts publish it, ready for a spreadsheet.
    public func publishedPIDInitiating(quarter: FinancialQuarter, organisation: String, rules given: MetricRules? = nil) async throws -> String {
        PublishedPIDReturn.initiating(try await siteRecords(organisation: organisation), quarter: quarter, rules: try await rules(given))
    }

    /// The delivering return as trusts publish it, ready for a spreadsheet.
    public func publishedPIDDelivering(quarter: FinancialQuarter, organisation: String) async throws -> String {
        PublishedPIDReturn.delivering(try await siteRecords(organisation: organisation), quarter: quarter)
    }
}

extension Register {
    /// Every data-quality finding in the register (`DataQuality.findings`), for the R&D office's page.
    public func dataQuality(today: Day) async throws -> [DataQualityFinding] {
        let sql = try database.sql()
        let records = try await siteRecords(organisation: nil)
        let counts = try await sql.raw(RegisterSQL.countSelect).all().compactMap { try $0.recruitmentCount() }
        let participantSites = Set(try await sql.raw("""
            SELECT DISTINCT s.cpms_id, o.ods_code FROM participants p JOIN sites x ON x.id = p.site_id JOIN studies s ON s.id = x.study_id
            JOIN organisations o ON o.id = x.organisation_id WHERE p.recruitment_day IS NOT NULL
            """).all().map { "\(try $0.decode(column: "cpms_id", as: Int.self))/\(try $0.decode(column: "ods_code", as: String.self))" })
        return DataQuality.findings(records: records, counts: counts, participantSites: participantSites, today: today)
    }
}
