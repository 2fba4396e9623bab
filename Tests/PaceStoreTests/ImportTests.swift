import FluentKit
import PaceCore
import PaceStore
import SQLKit
import Testing

@Suite(.serialized)
struct ImportTests {
    static let organisations = """
        ods_code,name,type,subtype
        RT5,Leicestershire Partnership NHS Trust,nhs-trust,mental-health
        ULEIC,University of Leicester,university,
        C82001,Westcotes Medical Practice,gp-practice,primary-care
        """

    static let studies = """
        cpms_id,short_name,route,design,sponsor_ods,themes,status,planned_open
        41001,CALM,non-commercial,interventional,ULEIC,Data2Health;Mental Health and Wellbeing,Open to Recruitment,2024-05-01
        41002,"BRIDGE, the sequel",commercial,observational,,,In Setup,
        """

    static let sites = """
        cpms_id,site_ods,role,site_target,date_site_selected,date_site_open
        41001,RT5,recruiting,40,2024-04-01,2024-05-20
        41001,C82001,pic,,,
        """

    static let participants = """
        cpms_id,site_ods,participant_id,status,consent_date,recruited_date,identified_by_ods
        41001,RT5,CALM-001,recruited,2024-06-01,2024-06-03,C82001
        41001,RT5,CALM-002,failed-screening,2024-06-02,,
        41001,RT5,CALM-003,withdrawn,2024-06-10,2024-06-10,
        """

    func importText(_ kind: InterchangeKind, _ text: String, _ database: any Database) async throws -> ImportSummary {
        try await Importer(database: database).importFile(kind, named: "\(kind.rawValue).csv", reader: CSVReader(text: text), sha256: { "test" }, by: .commandLine("test"))
    }

    func loadBasics(_ database: any Database) async throws {
        _ = try await importText(.organisations, Self.organisations, database)
        _ = try await importText(.studies, Self.studies, database)
        _ = try await importText(.sites, Self.sites, database)
        _ = try await importText(.participants, Self.participants, database)
    }

