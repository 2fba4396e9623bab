import FluentKit
import PaceCore
import SQLKit

extension Register {
    /// Every site (of one organisation, or all) with its recruitment history, ordered by study and site.
    public func siteHistories(organisation odsCode: String?) async throws -> [(site: Site, history: RecruitmentHistory)] {
        let sql = try database.sql()
        let organisationFilter: SQLQueryString = odsCode.map { " WHERE o.ods_code = \(bind: $0)" } ?? ""
        let siteRows = try await sql.raw(RegisterSQL.siteSelect() + organisationFilter + " ORDER BY s.cpms_id, o.ods_code").all()
        let siteFilter: SQLQueryString = odsCode.map {
            " AND site_id IN (SELECT x.id FROM sites x JOIN organisations o ON o.id = x.organisation_id WHERE o.ods_code = \(bind: $0))"
        } ?? ""
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
            return (try row.site(), RecruitmentHistory(events[id] ?? []))
        }
    }

    /// The `sites` report as of `day`; the command line, the API and the reports page all use this.
    public func sitesReport(on day: Day, organisation: String?, rules: MetricRules = .national) async throws -> Report {
        SitesReport.report(try await siteHistories(organisation: organisation), on: day, organisation: organisation, rules: rules)
    }
}
