import PaceCore
import SQLKit

/// A result row read by column name: SQLKit's rows, or `PlainRow` for results too large for its
/// Decodable path.
protocol RecordRow {
    func text(_ column: String) throws -> String?
    func integer(_ column: String) throws -> Int?
    func boolean(_ column: String) throws -> Bool?
}

/// SQLKit's rows, read through Decodable.
struct SQLKitRow: RecordRow {
    let row: any SQLRow

    func text(_ column: String) throws -> String? {
        try row.decodeNil(column: column) ? nil : row.decode(column: column, as: String.self)
    }

    func integer(_ column: String) throws -> Int? {
        try row.decodeNil(column: column) ? nil : row.decode(column: column, as: Int.self)
    }

    func boolean(_ column: String) throws -> Bool? {
        try row.decodeNil(column: column) ? nil : row.decode(column: column, as: Bool.self)
    }
}

extension SQLRow {
    func text(_ column: String) throws -> String? { try SQLKitRow(row: self).text(column) }
    func integer(_ column: String) throws -> Int? { try SQLKitRow(row: self).integer(column) }
    func boolean(_ column: String) throws -> Bool? { try SQLKitRow(row: self).boolean(column) }
    func day(_ column: String) throws -> Day? { try SQLKitRow(row: self).day(column) }
    func code<Code: DomainCode>(_ column: String, _ type: Code.Type) throws -> Code? { try SQLKitRow(row: self).code(column, type) }
    func organisation(prefix: String = "") throws -> Organisation { try SQLKitRow(row: self).organisation(prefix: prefix) }
    func study() throws -> Study { try SQLKitRow(row: self).study() }
    func site() throws -> Site { try SQLKitRow(row: self).site() }
    func participant() throws -> Participant { try SQLKitRow(row: self).participant() }
    func recruitmentCount() throws -> RecruitmentCount? { try SQLKitRow(row: self).recruitmentCount() }
}

/// Turns database rows back into PaceCore records; the column names are the interchange names.
extension RecordRow {
    func day(_ column: String) throws -> Day? {
        try text(column).flatMap { Day(iso: $0) }
    }

    func code<Code: DomainCode>(_ column: String, _ type: Code.Type) throws -> Code? {
        try text(column).flatMap(Code.init(rawValue:))
    }

    func organisation(prefix: String = "") throws -> Organisation {
        Organisation(
            odsCode: try text(prefix + "ods_code") ?? "",
            name: try text(prefix + "name") ?? "",
            type: try code(prefix + "type", OrganisationType.self) ?? .other,
            subtype: try text(prefix + "subtype")
        )
    }

    /// A study row; themes and sponsor come from their own tables.
    func study() throws -> Study {
        Study(
            cpmsID: try integer("cpms_id") ?? 0,
            irasID: try text("iras_id"),
            shortName: try text("short_name") ?? "",
            title: try text("title"),
            route: try code("route", StudyRoute.self) ?? .nonCommercial,
            design: try code("design", StudyDesign.self),
            ctimp: try boolean("ctimp"),
            phase: try text("phase"),
            managingSpecialty: try text("managing_specialty"),
            chiefInvestigator: try text("chief_investigator"),
            sampleSize: try integer("sample_size"),
            plannedOpen: try day("planned_open"),
            actualOpen: try day("actual_open"),
            plannedClose: try day("planned_close"),
            actualClose: try day("actual_close"),
            status: try text("status").flatMap(StudyStatus.init(rawValue:))
        )
    }

