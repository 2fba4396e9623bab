import FluentKit
import PaceCore
import SQLKit

/// The study register: the queries behind every page, API call and CLI command, and the one place
/// single records are saved (through the same writers as imports).
public struct Register: Sendable {
    public let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    // MARK: Organisations

    public func organisations() async throws -> [OrganisationSummary] {
        let rows = try await database.sql().raw("""
            SELECT o.*, (SELECT COUNT(DISTINCT y.study_id) FROM (
                SELECT study_id FROM sites WHERE organisation_id = o.id
                UNION SELECT study_id FROM study_organisations WHERE organisation_id = o.id) y) AS studies
            FROM organisations o ORDER BY o.name
            """).all()
        return try rows.map { OrganisationSummary(organisation: try $0.organisation(), studies: try $0.integer("studies") ?? 0) }
    }

    /// Every organisation by name, for choosing one in a form (no study counts, so it stays cheap).
    public func organisationChoices() async throws -> [Organisation] {
        try await database.sql().raw("SELECT ods_code, name, type, subtype FROM organisations ORDER BY name").all().map { try $0.organisation() }
    }

    public func organisation(_ odsCode: String) async throws -> Organisation? {
        try await database.sql().raw("SELECT * FROM organisations WHERE ods_code = \(bind: odsCode)").first()?.organisation()
    }

    public func studies(of odsCode: String) async throws -> [OrganisationStudy] {
        let rows = try await database.sql().raw("""
            SELECT s.cpms_id, s.short_name, s.status, r.role FROM (
                SELECT x.study_id, x.role AS role FROM sites x JOIN organisations o ON o.id = x.organisation_id WHERE o.ods_code = \(bind: odsCode)
                UNION SELECT so.study_id, so.role AS role FROM study_organisations so JOIN organisations o ON o.id = so.organisation_id WHERE o.ods_code = \(bind: odsCode)
            ) r JOIN studies s ON s.id = r.study_id ORDER BY s.short_name, s.cpms_id, r.role
            """).all()
        var studies: [OrganisationStudy] = []
        for row in rows {
            let cpmsID = try row.integer("cpms_id") ?? 0
            let role = try row.text("role") ?? ""
            let label = SiteRole(rawValue: role)?.label ?? PartnerRole(rawValue: role)?.label ?? role
            if let last = studies.last, last.cpmsID == cpmsID {
                studies[studies.count - 1] = OrganisationStudy(cpmsID: cpmsID, shortName: last.shortName, status: last.status, roles: last.roles + [label])
            } else {
                studies.append(OrganisationStudy(cpmsID: cpmsID, shortName: try row.text("short_name") ?? "", status: try row.text("status").flatMap(StudyStatus.init(rawValue:)), roles: [label]))
            }
        }
        return studies
    }

    // MARK: Studies

    public func themes() async throws -> [String] {
        try await database.sql().raw("SELECT DISTINCT theme FROM study_themes ORDER BY theme").all().compactMap { try $0.text("theme") }
    }

    /// The themes of some studies only (a study team's or a monitor's), so a filter shows nothing of
    /// the rest; nil means every study.
    public func themes(ofStudies studies: Set<Int>?) async throws -> [String] {
        guard let studies else { return try await themes() }
        guard !studies.isEmpty else { return [] }
        return try await database.sql().raw("""
            SELECT DISTINCT t.theme FROM study_themes t JOIN studies s ON s.id = t.study_id
            WHERE s.cpms_id IN (\(binds: studies.sorted().map { $0 as any Encodable & Sendable })) ORDER BY t.theme
            """).all().compactMap { try $0.text("theme") }
    }

    /// The organisations taking part in some studies only, as sites or partners; nil means every organisation.
    public func organisationChoices(ofStudies studies: Set<Int>?) async throws -> [Organisation] {
        guard let studies else { return try await organisationChoices() }
        guard !studies.isEmpty else { return [] }
        let ids: [any Encodable & Sendable] = studies.sorted()
        return try await database.sql().raw("""
            SELECT ods_code, name, type, subtype FROM organisations o
            WHERE o.id IN (SELECT x.organisation_id FROM sites x JOIN studies s ON s.id = x.study_id WHERE s.cpms_id IN (\(binds: ids)))
               OR o.id IN (SELECT p.organisation_id FROM study_organisations p JOIN studies s ON s.id = p.study_id WHERE s.cpms_id IN (\(binds: ids)))
            ORDER BY name
            """).all().map { try $0.organisation() }
    }

