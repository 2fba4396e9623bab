import FluentKit
import Foundation
import PaceCore
import PaceStore
import SQLKit
import Testing

/// Two Pace processes (a server and an import, or two servers) recording participants at the same sites
/// at once. On SQLite a transaction that read before writing was refused with "database is locked"; on
/// PostgreSQL two refreshes of one site's roll-ups collided on their unique key. Every write must land,
/// and the roll-ups must count each one.
@Suite(.serialized)
struct ConcurrentWriteTests {
    static var locations: [DatabaseLocation] {
        var locations: [DatabaseLocation] = [.sqliteFile(path: FileManager.default.temporaryDirectory.appendingPathComponent("pace-concurrent-\(UUID().uuidString).sqlite").path)]
        if let url = TestDatabases.postgresURL { locations.append(.postgres(url: url)) }
        return locations
    }

    /// A process has one SQLite connection per event loop. A write queued for it behind a long one
    /// (11 seconds, past the driver's own 10-second wait) waits its turn instead of being refused.
    @Test func aWriteQueuedBehindALongOneStillLands() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pace-queued-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let opened = try PaceDatabase(.sqliteFile(path: path))
        try await opened.migrate()
        let database = try opened.database
        let holding = Task {
            try await database.writeTransaction { _ in
                try await Task.sleep(for: .seconds(11))
                return true
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        let queued = try await database.writeTransaction { transaction in
            try await (transaction as? any SQLDatabase)?.raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self)
        }
        #expect(queued == 1)
        #expect(try await holding.value)
        await opened.shutdown()
    }

    @Test(arguments: locations)
    func writersAtTheSameSitesAtOnceAllLandAndAreCounted(location: DatabaseLocation) async throws {
        let asOf = try #require(Day(iso: "2026-11-27"))
        let portfolio = DemoPortfolio(seed: 8, asOf: asOf, studyCount: 12)
        // Sites that record participant by participant: a count site refuses participant records.
        let countSites = Set(portfolio.counts.map { "\($0.cpmsID)/\($0.siteODS)" })
        let open = portfolio.sites.filter {
            $0.role.recruits && $0.dateSiteOpen != nil && $0.closedToRecruitment == nil && !countSites.contains("\($0.cpmsID)/\($0.siteODS)")
        }.prefix(3)
        try #require(open.count == 3)
        try await TestDatabases.with(location, suite: "concurrent") { database in
            try await Register(database: database).load(portfolio, by: .commandLine("test"))
        }
        let resolved = try await TestDatabases.resolve(location, suite: "concurrent")
        let first = try PaceDatabase(resolved), second = try PaceDatabase(resolved)
        let register = Register(database: try first.database)
        var before: [Int] = []
        for site in open {
            before.append(try #require(try await register.site(cpmsID: site.cpmsID, odsCode: site.siteODS, participantLimit: 0)).recruited)
        }
        let registers = [Register(database: try first.database), Register(database: try second.database)]
        let writes = 60
        let refused = await withTaskGroup(of: String?.self) { group in
            for number in 0..<writes {
                let site = open[open.startIndex + number % open.count]
                var participant = Participant(cpmsID: site.cpmsID, siteODS: site.siteODS, participantID: "CONCURRENT-\(number)", status: .recruited)
                participant.consentDate = site.dateSiteOpen
                group.addTask {
                    do {
                        try await registers[number % 2].save(participant, .create, by: .commandLine("writer-\(number % 2)"))
                        return nil
                    } catch {
                        return String(reflecting: error)
                    }
                }
            }
            var refused: [String] = []
            for await problem in group { if let problem { refused.append(problem) } }
            return refused
        }
        #expect(refused.isEmpty, "\(refused.count) of \(writes) writes refused, e.g. \(refused.first ?? "")")
        for (index, site) in open.enumerated() {
            let detail = try #require(try await register.site(cpmsID: site.cpmsID, odsCode: site.siteODS, participantLimit: 0))
            #expect(detail.recruited == before[index] + writes / open.count, "\(site.cpmsID)/\(site.siteODS)")
        }
        let verified = try await AuditTrail(database: try first.database).verify()
        #expect(verified.problem == nil)
        await first.shutdown()
        await second.shutdown()
        if case .sqliteFile(let path) = location {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }
}
