import FluentKit
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// A database opened outside a web server (CLI commands and store tests), migrated on open.
public final class PaceDatabase: Sendable {
    public let location: DatabaseLocation
    public let databases: Databases
    private let threadPool: NIOThreadPool
    private let eventLoopGroup: MultiThreadedEventLoopGroup
    private let logger: Logger

    public init(_ location: DatabaseLocation, logger: Logger = Logger(label: "pace.database")) throws {
        self.location = location
        self.logger = logger
        threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        databases.use(try location.configuration(), as: location.databaseID)
    }

    public struct NotConfigured: Error {}

    public var database: any Database {
        get throws {
            guard let database = databases.database(location.databaseID, logger: logger, on: eventLoopGroup.any()) else {
                throw NotConfigured()
            }
            return database
        }
    }

    /// Applies every pending migration (idempotent).
    public func migrate() async throws {
        try await PaceDatabase.migrate(databases: databases, location: location, logger: logger, on: eventLoopGroup.any())
    }

    public static func migrate(databases: Databases, location: DatabaseLocation, logger: Logger, on eventLoop: any EventLoop) async throws {
        let migrations = Migrations()
        migrations.add(PaceMigrations.all, to: location.databaseID)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoop, migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        if case .sqliteFile = location, let sql = databases.database(location.databaseID, logger: logger, on: eventLoop) as? any SQLDatabase {
            // Write-ahead logging lets pages read while an import writes.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
    }

    public func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await eventLoopGroup.shutdownGracefully()
    }
}
