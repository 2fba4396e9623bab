import FluentKit
import PaceCore
import SQLKit

extension Register {
    /// The six-monthly board report for one organisation: its sites with their studies' themes, and the
    /// partners of those studies.
    public func boardReport(organisation odsCode: String, firstMonth: Day, asOf: Day, rules given: MetricRules? = nil) async throws -> BoardReport {
        let sql = try database.sql()
        let records = try await siteRecords(.organisation(odsCode))
        let studies = """
            SELECT x.study_id FROM sites x JOIN organisations h ON h.id = x.organisation_id WHERE h.ods_code =
            """ as SQLQueryString
        var themes: [Int: [String]] = [:]
        for row in try await sql.raw("""
            SELECT s.cpms_id, t.theme FROM study_themes t JOIN studies s ON s.id = t.study_id WHERE t.study_id IN (
            """ + studies + " \(bind: odsCode)) ORDER BY t.id").all() {
            themes[try row.integer("cpms_id") ?? 0, default: []].append(try row.text("theme") ?? "")
        }
        var partners: [Int: [BoardReport.PartnerLink]] = [:]
        for row in try await sql.raw("""
            SELECT s.cpms_id, o.ods_code, o.name, o.type, o.subtype, so.role AS partner_role FROM study_organisations so
            JOIN studies s ON s.id = so.study_id JOIN organisations o ON o.id = so.organisation_id WHERE so.study_id IN (
            """ + studies + " \(bind: odsCode))").all() {
            guard let role = try row.code("partner_role", PartnerRole.self) else { continue }
            partners[try row.integer("cpms_id") ?? 0, default: []].append(BoardReport.PartnerLink(organisation: try row.organisation(), role: role))
        }
        let withThemes = records.map { record in
            var study = record.study
            study.themes = themes[study.cpmsID] ?? []
            return SiteRecord(study: study, site: record.site, history: record.history)
        }
        return BoardReport(records: withThemes, partners: partners, firstMonth: firstMonth, asOf: asOf, rules: try await rules(given),
                           setUpSteps: try await setUpSteps(.organisation(odsCode)), amendments: try await amendments(.organisation(odsCode)),
                           kinds: try await setUpStepKinds())
    }
}
