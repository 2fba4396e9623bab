import FluentKit
import Foundation
import PaceStore
import SQLKit
import Testing

/// A database Pace cannot reach is told apart from a query that went wrong: the first is answered 503
/// and passes by itself, the second is a bug.
@Suite struct DatabaseAvailabilityTests {
    @Test func aRefusedPostgreSQLConnectionIsUnavailable() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let opened = try PaceDatabase(.postgres(url: "postgres://pace:pace@127.0.0.1:1/pace?sslmode=disable"))
        do {
            let sql = try #require(opened.database as? any SQLDatabase)
            try await sql.raw("SELECT 1").run()
            Issue.record("a query on a closed port succeeded")
        } catch {
            #expect(DatabaseAvailability.isUnavailable(error), "\(String(reflecting: error))")
        }
        await opened.shutdown()
    }

    @Test func aFaultyQueryIsNotUnavailability() async throws {
        var locations: [DatabaseLocation] = [.sqliteMemory]
        if let url = TestDatabases.postgresURL { locations.append(.postgres(url: url)) }
        for location in locations {
            let opened = try PaceDatabase(location)
            do {
                let sql = try #require(opened.database as? any SQLDatabase)
                try await sql.raw("SELECT * FROM no_such_table").run()
                Issue.record("a query on a missing table succeeded")
            } catch {
                #expect(!DatabaseAvailability.isUnavailable(error), "\(String(reflecting: error))")
            }
            await opened.shutdown()
        }
    }
}
