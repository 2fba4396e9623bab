import FluentKit
import SQLKit

/// The schema, built with Fluent's portable schema builder so SQLite and PostgreSQL run the same migrations.
public enum PaceMigrations {
    public static var all: [any Migration] {
        [CreateRegister(), CreateMetricRules(), CreateRecruitmentRollups(), CreateAccountsAndAuditTrail(), CreateGCPRecords(), IndexStudiesByName(), CreateSignInThrottle(), AddSessionFlash(), AddCountConfirmation(), AddLastChanged(), CreatePendingImports(), CreateSetUpAndAmendments(), CoverRecruitmentDayWithSite(), NameParticipantKey()]
    }
}

struct CreateRegister: AsyncMigration {
    var name: String { "Pace.CreateRegister" }

    func prepare(on database: any Database) async throws {
        try await database.schema("organisations")
            .field("id", .int, .identifier(auto: true))
            .field("ods_code", .string, .required)
            .field("name", .string, .required)
            .field("type", .string, .required)
            .field("subtype", .string)
            .unique(on: "ods_code")
            .create()

        try await database.schema("studies")
            .field("id", .int, .identifier(auto: true))
            .field("cpms_id", .int, .required)
            .field("iras_id", .string)
            .field("short_name", .string, .required)
            .field("title", .string)
            .field("route", .string, .required)
            .field("design", .string)
            .field("ctimp", .bool)
            .field("phase", .string)
            .field("managing_specialty", .string)
            .field("chief_investigator", .string)
            .field("sample_size", .int)
            .field("planned_open", .string)
            .field("actual_open", .string)
            .field("planned_close", .string)
            .field("actual_close", .string)
            .field("status", .string)
            .unique(on: "cpms_id")
            .create()

        try await database.schema("study_themes")
            .field("id", .int, .identifier(auto: true))
            .field("study_id", .int, .required, .references("studies", "id", onDelete: .cascade))
            .field("theme", .string, .required)
            .unique(on: "study_id", "theme")
            .create()

        try await database.schema("study_organisations")
            .field("id", .int, .identifier(auto: true))
            .field("study_id", .int, .required, .references("studies", "id", onDelete: .cascade))
            .field("organisation_id", .int, .required, .references("organisations", "id"))
            .field("role", .string, .required)
            .unique(on: "study_id", "organisation_id", "role")
            .create()

        var sites = database.schema("sites")
            .field("id", .int, .identifier(auto: true))
            .field("study_id", .int, .required, .references("studies", "id", onDelete: .cascade))
            .field("organisation_id", .int, .required, .references("organisations", "id"))
            .field("role", .string, .required)
            .field("local_pi", .string)
            .field("site_target", .int)
            .field("planned_recruitment_start", .string)
            .field("planned_recruitment_end", .string)
        for column in SiteColumns.milestones {
            sites = sites.field(.string(column), .string)
        }
        try await sites
            .field("non_confirmation_status", .string)
            .field("delay_reason", .string)
            .field("delay_attribution", .string)
            .field("sponsor_intention", .string)
            .unique(on: "study_id", "organisation_id")
            .create()

        // Each import gets a number; large tables remember which import last wrote a row, so a key that
        // appears twice in one file is caught by the database instead of a set in memory.
        try await database.schema("imports")
            .field("id", .int, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("file_name", .string, .required)
            .field("started_at", .string, .required)
            .create()

        try await database.schema("participants")
            .field("id", .int, .identifier(auto: true))
            .field("site_id", .int, .required, .references("sites", "id", onDelete: .cascade))
            .field("participant_id", .string, .required)
            .field("status", .string, .required)
            .field("consent_date", .string)
            .field("recruited_date", .string)
            .field("withdrawn_date", .string)
            .field("identified_by_id", .int, .references("organisations", "id"))
            .field("import_id", .int)
            .unique(on: "site_id", "participant_id")
            .create()

        try await database.schema("recruitment_counts")
            .field("id", .int, .identifier(auto: true))
            .field("site_id", .int, .required, .references("sites", "id", onDelete: .cascade))
            .field("period_start", .string, .required)
            .field("period_end", .string, .required)
            .field("count", .int, .required)
            .field("import_id", .int)
            .unique(on: "site_id", "period_start")
            .create()

        let sql = try database.sql()
        try await sql.create(index: "sites_organisation").on("sites").column("organisation_id").run()
        try await sql.create(index: "study_organisations_organisation").on("study_organisations").column("organisation_id").run()
        try await sql.create(index: "study_themes_theme").on("study_themes").column("theme").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["recruitment_counts", "participants", "imports", "sites", "study_organisations", "study_themes", "studies", "organisations"] {
            try await database.schema(table).delete()
        }
    }
}

enum SiteColumns {
    static let milestones = [
        "date_site_invited", "date_site_selected", "regulatory_submission", "hra_approval",
        "date_site_confirmed_by_sponsor", "date_site_confirmed", "date_site_open",
        "first_participant_recruited", "last_participant_recruited", "closed_to_recruitment",
    ]
}

public struct NotSQLDatabase: Error, CustomStringConvertible {
    public var description: String { "the configured database does not speak SQL" }
}

extension Database {
    /// Every database Pace supports is an SQL database; this says so once instead of force-casting.
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw NotSQLDatabase() }
        return sql
    }
}