    /// How many studies the filter finds (its page and page size aside).
    public func studyCount(_ filter: StudyFilter, hostODS: String) async throws -> Int {
        try await studyCount(where: studyConditions(filter, hostODS: hostODS), try database.sql())
    }

    private func studyCount(where whereClause: SQLQueryString, _ sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM studies s WHERE " + whereClause).first()?.integer("n") ?? 0
    }

    /// One page of the studies the filter finds; `knownTotal` is how many it finds, when the caller knows.
    public func studies(_ filter: StudyFilter, hostODS: String, knownTotal: Int? = nil) async throws -> StudyPage {
        let sql = try database.sql()
        let whereClause = studyConditions(filter, hostODS: hostODS)
        let total: Int
        if let knownTotal {
            total = knownTotal
        } else {
            total = try await studyCount(where: whereClause, sql)
        }
        let perPage = Swift.min(Swift.max(filter.perPage, 1), StudyFilter.perPageLimit)
        let page = Swift.max(filter.page, 1)
        let rows = try await sql.raw("""
            SELECT s.*, (\(RecruitmentSQL.studyRecruited)) AS recruited,
                   (SELECT x.role FROM sites x JOIN organisations o ON o.id = x.organisation_id WHERE x.study_id = s.id AND o.ods_code = \(bind: hostODS)) AS host_role
            FROM studies s WHERE
            """ + " " + whereClause + " ORDER BY s.short_name, s.cpms_id LIMIT \(literal: perPage) OFFSET \(literal: (page - 1) * perPage)").all()
        let ids = try rows.map { try $0.decode(column: "id", as: Int.self) }
        let themes = try await themes(forStudies: ids, sql)
        let sponsors = try await sponsors(forStudies: ids, sql)
        let studies = try zip(rows, ids).map { row, id in
            var study = try row.study()
            study.themes = themes[id] ?? []
            study.sponsorODS = sponsors[id]
            return StudySummary(study: study, recruited: try row.integer("recruited") ?? 0, hostRole: try row.code("host_role", SiteRole.self))
        }
        return StudyPage(studies: studies, total: total, page: page, perPage: perPage)
    }

    private func studyConditions(_ filter: StudyFilter, hostODS: String) -> SQLQueryString {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let status = filter.status {
            conditions.append("s.status = \(bind: status.rawValue)")
        } else if let phase = filter.phase {
            let statuses = StudyStatus.allCases.filter { $0.phase == phase }.map { $0.rawValue as any Encodable & Sendable }
            conditions.append("s.status IN (\(binds: statuses))")
        }
        if let only = filter.onlyStudies {
            conditions.append(only.isEmpty ? "1 = 0" : "s.cpms_id IN (\(binds: only.sorted().map { $0 as any Encodable & Sendable }))")
        }
        if let route = filter.route { conditions.append("s.route = \(bind: route.rawValue)") }
        if let design = filter.design { conditions.append("s.design = \(bind: design.rawValue)") }
        if let theme = filter.theme {
            conditions.append("EXISTS (SELECT 1 FROM study_themes t WHERE t.study_id = s.id AND t.theme = \(bind: theme))")
        }
        if let partner = filter.partnerODS {
            conditions.append("""
                (EXISTS (SELECT 1 FROM study_organisations so JOIN organisations o ON o.id = so.organisation_id WHERE so.study_id = s.id AND o.ods_code = \(bind: partner))
                 OR EXISTS (SELECT 1 FROM sites x JOIN organisations o ON o.id = x.organisation_id WHERE x.study_id = s.id AND o.ods_code = \(bind: partner)))
                """)
        }
        if let role = filter.hostRole {
            conditions.append("EXISTS (SELECT 1 FROM sites x JOIN organisations o ON o.id = x.organisation_id WHERE x.study_id = s.id AND o.ods_code = \(bind: hostODS) AND x.role = \(bind: role.rawValue))")
        }
        if let search = filter.search?.trimmingSpaces, !search.isEmpty {
            let pattern = "%" + search.lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            conditions.append("""
                (LOWER(s.short_name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(COALESCE(s.title, '')) LIKE \(bind: pattern) ESCAPE '\\'
                 OR CAST(s.cpms_id AS TEXT) = \(bind: search) OR s.iras_id = \(bind: search))
                """)
        }
        return conditions.joined(separator: " AND ")
    }

