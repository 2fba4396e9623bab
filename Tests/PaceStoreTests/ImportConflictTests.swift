import FluentKit
import Foundation
import PaceCore
import PaceStore
import Testing

/// An import never silently undoes later work: a stale export is refused naming the row, when and by
/// whom the record changed since; an unchanged export changes nothing; a dry run says exactly what
/// an import would change and writes nothing (interchange.md, `last_changed`).
@Suite(.serialized)
struct ImportConflictTests {
    func importText(_ kind: InterchangeKind, _ text: String, _ database: any Database, by context: AuditContext = .commandLine("test"),
                    dryRun: Bool = false) async throws -> ImportSummary {
        try await Importer(database: database).importFile(kind, named: "\(kind.rawValue).csv", reader: CSVReader(text: text), sha256: { "test" }, by: context,
                                                          options: ImportOptions(dryRun: dryRun))
    }

    func export(_ kind: InterchangeKind, _ database: any Database) async throws -> String {
        let collected = Collected()
        _ = try await Exporter(database: database).export(kind) { collected.append($0) }
        return collected.text
    }

    func day(_ text: String) -> Day {
        Day(iso: text) ?? Day(ordinal: 0)
    }

    @Test(arguments: TestDatabases.locations)
    func aStaleExportIsRefusedAndAnUnchangedOneChangesNothing(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "import_conflicts") { database in
            for (kind, text) in PlausibilityStoreTests.basics { _ = try await importText(kind, text, database) }
            let register = Register(database: database)
            try await register.save(Participant(cpmsID: 41001, siteODS: "RT5", participantID: "CALM-002", status: .recruited, consentDate: day("2025-10-09")), .create, by: .commandLine("test"))
            let before = try await export(.participants, database)
            #expect(before.hasPrefix("cpms_id,site_ods,participant_id,status,consent_date,recruited_date,withdrawn_date,identified_by_ods,last_changed\r\n"))

            // Importing Pace's own export again changes nothing, and says so exactly.
            let again = try await importText(.participants, before, database)
            #expect((again.records, again.created, again.changed, again.unchanged) == (2, 0, 0, 2))
            #expect(try await export(.participants, database) == before, "an unchanged import keeps every last_changed")

            // Then someone records a withdrawal in Pace.
            try await register.correct(Participant(cpmsID: 41001, siteODS: "RT5", participantID: "CALM-001", status: .withdrawn, consentDate: day("2025-10-06"), withdrawnDate: day("2025-11-20")),
                                       by: AuditContext.commandLine("jo.bloggs").because("Withdrew at week 4"))
            // The export from before the withdrawal would set CALM-001 back to recruited: refused, naming the row.
            do {
                _ = try await importText(.participants, before, database)
                Issue.record("a stale export was imported")
            } catch let rejected as ImportRejected {
                #expect(rejected.issues.map { "\($0.row):\($0.column)" } == ["2:last_changed"])
                let message = rejected.issues.first?.message ?? ""
                #expect(message.contains("participant CALM-001 of CPMS 41001 at RT5 changed in Pace on"))
                #expect(message.contains("by cli:jo.bloggs"))
            }
            #expect(try await register.site(cpmsID: 41001, odsCode: "RT5")?.participants.first { $0.participantID == "CALM-001" }?.status == .withdrawn)

            // A file from another system (no last_changed) is matched on its keys and counted exactly.
            let other = "cpms_id,site_ods,participant_id,status,consent_date\n41001,RT5,CALM-002,recruited,2025-10-10\n41001,RT5,CALM-003,recruited,2025-10-11\n"
            let preview = try await importText(.participants, other, database, dryRun: true)
            #expect(preview.dryRun)
            #expect((preview.created, preview.changed, preview.unchanged) == (1, 1, 0))
            #expect(preview.changes == [RecordChange(record: "participant CALM-002 of CPMS 41001 at RT5", fields: [FieldChange(field: "consent_date", old: "2025-10-09", new: "2025-10-10")])])
            #expect(preview.description.contains("Nothing was written"))
            #expect(try await register.site(cpmsID: 41001, odsCode: "RT5")?.participants.count == 2, "a dry run writes nothing")
            let applied = try await importText(.participants, other, database)
            #expect((applied.created, applied.changed, applied.unchanged) == (1, 1, 0))
            #expect(!applied.dryRun)
            #expect(try await register.site(cpmsID: 41001, odsCode: "RT5")?.participants.count == 3)

            // The small kinds follow the same rules: a site's stale export is refused too.
            let sites = try await export(.sites, database)
            let staleSites = try await importText(.sites, sites, database)
            #expect((staleSites.changed, staleSites.unchanged) == (0, 2))
            var changedSite = try #require(try await register.site(cpmsID: 41001, odsCode: "RT5")?.site)
            changedSite.localPI = "Dr A Shah"
            try await register.save(changedSite, .update, by: .commandLine("jo.bloggs"))
            do {
                _ = try await importText(.sites, sites, database)
                Issue.record("a stale site export was imported")
            } catch let rejected as ImportRejected {
                #expect(rejected.issues.first?.column == "last_changed")
            }
            // A last_changed Pace did not write is refused as such.
            do {
                _ = try await importText(.organisations, "ods_code,name,type,last_changed\nRT5,LPT,nhs-trust,yesterday\n", database)
                Issue.record("a made-up last_changed was accepted")
            } catch let rejected as ImportRejected {
                #expect(rejected.issues.first?.message.contains("is not a time Pace wrote") == true)
            }
        }
    }

    @Test func changeStampsAreWrittenOneWayAndSortAsTime() {
        let stamp = ChangeStamp.now(Date(timeIntervalSince1970: 1_764_651_845.123))
        #expect(stamp == "2025-12-02T05:04:05.123Z")
        #expect(ChangeStamp.normalised("2025-12-02T05:04:05Z") == "2025-12-02T05:04:05.000Z")
        #expect(ChangeStamp.normalised("2025-12-02T06:04:05.123+01:00") == stamp)
        #expect(ChangeStamp.normalised("2025-12-02") == nil)
        #expect(ChangeStamp.readable(stamp) == "2 December 2025 at 05:04 UTC")
        #expect(ChangeStamp.now(Date(timeIntervalSince1970: 0.007)) == "1970-01-01T00:00:00.007Z")
        #expect(ChangeStamp.now(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }
}
