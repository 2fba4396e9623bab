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
            // The change the file made is in the study's history with its old and new value.
            let history = try await AuditTrail(database: database).events(recordTypes: AuditSubject.studyRecordTypes, keyPrefix: "41001")
            #expect(history.contains { $0.recordKey == "41001/RT5/CALM-002" && $0.action == "change" && $0.changes.contains("2025-10-10") })

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
                #expect(rejected.issues.first?.message.contains("is not a time: leave it as Pace exported it") == true)
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

extension ImportConflictTests {
    /// What a reviewer found: a removed record brought back by an older file, a change made between
    /// a preview and its confirmation undone, and a partial file that skipped the set-up order.
    @Test(arguments: TestDatabases.locations)
    func removalsCorrectionsSincePreviewAndPartialFilesAreRespected(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "import_review") { database in
            for (kind, text) in PlausibilityStoreTests.basics { _ = try await importText(kind, text, database) }
            let register = Register(database: database)
            try await register.save(Participant(cpmsID: 41001, siteODS: "RT5", participantID: "CALM-002", status: .recruited, consentDate: day("2025-10-09")), .create, by: .commandLine("test"))
            let exported = try await export(.participants, database)
            try await register.removeParticipant(cpmsID: 41001, odsCode: "RT5", participantID: "CALM-002", by: AuditContext.commandLine("jo.bloggs").because("Entered twice"))
            for file in [exported, "cpms_id,site_ods,participant_id,status,consent_date\n41001,RT5,CALM-002,recruited,2025-10-09\n"] {
                do {
                    _ = try await importText(.participants, file, database)
                    Issue.record("a removed participant came back")
                } catch let rejected as ImportRejected {
                    let message = rejected.issues.first { $0.column == "participant_id" }?.message ?? ""
                    #expect(message.contains("was removed in Pace on") && message.contains("by cli:jo.bloggs") && message.contains("Entered twice"), "\(rejected.issues)")
                }
            }
            #expect(try await register.site(cpmsID: 41001, odsCode: "RT5")?.participants.map(\.participantID) == ["CALM-001"])

            // A preview, then a withdrawal recorded in Pace, then the confirmation: refused.
            let file = "cpms_id,site_ods,participant_id,status,consent_date\n41001,RT5,CALM-001,recruited,2025-10-07\n"
            let preview = try await importText(.participants, file, database, dryRun: true)
            #expect(preview.changed == 1)
            try await register.correct(Participant(cpmsID: 41001, siteODS: "RT5", participantID: "CALM-001", status: .withdrawn, consentDate: day("2025-10-06"), withdrawnDate: day("2025-11-20")),
                                       by: AuditContext.commandLine("jo.bloggs").because("Withdrew"))
            do {
                _ = try await Importer(database: database).importFile(.participants, named: "p.csv", reader: CSVReader(text: file), sha256: { "x" }, by: .commandLine("test"),
                                                                      options: ImportOptions(unstampedRowsAsOf: preview.checkedAt))
                Issue.record("a confirmation undid a change made after its preview")
            } catch let rejected as ImportRejected {
                #expect(rejected.issues.first?.column == "last_changed")
            }

            // A stamp from the future is refused; a spreadsheet's way of writing Pace's time is read.
            let future = "cpms_id,site_ods,participant_id,status,consent_date,last_changed\n41001,RT5,CALM-001,recruited,2025-10-06,2099-01-01T00:00:00.000Z\n"
            await #expect(throws: ImportRejected.self) { _ = try await importText(.participants, future, database) }
            #expect(ChangeStamp.normalised("2026-12-02 02:46:07") == "2026-12-02T02:46:07.000Z")

            // A sites file with only an opening date is checked against the stored HRA approval.
            do {
                _ = try await importText(.sites, "cpms_id,site_ods,role,date_site_open\n41001,RHA,recruiting,2025-08-15\n", database, by: AuditContext.commandLine("test").because("Corrected"))
                Issue.record("a partial sites file skipped the set-up order")
            } catch let rejected as ImportRejected {
                #expect(rejected.issues.first?.message.contains("is before HRA approval, 1 September 2025") == true, "\(rejected.issues)")
            }

            // Three one-day counts of 20 at a site whose whole target is 40: the month's total needs confirming.
            _ = try await importText(.recruitmentCounts, "cpms_id,site_ods,period_start,period_end,count\n41001,RHA,2025-11-01,2025-11-01,20\n41001,RHA,2025-11-02,2025-11-02,20\n", database)
            let third = "cpms_id,site_ods,period_start,period_end,count\n41001,RHA,2025-11-03,2025-11-03,20\n"
            do {
                _ = try await importText(.recruitmentCounts, third, database)
                Issue.record("a month's counts above the target were not caught")
            } catch let rejected as ImportRejected {
                #expect(rejected.issues.first?.message.contains("60 are recorded as recruited in November 2025") == true, "\(rejected.issues)")
            }
            _ = try await Importer(database: database).importFile(.recruitmentCounts, named: "c.csv", reader: CSVReader(text: third), sha256: { "x" }, by: .commandLine("test"),
                                                                  options: ImportOptions(confirmingLargeCounts: true))

            // A removal's reason follows the same rules as every other reason.
            let long = String(repeating: "x", count: 600)
            await #expect(throws: FieldProblem.self) {
                try await register.removeCount(cpmsID: 41001, odsCode: "RHA", periodStart: day("2025-11-01"), by: AuditContext.commandLine("test").because(long))
            }
        }
    }
}
