import FluentKit
import Foundation
import PaceCore
import SQLKit

/// Failed sign-ins counted per client address, so one address cannot guess at (or lock) account after
/// account: past `limit` attempts in `windowMinutes`, its sign-ins are refused before any password or
/// account is looked at. Kept in the database, so every server sharing it counts together.
public struct SignInThrottle: Sendable {
    public static let limit = 20
    public static let windowMinutes = 15

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Counts an attempt from `address` (in one statement, so a burst cannot slip past) and answers
    /// whether it may go on. A sign-in that succeeds is taken back off with `succeeded`.
    public func attempt(from address: String, at now: Date = Date()) async throws -> Bool {
        let current = AuditTrail.timestamp(now)
        let cutoff = AuditTrail.timestamp(now.addingTimeInterval(-Double(Self.windowMinutes * 60)))
        let key = String(address.prefix(64))
        let count = try await database.writeTransaction { transaction in
            try await transaction.sql().raw("""
                INSERT INTO sign_in_addresses (address, window_started_at, attempts) VALUES (\(bind: key), \(bind: current), 1)
                ON CONFLICT (address) DO UPDATE SET
                    attempts = CASE WHEN sign_in_addresses.window_started_at <= \(bind: cutoff) THEN 1 ELSE sign_in_addresses.attempts + 1 END,
                    window_started_at = CASE WHEN sign_in_addresses.window_started_at <= \(bind: cutoff) THEN \(bind: current) ELSE sign_in_addresses.window_started_at END
                RETURNING attempts
                """).first()?.decode(column: "attempts", as: Int.self) ?? 1
        }
        return count <= Self.limit
    }

    public func succeeded(from address: String) async throws {
        try await database.writeTransaction { transaction in
            try await transaction.sql().raw("UPDATE sign_in_addresses SET attempts = attempts - 1 WHERE address = \(bind: String(address.prefix(64))) AND attempts > 0").run()
        }
    }
}

struct CreateSignInThrottle: AsyncMigration {
    var name: String { "Pace.CreateSignInThrottle" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_addresses")
            .field("address", .string, .identifier(auto: false))
            .field("window_started_at", .string, .required)
            .field("attempts", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sign_in_addresses").delete()
    }
}

/// A message kept with the session for the page after a save, so nothing a person typed travels in a URL.
struct AddSessionFlash: AsyncMigration {
    var name: String { "Pace.AddSessionFlash" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sessions").field("flash", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sessions").deleteField("flash").update()
    }
}
