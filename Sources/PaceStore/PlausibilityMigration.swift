import PaceCore
import SQLKit
import FluentKit

/// A count above the plausible limit keeps the mark of the person who confirmed it, so the
/// data-quality page can list every confirmed outlier.
struct AddCountConfirmation: AsyncMigration {
    var name: String { "Pace.AddCountConfirmation" }

    func prepare(on database: any Database) async throws {
        try await database.schema("recruitment_counts").field("confirmed", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("recruitment_counts").deleteField("confirmed").update()
    }
}

/// Every register record remembers when it last changed and who changed it, so an import of an older
/// export is refused instead of silently undoing later work (interchange.md, `last_changed`).
struct AddLastChanged: AsyncMigration {
    var name: String { "Pace.AddLastChanged" }

    static let tables = ["organisations", "studies", "sites", "participants", "recruitment_counts"]

    func prepare(on database: any Database) async throws {
        let now = ChangeStamp.now()
        for table in Self.tables {
            // SQLite adds one column per statement.
            try await database.schema(table).field("last_changed", .string).update()
            try await database.schema(table).field("last_changed_by", .string).update()
            // Records from before change times were kept: their last change is this upgrade.
            try await database.sql().raw("UPDATE \(ident: table) SET last_changed = \(bind: now), last_changed_by = \(bind: "before change times were kept")").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in Self.tables {
            try await database.schema(table).deleteField("last_changed").update()
            try await database.schema(table).deleteField("last_changed_by").update()
        }
    }
}
