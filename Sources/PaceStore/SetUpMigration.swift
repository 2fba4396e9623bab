import FluentKit
import PaceCore
import SQLKit

/// Set-up work and amendments at each site (issue 14), and the office's own list of set-up steps.
struct CreateSetUpAndAmendments: AsyncMigration {
    var name: String { "Pace.CreateSetUpAndAmendments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("set_up_step_kinds")
            .field("id", .int, .identifier(auto: true))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("usual_holder", .string, .required)
            .field("position", .int, .required)
            .unique(on: "code")
            .create()
        try await database.schema("set_up_steps")
            .field("id", .int, .identifier(auto: true))
            .field("site_id", .int, .required, .references("sites", "id", onDelete: .cascade))
            .field("step", .string, .required)
            .field("held_by", .string, .required)
            .field("started", .string, .required)
            .field("completed", .string)
            .field("owner", .string)
            .field("outcome", .string)
            .field("note", .string)
            .field("last_changed", .string)
            .field("last_changed_by", .string)
            .unique(on: "site_id", "step")
            .create()
        try await database.schema("amendments")
            .field("id", .int, .identifier(auto: true))
            .field("site_id", .int, .required, .references("sites", "id", onDelete: .cascade))
            .field("amendment_ref", .string, .required)
            .field("received", .string, .required)
            .field("category", .string)
            .field("needs_reconfirmation", .bool)
            .field("assessed", .string)
            .field("implemented", .string)
            .field("description", .string)
            .field("last_changed", .string)
            .field("last_changed_by", .string)
            .unique(on: "site_id", "amendment_ref")
            .create()
        let sql = try database.sql()
        try await sql.create(index: "set_up_steps_open").on("set_up_steps").column("completed").run()
        try await sql.create(index: "amendments_received").on("amendments").column("received").run()
        for (position, kind) in SetUpStepKind.usual.enumerated() {
            try await sql.insert(into: "set_up_step_kinds").columns("code", "name", "usual_holder", "position")
                .values(SQLBind(kind.code), SQLBind(kind.name), SQLBind(kind.usualHolder.rawValue), SQLBind(position)).run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["amendments", "set_up_steps", "set_up_step_kinds"] {
            try await database.schema(table).delete()
        }
    }
}
