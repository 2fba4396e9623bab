import FluentKit
import PaceCore
import SQLKit

extension Register {
    /// Each study's earliest opening among the scope's sites: when it became a new study there.
    public func firstOpenings(_ scope: SiteScope) async throws -> [Int: Day] {
        var found: [Int: Day] = [:]
        for row in try await database.plainRows("""
            SELECT s.cpms_id, MIN(x.date_site_open) AS first_open FROM sites x JOIN studies s ON s.id = x.study_id
            JOIN organisations o ON o.id = x.organisation_id WHERE x.date_site_open IS NOT NULL AND
            """ + " " + scope.condition + " GROUP BY s.cpms_id") {
            if let day = try row.day("first_open") { found[try row.integer("cpms_id") ?? 0] = day }
        }
        return found
    }

    /// Sites with just the recruitment a report as of `day` needs (the first participant, the number
    /// recruited through `day`, and through the day before the recent window), read from the roll-ups
    /// so a region-wide report never rescans participant rows.
    /// `endingIn` keeps only sites whose opening or first participant falls in the period (all a set-up
    /// KPI report needs), so the database rather than the report passes over the rest.
    /// `activeIn` keeps only sites open on the period's last day or with recruitment in it: all the
    /// activity indicators (on track, monthly recruitment) can count.
    public func siteSnapshots(_ scope: SiteScope, on day: Day, windowDays: Int, endingIn period: ClosedRange<Day>? = nil,
                              activeIn active: ClosedRange<Day>? = nil) async throws -> [SiteRecord] {
        var filter: SQLQueryString = " WHERE " + scope.condition
        if let active {
            let (from, to) = (active.lowerBound.iso, active.upperBound.iso)
            filter = filter + """
                 AND ((x.date_site_open <= \(bind: to) AND (x.closed_to_recruitment IS NULL OR x.closed_to_recruitment > \(bind: to)))
                 OR (r.last_day >= \(bind: from) AND r.first_day <= \(bind: to)))
                """
        }
        if let period {
            let (from, to) = (period.lowerBound.iso, period.upperBound.iso)
            filter = filter + """
                 AND (x.date_site_open BETWEEN \(bind: from) AND \(bind: to) OR r.first_day BETWEEN \(bind: from) AND \(bind: to)
                 OR x.first_participant_recruited BETWEEN \(bind: from) AND \(bind: to))
                """
        }
        // Only what the measures use: at a hundred thousand sites every column read costs.
        let rows = try await database.plainRows("""
            SELECT x.id, s.cpms_id, o.ods_code AS site_ods, x.role, x.site_target, x.planned_recruitment_start, x.planned_recruitment_end,
            \(unsafeRaw: SiteColumns.milestones.map { "x." + $0 }.joined(separator: ", ")), x.sponsor_intention,
            s.short_name, s.route, s.design, s.ctimp, s.status, s.actual_close,
            r.recruited AS total_recruited, r.first_day AS first_recruited, r.last_day AS last_recruited
            FROM sites x JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id
            LEFT JOIN site_recruitment r ON r.site_id = x.id
            """ + filter + " ORDER BY s.cpms_id, o.ods_code")
        let windowStart = day.adding(days: -(windowDays - 1))
        let beforeWindow = windowStart.adding(days: -1)
        let throughDay = try await recruitedAfter(day)
        let throughWindow = try await recruitedAfter(beforeWindow)
        return try rows.map { row in
            let id = try row.integer("id") ?? 0
            let total = try row.integer("total_recruited") ?? 0
            let first = try row.day("first_recruited")
            let last = try row.day("last_recruited")
            func through(_ limit: Day, after: [Int: Int]) -> Int {
                guard let first, first <= limit else { return 0 }
                guard let last, last > limit else { return total }
                return total - (after[id] ?? 0)
            }
            let history = RecruitmentHistory(
                firstDay: first, recruitedThrough: day, total: through(day, after: throughDay),
                windowStart: windowStart, recruitedBeforeWindow: through(beforeWindow, after: throughWindow)
            )
            return SiteRecord(study: try row.study(), site: try row.site(), history: history)
        }
    }

