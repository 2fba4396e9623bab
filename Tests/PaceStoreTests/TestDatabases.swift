import FluentKit
import Foundation
import PaceCore
import PaceStore
import SQLKit

/// The databases store tests run against: always SQLite, and PostgreSQL when `PACE_TEST_POSTGRES_URL` is set.
enum TestDatabases {
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PACE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var locations: [DatabaseLocation] {
        var locations: [DatabaseLocation] = [.sqliteMemory]
        if let postgresURL { locations.append(.postgres(url: postgresURL)) }
        return locations
    }

    /// A suite's own PostgreSQL database (suites and test targets run at the same time).
    static func resolve(_ location: DatabaseLocation, suite: String) async throws -> DatabaseLocation {
        guard case .postgres(let url) = location else { return location }
        return try await DatabaseLocation.separatePostgres(baseURL: url, suffix: "store_\(suite)")
    }

    /// Opens a fresh, migrated database, runs `body`, and closes it. PostgreSQL is emptied first, so
    /// suites that use it must be serialized.
    static func with<T>(_ location: DatabaseLocation, suite: String, _ body: (any Database) async throws -> T) async throws -> T {
        let location = try await resolve(location, suite: suite)
        let opened = try PaceDatabase(location)
        do {
            if location.isPostgres, let sql = try opened.database as? any SQLDatabase {
                try await sql.raw("DROP SCHEMA public CASCADE").run()
                try await sql.raw("CREATE SCHEMA public").run()
            }
            try await opened.migrate()
            let result = try await body(opened.database)
            await opened.shutdown()
            return result
        } catch {
            await opened.shutdown()
            throw error
        }
    }
}

extension DemoPortfolio {
    /// Every site with its study and full recruitment history, ordered by study and site: what the
    /// database's reports must agree with.
    var siteRecords: [SiteRecord] {
        sites.sorted { ($0.cpmsID, $0.siteODS) < ($1.cpmsID, $1.siteODS) }.compactMap { site in
            guard let study = studies.first(where: { $0.cpmsID == site.cpmsID }) else { return nil }
            return SiteRecord(study: study, site: site, history: RecruitmentHistory(
                participants: participants.filter { $0.cpmsID == site.cpmsID && $0.siteODS == site.siteODS },
                counts: counts.filter { $0.cpmsID == site.cpmsID && $0.siteODS == site.siteODS }
            ))
        }
    }
}
