import FluentKit
import SQLKit

extension Database {
    /// A transaction that will write. On SQLite it takes the write lock with its first statement:
    /// a transaction that reads first and writes later cannot wait its turn in write-ahead-log mode
    /// (another writer may have committed since its read began), so SQLite refuses it at once with
    /// "database is locked". Taking the lock first makes concurrent writers queue instead, for up to
    /// `SQLiteWriteLock.waitMilliseconds`. PostgreSQL needs none of this.
    public func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { transaction in
            if let sql = transaction as? any SQLDatabase, sql.dialect.name == "sqlite" {
                try await sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(SQLiteWriteLock.waitMilliseconds))").run()
                try await sql.raw("UPDATE audit_chain SET id = id").run()
            }
            return try await body(transaction)
        }
    }
}

public enum SQLiteWriteLock {
    /// How long a write waits for another to finish before Pace answers "busy, try again" (503).
    public static let waitMilliseconds = 15_000

    /// How long a request waits for one of the process's SQLite connections. SQLite writes one at a
    /// time whatever the pool, so a request queued for a connection is waiting for the same thing as
    /// one waiting for the lock, behind every write queued before it: a burst of sign-ins or a second
    /// process recording at the same sites could wait past the driver's 10 seconds on a busy machine
    /// and lose writes that would have landed a moment later. Long enough for a queue of writers;
    /// short enough that, with the write lock's 15 seconds, a database really stuck answers 503 before
    /// a proxy in front gives up (nginx waits 60 seconds).
    public static let connectionWaitSeconds: Int64 = 30
}
