import FluentKit
import Foundation
import SQLKit

/// A consistent copy of a SQLite database, taken while Pace keeps serving (SQLite's `VACUUM INTO`).
/// PostgreSQL has its own tool for this, `pg_dump`.
public enum Backup {
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    public static let postgresRefusal = Refused(description: "Pace's backup copies SQLite files. For PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=pace.dump \"$PACE_DATABASE_URL\"")

    /// Writes the copy to `path`, which must not exist yet; answers its size in bytes.
    public static func sqlite(_ database: any Database, location: DatabaseLocation, to path: String) async throws -> Int {
        switch location {
        case .postgres:
            throw postgresRefusal
        case .sqliteMemory:
            throw Refused(description: "An in-memory database has nothing to back up.")
        case .sqliteFile:
            break
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw Refused(description: "\(path) already exists; choose a new file so no backup is overwritten.")
        }
        let sql = try database.sql()
        try await sql.raw("VACUUM INTO \(bind: path)").run()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { throw Refused(description: "\(path): the copy was not written.") }
        return size
    }
}
