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
