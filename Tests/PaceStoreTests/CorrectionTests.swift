import FluentKit
import PaceCore
import PaceStore
import Testing

/// Correcting and removing records: each needs a reason, a removal leaves every total at once, and
/// the audit trail keeps what was there, who removed it and why.
@Suite(.serialized)
struct CorrectionTests {
    func day(_ text: String) -> Day {
        Day(iso: text) ?? Day(ordinal: 0)
    }

    func load(_ database: any Database) async throws {
        for (kind, text) in PlausibilityStoreTests.basics {
            _ = try await Importer(database: database).importFile(kind, named: "\(kind.rawValue).csv", reader: CSVReader(text: text), sha256: { "test" }, by: .commandLine("test"))
        }
        let register = Register(database: database)
        try await register.save(Participant(cpmsID: 41001, siteODS: "RT5", participantID: "CALM-002", status: .recruited, consentDate: day("2025-10-09")), .create, by: .commandLine("test"))
    }

    @Test(arguments: TestDatabases.locations)
    func correctionsAndRemovalsNeedAReasonAndLeaveTheTotalsAtOnce(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "corrections") { database in
            try await load(database)
            let register = Register(database: database)
            let nurse = AuditContext.commandLine("research-nurse")
            #expect(try await register.site(cpmsID: 41001, odsCode: "RT5")?.recruited == 2)

            // Recording a withdrawal on an existing participant: still recruited on its date (domain.md §4).
            var withdrawn = Participant(cpmsID: 41001, siteODS: "RT5", participantID: "CALM-001", status: .withdrawn, consentDate: day("2025-10-06"), withdrawnDate: day("2025-11-20"))
            await #expect(throws: FieldProblem.self) { try await register.correct(withdrawn, by: nurse) }
            try await register.correct(withdrawn, by: nurse.because("Withdrew consent at the week 4 visit"))
            var site = try #require(try await register.site(cpmsID: 41001, odsCode: "RT5"))
            #expect(site.recruited == 2)
            #expect(site.participants.first { $0.participantID == "CALM-001" }?.status == .withdrawn)
            // A correction still passes the plausibility rules.
            withdrawn.withdrawnDate = day("2025-10-01")
            withdrawn.consentDate = day("2025-09-20")
            await #expect(throws: FieldProblem.self) { try await register.correct(withdrawn, by: nurse.because("Typo")) }
            // Correcting a participant that is not there says so.
            let missing = Participant(cpmsID: 41001, siteODS: "RT5", participantID: "CALM-404", status: .recruited, consentDate: day("2025-10-06"))
            await #expect(throws: FieldProblem.self) { try await register.correct(missing, by: nurse.because("Typo")) }

            // Removing a participant entered by mistake: out of the totals at once, kept in the trail.
            await #expect(throws: FieldProblem.self) { try await register.removeParticipant(cpmsID: 41001, odsCode: "RT5", participantID: "CALM-002", by: nurse) }
            try await register.removeParticipant(cpmsID: 41001, odsCode: "RT5", participantID: "CALM-002", by: nurse.because("Entered twice: the same person is CALM-001"))
            site = try #require(try await register.site(cpmsID: 41001, odsCode: "RT5"))
            #expect(site.recruited == 1)
            #expect(site.participants.map(\.participantID) == ["CALM-001"])
            let records = try await register.siteRecords(.study(41001))
            #expect(records.first { $0.site.siteODS == "RT5" }?.history.recruited(through: day("2026-12-31")) == 1)

            let history = try await AuditTrail(database: database).events(recordTypes: AuditSubject.studyRecordTypes, keyPrefix: "41001")
            let removal = try #require(history.first { $0.action == AuditAction.delete.rawValue && $0.recordType == "participant" })
            #expect(removal.recordKey == "41001/RT5/CALM-002")
            #expect(removal.actor.contains("research-nurse"))
            #expect(removal.reason == "Entered twice: the same person is CALM-001")
            #expect(removal.changes.contains("CALM-002") && removal.changes.contains("2025-10-09"))
            #expect(history.contains { $0.action == AuditAction.change.rawValue && $0.recordType == "participant" && $0.reason == "Withdrew consent at the week 4 visit" })

            // Counts: corrected, then removed.
            let count = RecruitmentCount(cpmsID: 41001, siteODS: "RHA", periodStart: day("2025-10-01"), periodEnd: day("2025-10-31"), count: 6)
            try await register.correct(count, by: nurse.because("October was 6, not 4"))
            #expect(try await register.site(cpmsID: 41001, odsCode: "RHA")?.recruited == 6)
            try await register.removeCount(cpmsID: 41001, odsCode: "RHA", periodStart: day("2025-10-01"), by: nurse.because("Recorded at the wrong trust"))
            #expect(try await register.site(cpmsID: 41001, odsCode: "RHA")?.recruited == 0)
            await #expect(throws: FieldProblem.self) {
                try await register.removeCount(cpmsID: 41001, odsCode: "RHA", periodStart: day("2025-10-01"), by: nurse.because("Again"))
            }

            // A site, study or organisation goes only when nothing points at it.
            await #expect(throws: RecordInUse.self) { try await register.removeSite(cpmsID: 41001, odsCode: "RT5", by: nurse.because("Mistake")) }
            await #expect(throws: RecordInUse.self) { try await register.removeStudy(cpmsID: 41001, by: nurse.because("Mistake")) }
            await #expect(throws: RecordInUse.self) { try await register.removeOrganisation(odsCode: "RHA", by: nurse.because("Mistake")) }
            try await register.removeSite(cpmsID: 41001, odsCode: "RHA", by: nurse.because("Nottinghamshire never took part"))
            try await register.removeOrganisation(odsCode: "RHA", by: nurse.because("Added by mistake"))
            #expect(try await register.organisation("RHA") == nil)
            try await register.removeParticipant(cpmsID: 41001, odsCode: "RT5", participantID: "CALM-001", by: nurse.because("Test record"))
            try await register.removeSite(cpmsID: 41001, odsCode: "RT5", by: nurse.because("Test site"))
            try await register.removeStudy(cpmsID: 41001, by: nurse.because("Test study"))
            #expect(try await register.study(41001) == nil)
            #expect(try await AuditTrail(database: database).verify().breaks.isEmpty)
        }
    }
}
