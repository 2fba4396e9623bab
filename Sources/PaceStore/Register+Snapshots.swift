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
    /// activity indicators (on track, monthly recruitment) can count. Given both, a site either keeps
    /// is kept, so one pass answers a KPI period's set-up and activity measures alike.
    /// `ordered: false` leaves the sites in the database's order, for a caller that only counts them:
    /// sorting a region's sites by study and site costs SQLite more than reading them.
    public func siteSnapshots(_ scope: SiteScope, on day: Day, windowDays: Int, endingIn period: ClosedRange<Day>? = nil,
                              activeIn active: ClosedRange<Day>? = nil, ordered: Bool = true) async throws -> [SiteRecord] {
        var kept: [SQLQueryString] = []
        if let active {
            let (from, to) = (active.lowerBound.iso, active.upperBound.iso)
            kept.append("""
                (x.date_site_open <= \(bind: to) AND (x.closed_to_recruitment IS NULL OR x.closed_to_recruitment > \(bind: to)))
                 OR (r.last_day >= \(bind: from) AND r.first_day <= \(bind: to))
                """)
        }
        if let period {
            let (from, to) = (period.lowerBound.iso, period.upperBound.iso)
            kept.append("""
                x.date_site_open BETWEEN \(bind: from) AND \(bind: to) OR r.first_day BETWEEN \(bind: from) AND \(bind: to)
                 OR x.first_participant_recruited BETWEEN \(bind: from) AND \(bind: to)
                """)
        }
        var filter: SQLQueryString = " WHERE " + scope.condition
        if !kept.isEmpty {
            filter = filter + " AND ((" + kept.joined(separator: ") OR (") + "))"
        }
        let windowStart = day.adding(days: -(windowDays - 1))
        let beforeWindow = windowStart.adding(days: -1)
        let throughDay = try await recruitedAfter(day)
        let throughWindow = try await recruitedAfter(beforeWindow)
        // Only what the measures use: at a hundred thousand sites every column read costs. Each row
        // becomes its record as it is read; the order is put in afterwards (below). The scope's sites
        // are counted first from the sites' keys, so the records' room is made once.
        let expected = try await siteCount(scope)
        let records = try await database.plainRows("""
            SELECT x.id, s.cpms_id, o.ods_code AS site_ods, x.role, x.site_target, x.planned_recruitment_start, x.planned_recruitment_end,
            \(unsafeRaw: SiteColumns.milestones.map { "x." + $0 }.joined(separator: ", ")), x.sponsor_intention,
            s.short_name, s.route, s.design, s.ctimp, s.status, s.actual_close,
            r.recruited AS total_recruited, r.first_day AS first_recruited, r.last_day AS last_recruited
            FROM sites x JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id
            LEFT JOIN site_recruitment r ON r.site_id = x.id
            """ + filter, expected: expected) { row in
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
        guard ordered else { return records }
        // By study and site, sorted here: SQLite's ORDER BY spilled a region's wide rows to a temporary
        // file, and sorting positions moves none of the records until each is put in its place once.
        // ODS codes compare byte by byte, as SQLite's ORDER BY did.
        let keys = records.map { (cpmsID: $0.study.cpmsID, odsCode: $0.site.siteODS) }
        let order = keys.indices.sorted { lhs, rhs in
            let (left, right) = (keys[lhs], keys[rhs])
            return left.cpmsID != right.cpmsID ? left.cpmsID < right.cpmsID : left.odsCode.utf8.lexicographicallyPrecedes(right.odsCode.utf8)
        }
        return order.map { records[$0] }
    }

    /// How many sites the scope holds. Every site has its study and organisation (the foreign keys say
    /// so), so the whole register's sites are counted without the joins, which cost a KPI report a
    /// tenth of its time at region scale.
    func siteCount(_ scope: SiteScope) async throws -> Int {
        let query: SQLQueryString = if case .all = scope { "SELECT COUNT(*) FROM sites" } else {
            "SELECT COUNT(*) FROM sites x JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id WHERE " + scope.condition
        }
        return try await database.integerColumns(query, width: 1).first ?? 0
    }

    /// Recruitment after `day` per site: whole months from the roll-up, the rest of `day`'s month from
    /// the rows dated in it (an index range, never the whole table).
    func recruitedAfter(_ day: Day) async throws -> [Int: Int] {
        let monthEnd = day.endOfMonth
        let parts = [
            try await database.sums(of: "recruited", by: "site_id", from: "recruitment_monthly", where: "month > \(bind: day.startOfMonth.iso)"),
            try await database.sums(of: "1", by: "site_id", from: "participants",
                                    where: "recruitment_day > \(bind: day.iso) AND recruitment_day <= \(bind: monthEnd.iso)"),
            try await database.sums(of: "\"count\"", by: "site_id", from: "recruitment_counts",
                                    where: "period_end > \(bind: day.iso) AND period_end <= \(bind: monthEnd.iso) AND \"count\" > 0"),
        ]
        return parts.reduce(into: [:]) { after, part in after.merge(part, uniquingKeysWith: +) }
    }

    /// Each organisation's participants and recruiting studies in a financial year, from the monthly
    /// roll-up (financial years start and end with a month).
    public func leagueTotals(year: FinancialYear) async throws -> (sites: [LeagueTable.SiteTotal], organisations: [Organisation]) {
        let sql = try database.sql()
        // Each site's year is summed from the covering month index, and its study and organisation
        // found from the sites' covering key: a join per site that recruited cost the report more.
        let recruited = try await database.sums(of: "recruited", by: "site_id", from: "recruitment_monthly",
                                                where: "month >= \(bind: year.firstDay.iso) AND month <= \(bind: year.lastDay.startOfMonth.iso)")
        let cpmsIDs = try await database.integerColumns("SELECT id, cpms_id FROM studies", width: 2).pairs()
        let odsCodes = Dictionary(try await database.plainRows("SELECT id, ods_code FROM organisations").map { row in
            (row.integer(at: 0) ?? 0, try row.text("ods_code") ?? "")
        }, uniquingKeysWith: { first, _ in first })
        let sites = try await database.integerColumns("SELECT id, organisation_id, study_id FROM sites", width: 3)
        var totals: [LeagueTable.SiteTotal] = []
        totals.reserveCapacity(recruited.count)
        for row in stride(from: 0, to: sites.count - 2, by: 3) {
            guard let n = recruited[sites[row]] else { continue }
            totals.append(LeagueTable.SiteTotal(odsCode: odsCodes[sites[row + 1]] ?? "", cpmsID: cpmsIDs[sites[row + 2]] ?? 0, recruited: n))
        }
        let organisations = try await sql.raw("""
            SELECT ods_code, name, type, subtype FROM organisations o WHERE EXISTS (SELECT 1 FROM sites x WHERE x.organisation_id = o.id) ORDER BY name
            """).all().map { try $0.organisation() }
        return (totals, organisations)
    }
}

extension Array where Element == Int {
    /// A flat array of (key, value) pairs as a dictionary; a repeated key keeps its first value.
    func pairs() -> [Int: Int] {
        var found: [Int: Int] = [:]
        found.reserveCapacity(count / 2)
        for index in stride(from: 0, to: count - 1, by: 2) where found[self[index]] == nil {
            found[self[index]] = self[index + 1]
        }
        return found
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
