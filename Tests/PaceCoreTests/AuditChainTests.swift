import PaceCore
import Testing

/// The chain's rules, with a stand-in hash (FNV-1a) so PaceCore's tests need no cryptography library;
/// the store's tests run the same verifier over SHA-256.
struct AuditChainTests {
    static func fnv(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    func chain(_ count: Int) -> [AuditEvent] {
        var events: [AuditEvent] = []
        var previous = AuditEvent.genesisHash
        for sequence in 1...count {
            let changes = AuditChanges.encode([FieldChange(field: "date_site_open", old: nil, new: "2026-0\(sequence % 9 + 1)-01")])
            let text = AuditEvent.chainedText(sequence: sequence, occurredAt: "2026-11-27T10:00:0\(sequence % 10).000Z", actor: "user:a@b.nhs.uk",
                                              action: "change", recordType: "site", recordKey: "42/RT5", changes: changes, reason: "", requestID: "r\(sequence)")
            let hash = Self.fnv(previous + text)
            events.append(AuditEvent(sequence: sequence, occurredAt: "2026-11-27T10:00:0\(sequence % 10).000Z", actor: "user:a@b.nhs.uk", action: "change",
                                     recordType: "site", recordKey: "42/RT5", changes: changes, reason: "", requestID: "r\(sequence)", previousHash: previous, hash: hash))
            previous = hash
        }
        return events
    }

    func firstBreak(_ events: [AuditEvent], head: (Int, String)? = nil) -> AuditChainBreak? {
        var verifier = AuditChainVerifier(sha256: Self.fnv)
        for event in events {
            if let problem = verifier.check(event) { return problem }
        }
        let end = head ?? (events.last?.sequence ?? 0, events.last?.hash ?? AuditEvent.genesisHash)
        return verifier.checkEnd(headSequence: end.0, headHash: end.1)
    }

    @Test func anUntouchedChainVerifies() {
        #expect(firstBreak(chain(6)) == nil)
        #expect(firstBreak([]) == nil)
    }

    @Test func anAlteredEventIsNamed() {
        var events = chain(6)
        let original = events[3]
        events[3] = AuditEvent(sequence: 4, occurredAt: original.occurredAt, actor: "user:someone.else@b.nhs.uk", action: original.action,
                               recordType: original.recordType, recordKey: original.recordKey, changes: original.changes, reason: original.reason,
                               requestID: original.requestID, previousHash: original.previousHash, hash: original.hash)
        #expect(firstBreak(events)?.sequence == 4)
        #expect(firstBreak(events)?.problem.contains("changed after it was written") == true)
    }

    @Test func aRemovedEventIsNamed() {
        var events = chain(6)
        events.remove(at: 2)
        #expect(firstBreak(events, head: (6, chain(6)[5].hash)) == AuditChainBreak(sequence: 4, problem: "events 3 to 3 are missing"))
    }

    @Test func removingTheLastEventsIsFoundFromTheRecordedEnd() {
        let events = chain(6)
        let problem = firstBreak(Array(events.prefix(4)), head: (6, events[5].hash))
        #expect(problem?.sequence == 5)
        #expect(problem?.problem.contains("ends at event 4") == true)
    }

    @Test func rewritingTheWholeTailWithNewHashesStillBreaksAtTheRecordedEnd() {
        var events = chain(6)
        events.removeLast()
        // A forger recomputes nothing after event 5, but the head still names event 6's hash.
        #expect(firstBreak(events, head: (5, chain(6)[5].hash))?.problem.contains("not the one recorded") == true)
    }

    @Test func changesEncodeTheSameWayEveryTimeAndReadBack() {
        let changes = [FieldChange(field: "site_target", old: "20", new: "30"), FieldChange(field: "local_pi", old: "Dr A", new: nil)]
        #expect(AuditChanges.encode(changes) == #"[{"field":"site_target","new":"30","old":"20"},{"field":"local_pi","old":"Dr A"}]"#)
        #expect(AuditChanges.decode(AuditChanges.encode(changes)) == changes)
    }
}

struct FieldChangeTests {
    @Test func onlyDifferingFieldsAreListedAndEmptyMeansNoValue() {
        let changes = FieldChange.between(old: ["42", "CALM", "", "x"], new: ["42", "CALM 2", "", ""], columns: ["cpms_id", "short_name", "title", "phase"])
        #expect(changes == [FieldChange(field: "short_name", old: "CALM", new: "CALM 2"), FieldChange(field: "phase", old: "x", new: nil)])
        #expect(FieldChange.between(old: nil, new: ["42"], columns: ["cpms_id"]) == [FieldChange(field: "cpms_id", old: nil, new: "42")])
    }

    @Test func aSiteCorrectionInAReportedQuarterNeedsAReason() {
        let today = Day(iso: "2026-11-27")!
        let columns = Site.columns
        let lastQuarter = [FieldChange(field: "date_site_open", old: nil, new: "2026-09-30")]
        let thisQuarter = [FieldChange(field: "date_site_open", old: nil, new: "2026-10-01")]
        let movedOut = [FieldChange(field: "date_site_open", old: "2026-06-01", new: "2026-10-02")]
        let notADate = [FieldChange(field: "site_target", old: "2", new: "3")]
        #expect(ReportedValues.changesReportedDates(lastQuarter, columns: columns, today: today) == ["date_site_open"])
        #expect(ReportedValues.changesReportedDates(thisQuarter, columns: columns, today: today).isEmpty)
        #expect(ReportedValues.changesReportedDates(movedOut, columns: columns, today: today) == ["date_site_open"])
        #expect(ReportedValues.changesReportedDates(notADate, columns: columns, today: today).isEmpty)
    }

    @Test func auditSubjectsStartWithTheStudy() {
        let portfolio = DemoPortfolio(seed: 1, asOf: Day(iso: "2026-11-27")!, studyCount: 3)
        let site = portfolio.sites[0]
        #expect(AuditSubject(site) == AuditSubject(type: "site", key: "\(site.cpmsID)/\(site.siteODS)"))
        #expect(AuditSubject(portfolio.studies[0]).key == String(portfolio.studies[0].cpmsID))
    }
}
