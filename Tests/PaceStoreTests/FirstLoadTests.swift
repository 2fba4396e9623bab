import FluentKit
import Foundation
import PaceCore
@testable import PaceStore
import SQLKit
import Testing

/// A first load into SQLite writes participants with no key to meet and builds the unique key after
/// the rows; a key the file holds twice must still be found, named by both its rows, and leave
/// nothing written.
@Suite(.serialized) struct FirstLoadTests {
    let imports = ImportTests()

    func loadReferences(_ database: any Database) async throws {
        _ = try await imports.importText(.organisations, ImportTests.organisations, database)
        _ = try await imports.importText(.studies, ImportTests.studies, database)
        _ = try await imports.importText(.sites, ImportTests.sites, database)
    }

    @Test func writtenRowsFollowBlankLinesAndLongFields() {
        var written = WrittenRows()
        for row in [2, 3, 4, 6, 7, 10, 11, 12] { written.append(row: row) }
        #expect((0..<8).map { written.row(at: $0) } == [2, 3, 4, 6, 7, 10, 11, 12])
        #expect(written.row(at: 8) == nil)
        #expect(written.row(at: -1) == nil)
        var long = WrittenRows()
        for row in 2...1_000_001 { long.append(row: row) }
        #expect(long.row(at: 999_999) == 1_000_001)
    }