    @Test(arguments: TestDatabases.locations)
    func importsAndCountsRecruitment(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "import") { database in
            try await loadBasics(database)
            let register = Register(database: database)
            let detail = try #require(try await register.study(41001))
            #expect(detail.study.themes == ["Data2Health", "Mental Health and Wellbeing"])
            #expect(detail.study.sponsorODS == "ULEIC")
            #expect(detail.sites.count == 2)
            let host = try #require(detail.sites.first { $0.site.siteODS == "RT5" })
            // Recruited and withdrawn count; failed screening never does.
            #expect(host.recruited == 2)
            let other = try #require(try await register.study(41002))
            #expect(other.study.shortName == "BRIDGE, the sequel")
        }
    }

    @Test(arguments: TestDatabases.locations)
    func importingTheSameFileTwiceChangesNothing(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "import") { database in
            try await loadBasics(database)
            let before = try await export(.participants, database)
            let summary = try await importText(.participants, Self.participants, database)
            #expect(summary.created == 0)
            #expect(summary.records == 3)
            #expect(try await export(.participants, database) == before)
        }
    }

    @Test(arguments: TestDatabases.locations)
    func oneBadRowRejectsTheWholeFile(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "import") { database in
            try await loadBasics(database)
            let bad = """
                cpms_id,site_ods,participant_id,status,consent_date,recruited_date
                41001,RT5,CALM-010,recruited,2024-07-01,2024-07-01
                41001,RT5,943 476 5919,recruited,2024-07-01,2024-07-01
                41001,RT5,CALM-012,recruited,2024-02-30,
                99999,RT5,CALM-013,recruited,2024-07-01,
                41001,C82001,CALM-014,recruited,2024-07-01,
                41001,RT5,CALM-010,recruited,2024-07-01,2024-07-01
                """
            let error = try await #require(throws: ImportRejected.self) {
                try await importText(.participants, bad, database)
            }
            let lines = error.issues.map(\.description)
            #expect(lines.contains { $0.hasPrefix("participants.csv:3:participant_id:") && $0.contains("NHS number") })
            #expect(lines.contains { $0.hasPrefix("participants.csv:4:consent_date:") })
            #expect(lines.contains { $0.hasPrefix("participants.csv:5:cpms_id:") && $0.contains("99999") })
            #expect(lines.contains { $0.hasPrefix("participants.csv:6:site_ods:") && $0.contains("Participant Identification Centre") })
            #expect(lines.contains { $0.hasPrefix("participants.csv:7:") && $0.contains("appears more than once in this file (first at row 2)") })
            let register = Register(database: database)
            let site = try #require(try await register.site(cpmsID: 41001, odsCode: "RT5"))
            #expect(site.participantCount == 3)
        }
    }

    @Test(arguments: TestDatabases.locations)
    func findsAKeyRepeatedFarApartInALongFile(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "import") { database in
            try await loadBasics(database)
            var lines = ["cpms_id,site_ods,participant_id,status,consent_date"]
            for number in 1...2_500 { lines.append("41001,RT5,LONG-\(number),consented,2024-07-01") }
            lines.append("41001,RT5,LONG-7,consented,2024-07-02")
            let error = try await #require(throws: ImportRejected.self) {
                try await importText(.participants, lines.joined(separator: "\n"), database)
            }
            #expect(error.issues.map(\.description) == [
                "participants.csv:2502:participant_id: participant LONG-7 of CPMS 41001 at RT5 appears more than once in this file",
            ])
            #expect(try await Register(database: database).site(cpmsID: 41001, odsCode: "RT5")?.participantCount == 3)
            // Without the repeat the same file imports, and importing it again changes nothing.
            let good = lines.dropLast().joined(separator: "\n")
            #expect(try await importText(.participants, good, database).created == 2_500)
            #expect(try await importText(.participants, good, database).created == 0)
        }
    }

    /// Re-importing a file: an unchanged record is only marked as this import's, and a key the file
    /// holds twice is still found, whether its repeat is the same or different.
    @Test(arguments: TestDatabases.locations)
    func findsAKeyRepeatedInAReImportOfUnchangedRecords(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "import") { database in
            try await loadBasics(database)
            var lines = ["cpms_id,site_ods,participant_id,status,consent_date"]
            for number in 1...2_500 { lines.append("41001,RT5,AGAIN-\(number),consented,2024-07-01") }
            let good = lines.joined(separator: "\n")
            #expect(try await importText(.participants, good, database).created == 2_500)
            for repeat_ in ["41001,RT5,AGAIN-7,consented,2024-07-01", "41001,RT5,AGAIN-7,consented,2024-07-02"] {
                let error = try await #require(throws: ImportRejected.self) {
                    try await importText(.participants, good + "\n" + repeat_, database)
                }
                #expect(error.issues.map(\.description) == [
                    "participants.csv:2502:participant_id: participant AGAIN-7 of CPMS 41001 at RT5 appears more than once in this file",
                ])
            }
            let again = try await importText(.participants, good, database)
            #expect((again.created, again.changed, again.unchanged) == (0, 0, 2_500))
            // A changed record among unchanged ones is written and counted.
            let changed = good.replacingOccurrences(of: "AGAIN-9,consented,2024-07-01", with: "AGAIN-9,consented,2024-07-03")
            let once = try await importText(.participants, changed, database)
            #expect((once.created, once.changed, once.unchanged) == (0, 1, 2_499))
            let sql = try #require(database as? any SQLDatabase)
            let stored = try await sql.raw("SELECT consent_date FROM participants WHERE participant_id = 'AGAIN-9'").first()
            #expect(try stored?.decode(column: "consent_date", as: String.self) == "2024-07-03")
            // A value the file does not show but the upsert compares (the derived recruitment day) is
            // still put right when the record is otherwise unchanged.
            try await sql.raw("UPDATE participants SET recruitment_day = NULL WHERE participant_id = 'CALM-001'").run()
            _ = try await importText(.participants, Self.participants, database)
            let day = try await sql.raw("SELECT recruitment_day FROM participants WHERE participant_id = 'CALM-001'").first()
            #expect(try day?.decode(column: "recruitment_day", as: String?.self) == "2024-06-03")
        }
    }

    @Test(arguments: TestDatabases.locations)
    func rejectsUnknownColumnsEmptyAndBinaryFiles(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "import") { database in
            let unknown = try await #require(throws: ImportRejected.self) {
                try await importText(.organisations, "ods_code,name,type,colour\nRT5,LPT,nhs-trust,blue\n", database)
            }
            #expect(unknown.issues.map(\.description) == [
                "organisations.csv:1:colour: unknown column 'colour'; organisations files have: ods_code, name, type, subtype, last_changed",
            ])
            let empty = try await #require(throws: ImportRejected.self) {
                try await importText(.organisations, "", database)
            }
            #expect(empty.issues.first?.row == 1)
            let binary = try await #require(throws: ImportRejected.self) {
                try await Importer(database: database).importFile(.organisations, named: "x.csv", reader: CSVReader(bytes: [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00]), sha256: { "test" }, by: .commandLine("test"))
            }
            #expect(binary.issues.first?.message.contains("not text") == true)
            #expect(try await Register(database: database).organisations().isEmpty)
        }
    }

    @Test(arguments: TestDatabases.locations)
    func exportThenImportRoundTripsTheDemoPortfolio(location: DatabaseLocation) async throws {
        let portfolio = DemoPortfolio(seed: 7, asOf: Day(iso: "2026-11-27")!, studyCount: 30)
        let first = try await TestDatabases.with(location, suite: "import") { database in
            try await Register(database: database).load(portfolio, by: .commandLine("test"))
            var files: [InterchangeKind: String] = [:]
            for kind in InterchangeKind.allCases { files[kind] = try await export(kind, database) }
            return files
        }
        #expect(first[.studies].map(withoutChangeTimes) == portfolio.csv(.studies))
        #expect(first[.participants] != nil)
        let second = try await TestDatabases.with(location, suite: "import") { database in
            for kind in InterchangeKind.allCases {
                _ = try await importText(kind, first[kind] ?? "", database)
            }
            var files: [InterchangeKind: String] = [:]
            for kind in InterchangeKind.allCases { files[kind] = try await export(kind, database) }
            return files
        }
        // The data round-trips; the change times are those of each database's own writes.
        #expect(first.mapValues(withoutChangeTimes) == second.mapValues(withoutChangeTimes))
    }

    /// An export without its last column, `last_changed` (a time: no comma, quote or line break in it).
    func withoutChangeTimes(_ csv: String) -> String {
        // Lines end in CR LF, which Swift reads as one character.
        csv.components(separatedBy: "\r\n").map { line in
            line.lastIndex(of: ",").map { String(line[..<$0]) } ?? line
        }.joined(separator: "\r\n")
    }

    func export(_ kind: InterchangeKind, _ database: any Database) async throws -> String {
        let collected = Collected()
        _ = try await Exporter(database: database).export(kind) { collected.append($0) }
        return collected.text
    }
}

