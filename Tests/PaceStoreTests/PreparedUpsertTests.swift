import FluentKit
import FluentSQLiteDriver
import Foundation
import NIOCore
import PaceCore
@testable import PaceStore
import SQLKit
import Testing

/// A large SQLite import writes through one prepared statement on its transaction's own connection.
/// SQLiteNIO keeps that connection's handle internal, so a new version that hides it would quietly
/// send imports back to the slow path: this says so instead.
@Suite struct PreparedUpsertTests {
    @Test func aSQLiteImportReachesItsConnectionInsideItsTransaction() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pace-prepared-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        for location in [DatabaseLocation.sqliteMemory, .sqliteFile(path: path)] {
            let opened = try PaceDatabase(location)
            try await opened.migrate()
            let database = try opened.database
            let columns = ["site_id", "participant_id", "status", "last_changed", "last_changed_by", "import_id"]
            let prepared = try await database.writeTransaction { transaction in
                try await LargeWriteSession().statement(
                    for: columns, compared: ["status"], table: "participants", conflictKey: ["site_id", "participant_id"], on: try transaction.sql()
                ) != nil
            }
            #expect(prepared, "\(location)")
            // Outside a transaction the connection goes back to the pool between queries, so no handle is kept.
            let outside = try await LargeWriteSession().statement(
                for: columns, compared: ["status"], table: "participants", conflictKey: ["site_id", "participant_id"], on: try database.sql()
            )
            #expect(outside == nil)
            await opened.shutdown()
        }
    }

    /// Reports read SQLite's rows on the raw connection in one hop; if SQLiteNIO stopped showing it,
    /// every report would quietly fall back to handing rows over one at a time.
    @Test func aSQLiteReadStepsTheRawConnectionAndAnswersAsTheDriverWould() async throws {
        let opened = try PaceDatabase(.sqliteMemory)
        do {
            try await opened.migrate()
            let database = try opened.database
            let sqlite = try #require(database as? any SQLiteDatabase)
            let reached = try await sqlite.directly { _ in true }
            #expect(reached == true)
            let rows = try await database.plainRows("SELECT 7 AS n, 'seven' AS word, 0.5 AS half, NULL AS missing UNION ALL SELECT \(bind: 8), \(bind: "eight"), 1.5, NULL")
            #expect(rows.map { try? $0.integer("n") } == [7, 8])
            #expect(rows.map { try? $0.text("word") } == ["seven", "eight"])
            #expect(rows.map { try? $0.text("missing") } == [nil, nil])
            #expect(rows.first?.integer(at: 0) == 7)
            let numbers = try await database.integerColumns("SELECT 1, 2 UNION ALL SELECT 3, NULL", width: 2)
            #expect(numbers == [1, 2, 3, 0])
        } catch {
            Issue.record(error)
        }
        await opened.shutdown()
    }

    /// Sums per key come out the same whether the database groups the rows (PostgreSQL) or Swift adds
    /// them up (SQLite).
    @Test(arguments: TestDatabases.locations)
    func sumsPerKeyAreTheSameOnEitherDatabase(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "sums") { database in
            let sql = try database.sql()
            try await sql.raw("CREATE TABLE summed (site_id INTEGER NOT NULL, n INTEGER NOT NULL, day TEXT NOT NULL)").run()
            try await sql.raw("INSERT INTO summed (site_id, n, day) VALUES (1, 2, '2026-01-01'), (1, 3, '2026-02-01'), (2, 5, '2026-01-15'), (3, 7, '2025-12-31'), (2, 0, '2026-03-01')").run()
            let sums = try await database.sums(of: "n", by: "site_id", from: "summed", where: "day >= \(bind: "2026-01-01")")
            #expect(sums == [1: 5, 2: 5])
            let counted = try await database.sums(of: "1", by: "site_id", from: "summed", where: "1 = 1")
            #expect(counted == [1: 2, 2: 2, 3: 1])
            #expect(try await database.sums(of: "n", by: "site_id", from: "summed", where: "day > \(bind: "2030-01-01")").isEmpty)
            try await sql.raw("DROP TABLE summed").run()
        }
    }

    @Test func postgreSQLCopiesEachBatchIntoAStagingTable() async throws {
        guard let url = TestDatabases.postgresURL else { return }
        try await TestDatabases.with(.postgres(url: url), suite: "prepared") { database in
            let (prepared, staged) = try await database.writeTransaction { transaction in
                let session = LargeWriteSession(), sql = try transaction.sql()
                let prepared = try await session.statement(
                    for: ["site_id", "participant_id"], compared: [], table: "participants", conflictKey: ["site_id", "participant_id"], on: sql
                ) != nil
                return (prepared, try await session.stagedBatch(on: sql) != nil)
            }
            #expect(!prepared)
            #expect(staged)
            // Outside a transaction there is no connection of its own to copy on.
            #expect(try await LargeWriteSession().stagedBatch(on: try database.sql()) == nil)
            // What a field may hold arrives exactly: spaces and slashes in a participant, and in the name of who wrote
            // it, a backslash (COPY's escape) and `\N` (its word for no value).
            let imports = ImportTests()
            _ = try await imports.importText(.organisations, ImportTests.organisations, database)
            _ = try await imports.importText(.studies, ImportTests.studies, database)
            _ = try await imports.importText(.sites, ImportTests.sites, database)
            let who = #"DOMAIN\N.o'brien"#
            let file = "cpms_id,site_ods,participant_id,status,consent_date\n41001,RT5,ZOE 01/a.b_c-d,consented,2024-07-01\n"
            let summary = try await Importer(database: database).importFile(
                .participants, named: "participants.csv", reader: CSVReader(text: file), sha256: { "test" }, by: .commandLine(who))
            #expect(summary.created == 1)
            let stored = try await database.sql().raw("SELECT participant_id, withdrawn_date, last_changed_by FROM participants").first()
            #expect(try stored?.decode(column: "participant_id", as: String.self) == "ZOE 01/a.b_c-d")
            #expect(try stored?.decode(column: "withdrawn_date", as: String?.self) == nil)
            #expect(try stored?.decode(column: "last_changed_by", as: String.self) == "cli:" + who)
        }
    }

    @Test func aCopiedValueIsWrittenInCopysTextFormat() {
        func copied(_ value: DatabaseValue) -> String {
            var buffer = ByteBuffer()
            PostgresStagedBatch.write(value, to: &buffer)
            return buffer.readString(length: buffer.readableBytes) ?? ""
        }
        #expect(copied(.text(nil)) == #"\N"#)
        #expect(copied(.integer(nil)) == #"\N"#)
        #expect(copied(.text(#"\N"#)) == #"\\N"#)
        #expect(copied(.text("a\tb\nc\rd")) == #"a\tb\nc\rd"#)
        #expect(copied(.integer(-42)) == "-42")
        #expect(copied(.boolean(true)) == "t")
        #expect(copied(.boolean(false)) == "f")
        #expect(copied(.text("Zoë")) == "Zoë")
    }

    /// The mark that stands in for the upsert on an unchanged record checks every value the upsert
    /// would compare, so it never keeps what the upsert would have changed.
    @Test func theMarkChecksEveryComparedValue() {
        let text = LargeWriteSession.marking(table: "recruitment_counts", compared: ["period_end", "count", "confirmed"])
        #expect(text == #"UPDATE "recruitment_counts" SET "import_id" = ?1 WHERE "id" = ?2 AND ("import_id" IS NULL OR "import_id" <> ?1) AND "period_end" IS ?3 AND "count" IS ?4 AND "confirmed" IS ?5"#)
    }

    @Test func theUpsertGuardsAKeyThisImportAlreadyWrote() {
        let text = LargeWriteSession.upsert(table: "participants", columns: ["site_id", "participant_id", "status", "import_id"], compared: ["status"], conflictKey: ["site_id", "participant_id"])
        #expect(text.components(separatedBy: "?").count - 1 == 5)
        #expect(text.contains("ON CONFLICT (\"site_id\", \"participant_id\") DO UPDATE SET \"status\" = excluded.\"status\", \"import_id\" = excluded.\"import_id\""))
        #expect(text.contains("WHERE \"participants\".\"import_id\" IS NULL OR \"participants\".\"import_id\" <> ?"))
        #expect(text.contains("CASE WHEN participants.\"status\" IS NOT excluded.\"status\" THEN excluded.\"last_changed\""))
    }

    /// A first load builds the day index after its rows; a file refused part-way leaves it as it was.
    @Test func aFirstLoadLeavesTheDayIndexInPlace() async throws {
        try await TestDatabases.with(.sqliteMemory, suite: "prepared") { database in
            let imports = ImportTests()
            _ = try await imports.importText(.organisations, ImportTests.organisations, database)
            _ = try await imports.importText(.studies, ImportTests.studies, database)
            _ = try await imports.importText(.sites, ImportTests.sites, database)
            let sql = try database.sql()
            func indexed() async throws -> Bool {
                try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'participants_recruitment_day'").first() != nil
            }
            await #expect(throws: ImportRejected.self) {
                _ = try await imports.importText(.participants, ImportTests.participants + "\n41001,RT5,CALM-009,recruited,not a date,,", database)
            }
            #expect(try await indexed())
            let summary = try await imports.importText(.participants, ImportTests.participants, database)
            #expect(summary.created == 3)
            #expect(try await indexed())
            // Part of a month's recruitment per site, as the dashboard counts it, from the index alone.
            let plan = try await sql.raw("EXPLAIN QUERY PLAN SELECT site_id, COUNT(*) FROM participants WHERE recruitment_day > '2024-06-01' AND recruitment_day <= '2024-06-30' GROUP BY site_id").all()
            #expect(try plan.contains { try $0.decode(column: "detail", as: String.self).contains("COVERING INDEX participants_recruitment_day") })
        }
    }

    /// A row with a value too few or too many is refused, not written with its values shifted.
    @Test func aRowMustFillEveryPlaceholder() async throws {
        let opened = try PaceDatabase(.sqliteMemory)
        try await opened.migrate()
        let database = try opened.database
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let connection = try #require(try await SQLitePreparedStatement.connectionHandle(of: sql))
            let statement = try SQLitePreparedStatement("SELECT ? || ? AS joined", on: connection)
            #expect(try statement.run([.text("a")], trailing: [.text("b")]) == .text("ab"))
            #expect(throws: SQLiteStatementError.self) { try statement.run([.text("a")]) }
            #expect(throws: SQLiteStatementError.self) { try statement.run([.text("a"), .text("b")], trailing: [.integer(1)]) }
        }
        await opened.shutdown()
    }

    /// The look-up a re-import runs for every row is prepared once: SQLite must not prepare it again
    /// for each new key (it did while the bindings were cleared after every run, a third of a
    /// re-import's time).
    @Test func theRecordLookUpIsPreparedOnceForEveryKey() async throws {
        try await TestDatabases.with(.sqliteMemory, suite: "prepared") { database in
            let imports = ImportTests()
            try await imports.loadBasics(database)
            try await database.writeTransaction { transaction in
                let sql = try transaction.sql()
                let session = LargeWriteSession()
                let lookup = try #require(try await session.lookup(ParticipantWriter.recordLookup(sql), on: sql))
                let site = try #require(try await sql.raw("SELECT site_id FROM participants LIMIT 1").first()?.decode(column: "site_id", as: Int.self))
                var found: [String] = []
                for _ in 0..<10 {
                    for number in 1...4 {
                        for row in try lookup.rows([.integer(site), .text("CALM-00\(number)")]) {
                            found.append(try ParticipantWriter.record(from: row)?.participantID ?? "")
                        }
                    }
                }
                #expect(found.count == 30)
                #expect(Set(found) == ["CALM-001", "CALM-002", "CALM-003"])
                // SQLite plans `site_id = 1` apart from other numbers, so binding site 1 the first time
                // may prepare it once more; clearing the bindings prepared it again on every run.
                #expect(lookup.reprepared <= 1)
            }
        }
    }
}
