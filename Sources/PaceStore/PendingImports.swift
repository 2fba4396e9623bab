import FluentKit
import Foundation
import PaceCore
import SQLKit

/// A file uploaded in the browser and shown as a preview, kept until the person confirms it. It is
/// kept in the database, not on one server's disk, so the confirmation may reach either server.
public struct PendingImport: Sendable {
    public let token: String
    public let userID: Int
    public let kind: InterchangeKind
    public let fileName: String
    public let reason: String?
    public let confirmingLargeCounts: Bool
    public let bytes: [UInt8]
    /// When the preview checked the file: a record changed after it makes the confirmation a conflict.
    public let checkedAt: String
}

public struct PendingImports: Sendable {
    /// A preview not confirmed within this time is thrown away.
    public static let lifetime: TimeInterval = 3_600

    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Keeps the file for its uploader under a random token that confirms it.
    public func keep(token: String, userID: Int, kind: InterchangeKind, fileName: String, reason: String?, confirmingLargeCounts: Bool, bytes: [UInt8], checkedAt: String) async throws {
        let sql = try database.sql()
        let now = Date()
        try await sql.raw("DELETE FROM pending_imports WHERE created_at < \(bind: LocalTime.stored(now.addingTimeInterval(-Self.lifetime)))").run()
        try await sql.raw("""
            INSERT INTO pending_imports (token, user_id, kind, file_name, reason, confirm_counts, content, created_at, checked_at)
            VALUES (\(bind: token), \(bind: userID), \(bind: kind.rawValue), \(bind: String(fileName.prefix(200))), \(bind: reason), \(bind: confirmingLargeCounts),
                    \(bind: Data(bytes).base64EncodedString()), \(bind: LocalTime.stored(now)), \(bind: checkedAt))
            """).run()
    }

    /// The file kept under the token for this person, and no one else; nil once it has expired.
    public func take(token: String, userID: Int) async throws -> PendingImport? {
        let sql = try database.sql()
        let oldest = LocalTime.stored(Date().addingTimeInterval(-Self.lifetime))
        guard let row = try await sql.raw("""
            SELECT * FROM pending_imports WHERE token = \(bind: token) AND user_id = \(bind: userID) AND created_at >= \(bind: oldest)
            """).first(),
              let kind = try row.text("kind").flatMap(InterchangeKind.init(rawValue:)),
              let content = try row.text("content"), let data = Data(base64Encoded: content) else { return nil }
        try await sql.raw("DELETE FROM pending_imports WHERE token = \(bind: token)").run()
        return PendingImport(
            token: token, userID: userID, kind: kind, fileName: try row.text("file_name") ?? "\(kind.rawValue).csv", reason: try row.text("reason"),
            confirmingLargeCounts: try row.boolean("confirm_counts") ?? false, bytes: Array(data),
            checkedAt: try row.text("checked_at") ?? ChangeStamp.now()
        )
    }
}

struct CreatePendingImports: AsyncMigration {
    var name: String { "Pace.CreatePendingImports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("pending_imports")
            .field("token", .string, .identifier(auto: false))
            .field("user_id", .int, .required, .references("users", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("file_name", .string, .required)
            .field("reason", .string)
            .field("confirm_counts", .bool, .required)
            .field("content", .string, .required)
            .field("created_at", .string, .required)
            .field("checked_at", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pending_imports").delete()
    }
}
