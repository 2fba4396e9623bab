import FluentKit
import PaceCore
import SQLKit

/// Accounts, their sessions and API tokens, and the append-only, hash-chained audit trail.
struct CreateAccountsAndAuditTrail: AsyncMigration {
    var name: String { "Pace.CreateAccountsAndAuditTrail" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("id", .int, .identifier(auto: true))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("password_hash", .string, .required)
            .field("access_until", .string)
            .field("is_active", .bool, .required)
            .field("failed_sign_ins", .int, .required)
            .field("locked_until", .string)
            .field("created_at", .string, .required)
            .field("password_changed_at", .string, .required)
            .unique(on: "email")
            .create()

        try await database.schema("user_studies")
            .field("user_id", .int, .required, .references("users", "id"))
            .field("cpms_id", .int, .required)
            .unique(on: "user_id", "cpms_id")
            .create()

        // The session key is stored only as its SHA-256, so a copy of the database signs nobody in.
        try await database.schema("sessions")
            .field("key_hash", .string, .identifier(auto: false))
            .field("user_id", .int, .required, .references("users", "id"))
            .field("csrf_token", .string, .required)
            .field("created_at", .string, .required)
            .field("last_seen_at", .string, .required)
            .create()

        try await database.schema("api_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id"))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .string, .required)
            .field("last_used_at", .string)
            .field("revoked_at", .string)
            .unique(on: "token_hash")
            .create()

        try await database.schema("audit_events")
            .field("sequence", .int, .identifier(auto: false))
            .field("occurred_at", .string, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("record_type", .string, .required)
            .field("record_key", .string, .required)
            .field("changes", .string, .required)
            .field("reason", .string, .required)
            .field("request_id", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "audit_events_by_record").on("audit_events").column("record_type").column("record_key").run()

        // One row: the end of the chain. Appending updates it first, which makes concurrent appends wait
        // their turn, so the chain never forks.
        try await database.schema("audit_chain")
            .field("id", .int, .identifier(auto: false))
            .field("last_sequence", .int, .required)
            .field("last_hash", .string, .required)
            .create()
        try await sql.raw("INSERT INTO audit_chain (id, last_sequence, last_hash) VALUES (1, 0, \(bind: AuditEvent.genesisHash))").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["audit_chain", "audit_events", "api_tokens", "sessions", "user_studies", "users"] {
            try await database.schema(table).delete()
        }
    }
}
