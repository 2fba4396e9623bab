import FluentKit
import PaceCore
import SQLKit

/// Monthly recruitment per site, and each site's totals, kept current whenever participants or counts
/// are written, so reports over a whole region never rescan participant rows.
///
/// `participants.recruitment_day` holds the day a participant counts as recruited (domain.md §4), or
/// null when their status does not count; `recruitment_monthly` sums it with the counts (dated on their
/// period end) per site and calendar month; `site_recruitment` holds each site's total, first and last day.
enum RecruitmentRollups {
    /// The participant columns that decide `recruitment_day`; when an import leaves one out, the day is
    /// recomputed in the database from the stored values.
    static let decidingColumns: Set<String> = ["status", "consent_date", "recruited_date"]

    static let recruitmentDayExpression: SQLQueryString = """
        CASE WHEN status IN ('recruited', 'withdrawn') THEN COALESCE(recruited_date, consent_date) END
        """

    /// The indexes reports read recruitment through, by day. A first load into an empty table builds
    /// them once after the rows, which costs far less than keeping them in order row by row.
    /// With the site, so recruitment in a range of days is counted per site from the index alone.
    static let participantsByDay = SecondaryIndex(name: "participants_recruitment_day", table: "participants", columns: ["recruitment_day", "site_id"])
    static let countsByPeriodEnd = SecondaryIndex(name: "recruitment_counts_period_end", table: "recruitment_counts", columns: ["period_end"])

    /// Recomputes the roll-ups of the given sites from their participants and counts, in the caller's transaction.
    static func refresh(sites: Set<Int>, recomputeRecruitmentDays: Bool, _ sql: any SQLDatabase) async throws {
        // The recruitment-day test is written so no index can serve it: the planner must find the rows
        // through the site, not scan every recruited participant for each chunk of sites.
        for chunk in sites.sorted().chunked(into: 500) {
            let ids = SQLQueryString(chunk.map(String.init).joined(separator: ", "))
            if sql.dialect.name != "sqlite" {
                // Two writers refreshing one site would each delete its roll-up rows and then both insert
                // them again; locking the site rows (in id order, so writers never wait on each other in
                // a circle) makes the second wait and then see the first's participants. NO KEY UPDATE,
                // because each writer already holds the KEY SHARE lock its participant's foreign key took,
                // which a full UPDATE lock would wait on forever. SQLite lets one writer in at a time.
                try await sql.raw("SELECT id FROM sites WHERE id IN (\(ids)) ORDER BY id FOR NO KEY UPDATE").run()
            }
            if recomputeRecruitmentDays {
                try await sql.raw("UPDATE participants SET recruitment_day = " + recruitmentDayExpression + " WHERE site_id IN (\(ids))").run()
            }
            try await sql.raw("DELETE FROM recruitment_monthly WHERE site_id IN (\(ids))").run()
            try await sql.raw("""
                INSERT INTO recruitment_monthly (site_id, month, recruited, first_day, last_day)
                SELECT site_id, month, CAST(SUM(n) AS BIGINT), MIN(day), MAX(day) FROM (
                    SELECT site_id, substr(recruitment_day, 1, 7) || '-01' AS month, recruitment_day AS day, 1 AS n
                    FROM participants WHERE site_id IN (\(ids)) AND COALESCE(recruitment_day, '') <> ''
                    UNION ALL
                    SELECT site_id, substr(period_end, 1, 7) || '-01' AS month, period_end AS day, "count" AS n
                    FROM recruitment_counts WHERE "count" > 0 AND site_id IN (\(ids))
                ) events GROUP BY site_id, month
                """).run()
            try await sql.raw("DELETE FROM site_recruitment WHERE site_id IN (\(ids))").run()
            try await sql.raw("""
                INSERT INTO site_recruitment (site_id, recruited, first_day, last_day)
                SELECT site_id, CAST(SUM(recruited) AS BIGINT), MIN(first_day), MAX(last_day) FROM recruitment_monthly
                WHERE site_id IN (\(ids)) GROUP BY site_id
                """).run()
        }
    }

    /// Every site's roll-ups from scratch (after the migration that introduces them).
    static func rebuild(_ sql: any SQLDatabase) async throws {
        let ids = try await sql.raw("SELECT id FROM sites").all().map { try $0.decode(column: "id", as: Int.self) }
        try await refresh(sites: Set(ids), recomputeRecruitmentDays: true, sql)
    }
}

/// Adds the recruitment day to participants and the roll-up tables, and fills them from existing data.
struct CreateRecruitmentRollups: AsyncMigration {
    var name: String { "Pace.CreateRecruitmentRollups" }

    func prepare(on database: any Database) async throws {
        try await database.schema("participants").field("recruitment_day", .string).update()
        try await database.schema("recruitment_monthly")
            .field("site_id", .int, .required, .references("sites", "id", onDelete: .cascade))
            .field("month", .string, .required)
            .field("recruited", .int, .required)
            .field("first_day", .string, .required)
            .field("last_day", .string, .required)
            .unique(on: "site_id", "month")
            .create()
        try await database.schema("site_recruitment")
            .field("site_id", .int, .identifier(auto: false), .references("sites", "id", onDelete: .cascade))
            .field("recruited", .int, .required)
            .field("first_day", .string, .required)
            .field("last_day", .string, .required)
            .create()
        let sql = try database.sql()
        for index in [RecruitmentRollups.participantsByDay, RecruitmentRollups.countsByPeriodEnd] { try await index.create(sql) }
        // Covering, so a range of months is summed from the index alone.
        try await sql.create(index: "recruitment_monthly_month").on("recruitment_monthly").column("month").column("site_id").column("recruited").run()
        try await RecruitmentRollups.rebuild(sql)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("site_recruitment").delete()
        try await database.schema("recruitment_monthly").delete()
        try await database.schema("participants").deleteField("recruitment_day").update()
    }
}

/// A named index of a large table, which an import into the empty table may build after its rows
/// instead of during.
struct SecondaryIndex: Sendable {
    let name: String
    let table: String
    let columns: [String]
    var unique = false

    func create(_ sql: any SQLDatabase) async throws {
        let kind: SQLQueryString = unique ? "UNIQUE INDEX" : "INDEX"
        try await sql.raw("CREATE " + kind + " IF NOT EXISTS \(ident: name) ON \(ident: table) (" + SQLQueryString(columns.map { "\"\($0)\"" }.joined(separator: ", ")) + ")").run()
    }

    func drop(_ sql: any SQLDatabase) async throws {
        try await sql.raw("DROP INDEX IF EXISTS \(ident: name)").run()
    }
}