    /// A site row joined with its study's `cpms_id` and its organisation's code as `site_ods`.
    func site() throws -> Site {
        var site = Site(cpmsID: try integer("cpms_id") ?? 0, siteODS: try text("site_ods") ?? "", role: try code("role", SiteRole.self) ?? .recruiting)
        site.localPI = try text("local_pi")
        site.siteTarget = try integer("site_target")
        site.plannedRecruitmentStart = try day("planned_recruitment_start")
        site.plannedRecruitmentEnd = try day("planned_recruitment_end")
        site.dateSiteInvited = try day(Milestone.invited.rawValue)
        site.dateSiteSelected = try day(Milestone.selected.rawValue)
        site.regulatorySubmission = try day(Milestone.regulatorySubmission.rawValue)
        site.hraApproval = try day(Milestone.hraApproval.rawValue)
        site.dateSiteConfirmedBySponsor = try day(Milestone.confirmedBySponsor.rawValue)
        site.dateSiteConfirmed = try day(Milestone.confirmed.rawValue)
        site.dateSiteOpen = try day(Milestone.open.rawValue)
        site.firstParticipantRecruited = try day(Milestone.firstParticipant.rawValue)
        site.lastParticipantRecruited = try day(Milestone.lastParticipant.rawValue)
        site.closedToRecruitment = try day(Milestone.closedToRecruitment.rawValue)
        site.nonConfirmationStatus = try text("non_confirmation_status")
        site.delayReason = try text("delay_reason")
        site.delayAttribution = try code("delay_attribution", DelayAttribution.self)
        site.sponsorIntention = try text("sponsor_intention")
        return site
    }

    func participant() throws -> Participant {
        Participant(
            cpmsID: try integer("cpms_id") ?? 0,
            siteODS: try text("site_ods") ?? "",
            participantID: try text("participant_id") ?? "",
            status: try code("status", ParticipantStatus.self) ?? .consented,
            consentDate: try day("consent_date"),
            recruitedDate: try day("recruited_date"),
            withdrawnDate: try day("withdrawn_date"),
            identifiedByODS: try text("identified_by_ods")
        )
    }

    func recruitmentCount() throws -> RecruitmentCount? {
        guard let start = try day("period_start"), let end = try day("period_end") else { return nil }
        return RecruitmentCount(cpmsID: try integer("cpms_id") ?? 0, siteODS: try text("site_ods") ?? "", periodStart: start, periodEnd: end,
                                count: try integer("count") ?? 0, confirmed: try boolean("confirmed") ?? false)
    }
}

enum RegisterSQL {
    /// Sites with their study's CPMS ID and organisation code; `extra` adds columns (starting with a comma).
    /// The study columns a site's report needs beside the site.
    static let studyColumns: SQLQueryString = """
        , s.iras_id, s.short_name, s.title, s.route, s.design, s.ctimp, s.phase, s.managing_specialty, s.chief_investigator,
        s.sample_size, s.planned_open, s.actual_open, s.planned_close, s.actual_close, s.status
        """

    static func siteSelect(_ extra: SQLQueryString = "") -> SQLQueryString {
        "SELECT x.*, s.cpms_id AS cpms_id, o.ods_code AS site_ods" + extra
            + " FROM sites x JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id"
    }

    static let participantSelect: SQLQueryString = """
        SELECT p.id, p.site_id, p.last_changed, p.last_changed_by, p.participant_id, p.status, p.consent_date, p.recruited_date, p.withdrawn_date,
               s.cpms_id AS cpms_id, o.ods_code AS site_ods, i.ods_code AS identified_by_ods
        FROM participants p JOIN sites x ON x.id = p.site_id JOIN studies s ON s.id = x.study_id
        JOIN organisations o ON o.id = x.organisation_id LEFT JOIN organisations i ON i.id = p.identified_by_id
        """

    static let countSelect: SQLQueryString = """
        SELECT c.id, c.site_id, c.last_changed, c.last_changed_by, c.period_start, c.period_end, c."count" AS "count", c.confirmed, s.cpms_id AS cpms_id, o.ods_code AS site_ods
        FROM recruitment_counts c JOIN sites x ON x.id = c.site_id JOIN studies s ON s.id = x.study_id
        JOIN organisations o ON o.id = x.organisation_id
        """

    /// The statuses that count as recruited, for SQL `IN` lists.
    static let recruitedStatuses: SQLQueryString = "('recruited', 'withdrawn')"
}