extension ImportTests {
    /// An import keeps the forms' rules: a reported milestone changes only with a reason, and every
    /// record it changes gets an event of its own with the old and new values.
    @Test(arguments: TestDatabases.locations)
    func anImportThatCorrectsAReportedMilestoneNeedsAReasonAndIsAuditedRecordByRecord(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "import_reason") { database in
            try await loadBasics(database)
            _ = try await importText(.sites, Self.sites, database)
            let corrected = """
                cpms_id,site_ods,role,site_target,date_site_selected,date_site_open
                41001,RT5,recruiting,45,2024-03-28,2024-05-20
                41001,C82001,pic,,,
                """
            let importer = Importer(database: database)
            let refused = await #expect(throws: ImportRejected.self) {
                try await importer.importFile(.sites, named: "sites.csv", reader: CSVReader(text: corrected), sha256: { "x" }, by: .commandLine("test"))
            }
            #expect(refused?.issues.map(\.description) == ["sites.csv:2:date_site_selected: changes a date already reported in an earlier quarter's return: give the reason for the correction with the import"])
            let before = try await AuditTrail(database: database).lastSequence()
            _ = try await importer.importFile(.sites, named: "sites.csv", reader: CSVReader(text: corrected), sha256: { "x" }, by: AuditContext.commandLine("test").because("Corrected from the sponsor's site file"))
            let events = try await AuditTrail(database: database).latest(limit: 5).filter { $0.sequence > before }
            #expect(events.map(\.action).sorted() == ["change", "import"])
            let change = try #require(events.first { $0.action == "change" })
            #expect(change.recordKey == "41001/RT5")
            #expect(change.reason == "Corrected from the sponsor's site file")
            #expect(Set(change.fieldChanges.map(\.field)) == ["site_target", "date_site_selected"])
            #expect(change.fieldChanges.first { $0.field == "date_site_selected" }.map { [$0.old, $0.new] } == ["2024-04-01", "2024-03-28"])
            // The same file again changes nothing and records no change.
            let again = try await AuditTrail(database: database).lastSequence()
            _ = try await importer.importFile(.sites, named: "sites.csv", reader: CSVReader(text: corrected), sha256: { "x" }, by: .commandLine("test"))
            #expect(try await AuditTrail(database: database).latest(limit: 5).filter { $0.sequence > again }.map(\.action) == ["import"])
        }
    }
}

final class Collected: @unchecked Sendable {
    private(set) var text = ""
    func append(_ line: String) { text += line }
}
