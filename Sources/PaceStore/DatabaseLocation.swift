import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver

/// Where Pace keeps its data: an embedded SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(url: String)

    public static let environmentVariable = "PACE_DATABASE_URL"
    public static let defaultValue = "sqlite:pace.sqlite"

    public struct Invalid: Error, CustomStringConvertible {
        public let value: String
        public var description: String {
            "\(DatabaseLocation.environmentVariable)='\(value)' is not a database URL: use sqlite:PATH (e.g. sqlite:pace.sqlite) or postgres://user:password@host:port/database"
        }
    }

    /// Reads `sqlite:PATH`, `sqlite::memory:` or a `postgres://` / `postgresql://` URL.
    public init(parsing value: String) throws {
        if value == "sqlite::memory:" {
            self = .sqliteMemory
        } else if value.hasPrefix("sqlite:") {
            var path = String(value.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw Invalid(value: value) }
            self = .sqliteFile(path: path)
        } else if value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") {
            self = .postgres(url: value)
        } else {
            throw Invalid(value: value)
        }
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The location with any password hidden, for logs and messages.
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "sqlite:\(path)"
        case .sqliteMemory: return "sqlite::memory:"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
            let credentials = url[scheme.upperBound..<at]
            guard let colon = credentials.firstIndex(of: ":") else { return url }
            return String(url[..<colon]) + ":***" + String(url[at...])
        }
    }

    /// The Fluent configuration for this location.
    public func configuration() throws -> DatabaseConfigurationFactory {
        switch self {
        case .sqliteFile(let path):
            return .sqlite(.file(path), connectionPoolTimeout: .seconds(SQLiteWriteLock.connectionWaitSeconds), sqlLogLevel: nil)
        case .sqliteMemory:
            return .sqlite(.memory, connectionPoolTimeout: .seconds(SQLiteWriteLock.connectionWaitSeconds), sqlLogLevel: nil)
        case .postgres(let url):
            do {
                return try .postgres(url: url, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace)
            } catch {
                throw Invalid(value: description)
            }
        }
    }

    public var databaseID: DatabaseID {
        isPostgres ? .psql : .sqlite
    }
}