    @Test(arguments: TestDatabases.locations)
    func aKeyRepeatedAcrossBatchesOfAFirstLoadIsNamedByBothRows(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "firstload") { database in
            try await loadReferences(database)
            var lines = ["cpms_id,site_ods,participant_id,status,consent_date"]
            for number in 1...2_500 { lines.append("41001,RT5,LONG-\(number),consented,2024-07-01") }
            // Blank lines move the rows after them away from the records' positions. The repeats are in the
            // last batch written, their first rows in the first and second.
            lines.insert("", at: 1_200)
            lines.insert("", at: 1_300)
            lines.append("41001,RT5,LONG-7,consented,2024-07-02")
            lines.append("41001,RT5,LONG-1500,consented,2024-07-02")
            let error = try await #require(throws: ImportRejected.self) {
                try await imports.importText(.participants, lines.joined(separator: "\n"), database)
            }
            let found = error.issues.map(\.description)
            // A line's row is its place in the file, the header being row 1.
            let row = { (line: String) in (lines.firstIndex(of: line) ?? 0) + 1 }
            let seven = row("41001,RT5,LONG-7,consented,2024-07-01"), late = row("41001,RT5,LONG-1500,consented,2024-07-01")
            #expect((seven, late) == (8, 1_503))
            #expect(lines.count == 2_505)
            let expected = [
                "participants.csv:2504:participant_id: participant LONG-7 of CPMS 41001 at RT5 appears more than once in this file",
                "participants.csv:2505:participant_id: participant LONG-1500 of CPMS 41001 at RT5 appears more than once in this file",
            ]
            #expect(found.count == 2)
            for (line, prefix) in zip(found, expected) { #expect(line.hasPrefix(prefix), "\(line)") }
            if !location.isPostgres {
                #expect(found == zip(expected, [seven, late]).map { "\($0) (first at row \($1))" })
            }
            let sql = try database.sql()
            #expect(try await Importer.rowCount("participants", sql) == 0)
            // The refused load left the key in place: a repeated key is still refused row by row.
            let summary = try await imports.importText(.participants, ImportTests.participants, database)
            #expect(summary.created == 3)
            await #expect(throws: (any Error).self) {
                try await sql.raw("INSERT INTO participants (site_id, participant_id, status) SELECT site_id, participant_id, status FROM participants LIMIT 1").run()
            }
        }
    }

    /// An export loaded into an empty register (it carries `last_changed`), or a file confirmed on the
    /// page (its rows stand for the preview's time): nothing stored can be newer than the file, so
    /// nothing is looked up row by row while the key is not built, and a repeat is named as one
    /// instead of as a change made in Pace.
    @Test(arguments: TestDatabases.locations)
    func aFirstLoadOfAnExportNamesARepeatNotAConflict(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "firstload") { database in
            try await loadReferences(database)
            var lines = ["cpms_id,site_ods,participant_id,status,consent_date,last_changed"]
            for number in 1...1_500 { lines.append("41001,RT5,EXP-\(number),consented,2024-07-01,2026-01-01T00:00:00.000Z") }
            let good = lines.joined(separator: "\n")
            lines.append("41001,RT5,EXP-7,consented,2024-07-02,2026-01-01T00:00:00.000Z")
            let options = ImportOptions(unstampedRowsAsOf: ChangeStamp.now())
            let error = try await #require(throws: ImportRejected.self) {
                try await Importer(database: database).importFile(.participants, named: "participants.csv", reader: CSVReader(text: lines.joined(separator: "\n")),
                                                                  sha256: { "test" }, by: .commandLine("test"), options: options)
            }
            let found = error.issues.map(\.description)
            #expect(found.count == 1)
            #expect(found.first?.hasPrefix("participants.csv:1502:participant_id: participant EXP-7 of CPMS 41001 at RT5 appears more than once in this file") == true, "\(found)")
            let summary = try await Importer(database: database).importFile(.participants, named: "participants.csv", reader: CSVReader(text: good),
                                                                            sha256: { "test" }, by: .commandLine("test"), options: options)
            #expect(summary.created == 1_500)
        }
    }

    @Test func aFirstLoadBuildsTheKeyAndTheRollUpsAfterItsRows() async throws {
        try await TestDatabases.with(.sqliteMemory, suite: "firstload") { database in
            try await loadReferences(database)
            var lines = ["cpms_id,site_ods,participant_id,status,consent_date,recruited_date"]
            for number in 1...3_000 { lines.append("41001,RT5,FIRST-\(number),recruited,2024-07-01,2024-07-0\(number % 9 + 1)") }
            let text = lines.joined(separator: "\n")
            let first = try await imports.importText(.participants, text, database)
            #expect((first.created, first.changed, first.unchanged) == (3_000, 0, 0))
            let sql = try database.sql()
            let indexes = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'participants' ORDER BY name").all()
                .map { try $0.decode(column: "name", as: String.self) }
            #expect(indexes == ["participants_key", "participants_recruitment_day"])
            let register = Register(database: database)
            #expect(try await register.site(cpmsID: 41001, odsCode: "RT5")?.participantCount == 3_000)
            // The same file again is a re-import through the key: nothing new, nothing changed.
            let again = try await imports.importText(.participants, text, database)
            #expect((again.created, again.changed, again.unchanged) == (0, 0, 3_000))
        }
    }

    /// A database made before the key was a named index keeps every participant with their numbers,
    /// and the key still refuses a repeat.
    @Test func theKeyBecomesANamedIndexWithEveryRowKept() async throws {
        let opened = try PaceDatabase(.sqliteMemory)
        let database = try opened.database
        let migrations = Migrations()
        migrations.add(PaceMigrations.all.filter { !($0 is NameParticipantKey) }, to: DatabaseLocation.sqliteMemory.databaseID)
        let migrator = Migrator(databases: opened.databases, migrations: migrations, logger: Logger(label: "test"), on: opened.databases.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        try await loadReferences(database)
        _ = try await imports.importText(.participants, ImportTests.participants, database)
        let sql = try database.sql()
        try await sql.raw("DELETE FROM participants WHERE participant_id = 'CALM-003'").run()
        func rows() async throws -> [String] {
            try await sql.raw("SELECT * FROM participants ORDER BY id").all().map { row in
                NameParticipantKey.columns.map { column in
                    let number = try? row.decode(column: column, as: Int.self)
                    return number.map(String.init) ?? (try? row.decode(column: column, as: String.self)) ?? "null"
                }.joined(separator: "|")
            }
        }
        let before = try await rows()
        #expect(before.count == 2)
        try await opened.migrate()
        #expect(try await rows() == before)
        let columns = try await sql.raw("SELECT name FROM pragma_table_info('participants') ORDER BY cid").all().map { try $0.decode(column: "name", as: String.self) }
        #expect(columns == NameParticipantKey.columns)
        let references = try await sql.raw("SELECT \"table\" FROM pragma_foreign_key_list('participants') ORDER BY \"table\"").all().map { try $0.decode(column: "table", as: String.self) }
        #expect(references == ["organisations", "sites"])
        await #expect(throws: (any Error).self) {
            try await sql.raw("INSERT INTO participants (site_id, participant_id, status) SELECT site_id, participant_id, status FROM participants LIMIT 1").run()
        }
        await opened.shutdown()
    }
}