    public func study(_ cpmsID: Int) async throws -> StudyDetail? {
        let sql = try database.sql()
        guard let row = try await sql.raw("SELECT * FROM studies WHERE cpms_id = \(bind: cpmsID)").first() else { return nil }
        let id = try row.decode(column: "id", as: Int.self)
        var study = try row.study()
        study.themes = try await themes(forStudies: [id], sql)[id] ?? []
        study.sponsorODS = try await sponsors(forStudies: [id], sql)[id]
        let partners = try await sql.raw("""
            SELECT o.*, so.role AS partner_role FROM study_organisations so JOIN organisations o ON o.id = so.organisation_id
            WHERE so.study_id = \(bind: id) ORDER BY so.role, o.name
            """).all().map { Partner(organisation: try $0.organisation(), role: try $0.code("partner_role", PartnerRole.self) ?? .collaborator) }
        let sites = try await sql.raw(RegisterSQL.siteSelect(", (\(RecruitmentSQL.siteRecruited)) AS recruited, o.name AS organisation_name") + " WHERE x.study_id = \(bind: id) ORDER BY o.name")
            .all().map { SiteSummary(site: try $0.site(), organisationName: try $0.text("organisation_name") ?? "", recruited: try $0.integer("recruited") ?? 0) }
        return StudyDetail(study: study, partners: partners, sites: sites)
    }

