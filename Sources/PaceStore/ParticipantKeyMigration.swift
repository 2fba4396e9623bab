import FluentKit
import SQLKit

/// On SQLite the participants' unique key (site, participant) becomes a named index, so a first load
/// into the empty table can build it once after the rows: kept in order row by row, that key cost
/// about as much as SQLite's own bare `.import` of the whole file. SQLite cannot drop a table
/// constraint, so the table is built again with the same columns and rows. PostgreSQL keeps its
/// constraint: it never drops an index under a load, since that would lock out every reader.
struct NameParticipantKey: AsyncMigration {
    var name: String { "Pace.NameParticipantKey" }

    static let key = SecondaryIndex(name: "participants_key", table: "participants", columns: ["site_id", "participant_id"], unique: true)

    /// Every column of the table, in order, as the earlier migrations left it.
    static let columns = [
        "id", "site_id", "participant_id", "status", "consent_date", "recruited_date", "withdrawn_date",
        "identified_by_id", "import_id", "recruitment_day", "last_changed", "last_changed_by",
    ]

    func prepare(on database: any Database) async throws {
        try await Self.rebuild(database, keyAsConstraint: false)
    }

    func revert(on database: any Database) async throws {
        try await Self.rebuild(database, keyAsConstraint: true)
    }

    /// Builds the table again with its key as a table constraint (as `CreateRegister` made it) or as
    /// the named index, keeping every row, its number and the day index.
    static func rebuild(_ database: any Database, keyAsConstraint: Bool) async throws {
        guard try database.sql().dialect.name == "sqlite" else { return }
        let constraint: SQLQueryString = keyAsConstraint
            ? ", CONSTRAINT \"uq:participants.site_id+participants.participant_id\" UNIQUE (\"site_id\", \"participant_id\")" : ""
        // One connection for the whole rebuild: a reader elsewhere sees the old table or the new one.
        try await database.transaction { transaction in
            let sql = try transaction.sql()
            try await sql.raw("""
                CREATE TABLE participants_rebuilt (
                    "id" INTEGER PRIMARY KEY,
                    "site_id" INTEGER NOT NULL REFERENCES "sites" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
                    "participant_id" TEXT NOT NULL,
                    "status" TEXT NOT NULL,
                    "consent_date" TEXT,
                    "recruited_date" TEXT,
                    "withdrawn_date" TEXT,
                    "identified_by_id" INTEGER REFERENCES "organisations" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION,
                    "import_id" INTEGER,
                    "recruitment_day" TEXT,
                    "last_changed" TEXT,
                    "last_changed_by" TEXT
                """ + constraint + ")").run()
            let list = SQLQueryString(columns.map { "\"\($0)\"" }.joined(separator: ", "))
            try await sql.raw("INSERT INTO participants_rebuilt (" + list + ") SELECT " + list + " FROM participants ORDER BY id").run()
            try await sql.raw("DROP TABLE participants").run()
            try await sql.raw("ALTER TABLE participants_rebuilt RENAME TO participants").run()
            if !keyAsConstraint { try await key.create(sql) }
            try await RecruitmentRollups.participantsByDay.create(sql)
        }
    }
}