    /// Recruitment after `day` per site: whole months from the roll-up, the rest of `day`'s month from
    /// the rows dated in it (an index range, never the whole table).
    func recruitedAfter(_ day: Day) async throws -> [Int: Int] {
        let month = day.startOfMonth
        let monthEnd = day.endOfMonth
        var after: [Int: Int] = [:]
        let parts: [SQLQueryString] = [
            // "+site_id" keeps SQLite on the covering month index instead of walking every row in site order.
            "SELECT +site_id AS site_id, CAST(SUM(recruited) AS BIGINT) AS n FROM recruitment_monthly WHERE month > \(bind: month.iso) GROUP BY +site_id",
            "SELECT site_id, CAST(COUNT(*) AS BIGINT) AS n FROM participants WHERE recruitment_day > \(bind: day.iso) AND recruitment_day <= \(bind: monthEnd.iso) GROUP BY site_id",
            """
            SELECT site_id, CAST(SUM("count") AS BIGINT) AS n FROM recruitment_counts
            WHERE period_end > \(bind: day.iso) AND period_end <= \(bind: monthEnd.iso) AND "count" > 0 GROUP BY site_id
            """,
        ]
        for query in parts {
            for row in try await database.plainRows(query) {
                after[try row.integer("site_id") ?? 0, default: 0] += try row.integer("n") ?? 0
            }
        }
        return after
    }

    /// Each organisation's participants and recruiting studies in a financial year, from the monthly
    /// roll-up (financial years start and end with a month).
    public func leagueTotals(year: FinancialYear) async throws -> (sites: [LeagueTable.SiteTotal], organisations: [Organisation]) {
        let sql = try database.sql()
        let lastMonth = year.lastDay.startOfMonth
        // Sum each site's year from the covering month index first, then name the few sites that recruited.
        let totals = try await database.plainRows("""
            SELECT o.ods_code, s.cpms_id, t.n FROM (
                SELECT +site_id AS site_id, CAST(SUM(recruited) AS BIGINT) AS n FROM recruitment_monthly
                WHERE month >= \(bind: year.firstDay.iso) AND month <= \(bind: lastMonth.iso) GROUP BY +site_id
            ) t JOIN sites x ON x.id = t.site_id JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id
            """).map { row in
            LeagueTable.SiteTotal(odsCode: try row.text("ods_code") ?? "", cpmsID: try row.integer("cpms_id") ?? 0, recruited: try row.integer("n") ?? 0)
        }
        let organisations = try await sql.raw("""
            SELECT ods_code, name, type, subtype FROM organisations o WHERE EXISTS (SELECT 1 FROM sites x WHERE x.organisation_id = o.id) ORDER BY name
            """).all().map { try $0.organisation() }
        return (totals, organisations)
    }
}

extension Register {
    /// The activity measures month by month, from the monthly roll-up (one organisation's, or all).
    public func activityReport(from first: Day, to last: Day, organisation odsCode: String?) async throws -> Report {
        let sql = try database.sql()
        let months = ActivityReport.months(from: first, to: last)
        guard let firstMonth = months.first, let lastMonth = months.last else {
            return ActivityReport.report([], openings: [], from: first, to: last, organisation: odsCode)
        }
        let filter: SQLQueryString = odsCode.map { " AND o.ods_code = \(bind: $0)" } ?? ""
        let siteMonths = try await sql.raw("""
            SELECT s.cpms_id, m.month, m.recruited FROM recruitment_monthly m JOIN sites x ON x.id = m.site_id
            JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id
            WHERE m.month >= \(bind: firstMonth.iso) AND m.month <= \(bind: lastMonth.iso)
            """ + filter).all().compactMap { row -> ActivityReport.SiteMonth? in
            guard let month = try row.day("month") else { return nil }
            return ActivityReport.SiteMonth(cpmsID: try row.integer("cpms_id") ?? 0, month: month, recruited: try row.integer("recruited") ?? 0)
        }
        // Every opening of the studies concerned, so a study is new only in the month of its first one.
        let openings = try await sql.raw("""
            SELECT s.cpms_id, x.date_site_open FROM sites x JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id
            WHERE x.date_site_open IS NOT NULL
            """ + filter).all().compactMap { row -> (cpmsID: Int, day: Day)? in
            guard let day = try row.day("date_site_open") else { return nil }
            return (try row.integer("cpms_id") ?? 0, day)
        }
        return ActivityReport.report(siteMonths, openings: openings, from: first, to: last, organisation: odsCode)
    }
}

extension Register {
    /// Recomputes every site's recruitment day and roll-ups from the stored rows, as the migration that
    /// introduced them does for data already there.
    public func rebuildRecruitmentRollups() async throws {
        try await database.writeTransaction { transaction in
            try await RecruitmentRollups.rebuild(try transaction.sql())
        }
    }
}