    public func site(cpmsID: Int, odsCode: String, participantLimit: Int = 100) async throws -> SiteDetail? {
        let sql = try database.sql()
        let query = RegisterSQL.siteSelect(", (\(RecruitmentSQL.siteRecruited)) AS recruited, s.short_name AS study_short_name, o.name AS o_name, o.ods_code AS o_ods_code, o.type AS o_type, o.subtype AS o_subtype")
            + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode)"
        guard let row = try await sql.raw(query).first() else { return nil }
        let siteID = try row.decode(column: "id", as: Int.self)
        let participantRows = try await sql.raw(RegisterSQL.participantSelect + " WHERE p.site_id = \(bind: siteID) ORDER BY COALESCE(p.recruited_date, p.consent_date) DESC, p.participant_id LIMIT \(literal: participantLimit)")
            .all()
        let participants = try participantRows.map { try $0.participant() }
        let participantRowIDs = try participantRows.map { try $0.decode(column: "id", as: Int.self) }
        let participantCount = try await sql.raw("SELECT COUNT(*) AS n FROM participants WHERE site_id = \(bind: siteID)").first()?.integer("n") ?? 0
        let counts = try await sql.raw(RegisterSQL.countSelect + " WHERE c.site_id = \(bind: siteID) ORDER BY c.period_start DESC")
            .all().compactMap { try $0.recruitmentCount() }
        return SiteDetail(
            site: try row.site(), organisation: try row.organisation(prefix: "o_"), studyShortName: try row.text("study_short_name") ?? "",
            recruited: try row.integer("recruited") ?? 0, participants: participants, participantRowIDs: participantRowIDs, participantCount: participantCount,
            counts: counts, monthly: try await monthlyRecruitment(siteID: siteID, sql)
        )
    }

    /// Recruitment per calendar month (participants on their recruitment day, counts on their period end), from the roll-up.
    func monthlyRecruitment(siteID: Int, _ sql: any SQLDatabase) async throws -> [MonthlyRecruitment] {
        try await sql.raw("SELECT month, recruited FROM recruitment_monthly WHERE site_id = \(bind: siteID) ORDER BY month").all().compactMap { row in
            guard let month = try row.day("month") else { return nil }
            return MonthlyRecruitment(month: month, recruited: try row.integer("recruited") ?? 0)
        }
    }

    func themes(forStudies ids: [Int], _ sql: any SQLDatabase) async throws -> [Int: [String]] {
        guard !ids.isEmpty else { return [:] }
        var themes: [Int: [String]] = [:]
        for row in try await sql.select().columns("study_id", "theme").from("study_themes").where("study_id", .in, ids).orderBy("id").all() {
            themes[try row.decode(column: "study_id", as: Int.self), default: []].append(try row.decode(column: "theme", as: String.self))
        }
        return themes
    }

    func sponsors(forStudies ids: [Int], _ sql: any SQLDatabase) async throws -> [Int: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT so.study_id, o.ods_code FROM study_organisations so JOIN organisations o ON o.id = so.organisation_id
            WHERE so.role = 'sponsor' AND so.study_id IN (\(binds: ids.map { $0 as any Encodable & Sendable })) ORDER BY so.id
            """).all()
        var sponsors: [Int: String] = [:]
        for row in rows {
            sponsors[try row.decode(column: "study_id", as: Int.self)] = try row.decode(column: "ods_code", as: String.self)
        }
        return sponsors
    }

    // MARK: Portfolio

    public func portfolio(hostODS: String, today: Day) async throws -> PortfolioSummary {
        let sql = try database.sql()
        var byPhase: [StudyStatus.Phase: Int] = [:]
        var noStatus = 0
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM studies GROUP BY status").all() {
            let n = try row.integer("n") ?? 0
            if let status = try row.text("status").flatMap(StudyStatus.init(rawValue:)) {
                byPhase[status.phase, default: 0] += n
            } else {
                noStatus += n
            }
        }
        let year = FinancialYear(containing: today)
        let from = year.firstDay.iso
        let to = year.lastDay.iso
        func recruited(_ hostOnly: Bool) async throws -> Int {
            let siteFilter: SQLQueryString = hostOnly
                ? " AND site_id IN (SELECT x.id FROM sites x JOIN organisations o ON o.id = x.organisation_id WHERE o.ods_code = \(bind: hostODS))"
                : ""
            // Financial years start and end with a month, so whole months of the roll-up answer exactly.
            return try await sql.raw("""
                SELECT CAST(COALESCE(SUM(recruited), 0) AS BIGINT) AS n FROM recruitment_monthly WHERE month BETWEEN \(bind: from) AND \(bind: to)
                """ + siteFilter).first()?.integer("n") ?? 0
        }
        return PortfolioSummary(
            host: try await organisation(hostODS),
            inSetUp: byPhase[.setUp] ?? 0, open: byPhase[.open] ?? 0, closed: byPhase[.closed] ?? 0, noStatus: noStatus,
            financialYear: year.description,
            recruitedThisYear: try await recruited(false), hostRecruitedThisYear: try await recruited(true),
            attention: try await attention(hostODS: hostODS, today: today, sql)
        )
    }

    /// Host sites an R&D manager should look at today: the same rule as the Needs attention page
    /// (`NeedsAttention.siteItems`), so a withdrawn study never waits and PID covers clinical trials only.
    func attention(hostODS: String, today: Day, _ sql: any SQLDatabase) async throws -> [AttentionItem] {
        let records = try await siteRecords(organisation: hostODS)
        let items = NeedsAttention.siteItems(records, today: today, rules: try await metricRules())
        // One line per site: its most urgent reason.
        var seen = Set<String>()
        return items.sorted { ($0.urgency, $0.subject) > ($1.urgency, $1.subject) }.compactMap { item in
            guard let cpmsID = item.cpmsID, let siteODS = item.siteODS, seen.insert("\(cpmsID)/\(siteODS)").inserted else { return nil }
            return AttentionItem(cpmsID: cpmsID, shortName: item.subject, siteODS: siteODS, reason: item.reason)
        }.sorted { ($0.shortName, $0.siteODS) < ($1.shortName, $1.siteODS) }
    }
}

/// Correlated sub-queries that read recruitment totals (domain.md §4) from the roll-ups kept on write.
enum RecruitmentSQL {
    static let siteRecruited: SQLQueryString = """
        CAST(COALESCE((SELECT r.recruited FROM site_recruitment r WHERE r.site_id = x.id), 0) AS BIGINT)
        """

    static let siteLastRecruited: SQLQueryString = """
        SELECT r.last_day FROM site_recruitment r WHERE r.site_id = x.id
        """

    static let studyRecruited: SQLQueryString = """
        CAST((SELECT COALESCE(SUM(r.recruited), 0) FROM site_recruitment r JOIN sites x ON x.id = r.site_id WHERE x.study_id = s.id) AS BIGINT)
        """
}

extension Register {
    /// A page of one site's participants, most recently recruited first.
    public func participants(cpmsID: Int, odsCode: String, page: Int, perPage: Int) async throws -> (participants: [Participant], total: Int) {
        let sql = try database.sql()
        let siteFilter: SQLQueryString = " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode)"
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM participants p JOIN sites x ON x.id = p.site_id JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id" + siteFilter)
            .first()?.integer("n") ?? 0
        let participants = try await sql.raw(RegisterSQL.participantSelect + siteFilter
            + " ORDER BY COALESCE(p.recruited_date, p.consent_date) DESC, p.participant_id LIMIT \(literal: perPage) OFFSET \(literal: (max(page, 1) - 1) * perPage)")
            .all().map { try $0.participant() }
        return (participants, total)
    }

    /// Whether the organisation is a site of the study: one indexed look-up, for checks before a write.
    public func siteExists(cpmsID: Int, odsCode: String) async throws -> Bool {
        try await database.sql().raw(RegisterSQL.siteSelect() + " WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode)").first() != nil
    }

    /// Checks the database answers, for `/health`.
    public func ping() async throws {
        _ = try await database.sql().raw("SELECT 1 AS ok").first()
    }
}
