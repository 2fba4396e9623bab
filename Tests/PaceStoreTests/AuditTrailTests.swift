import Foundation
import FluentKit
import PaceCore
import PaceStore
import SQLKit
import Testing

@Suite(.serialized)
struct AuditTrailTests {
    static let context = AuditContext(actor: "user:manager@trust.example", requestID: "req-1")

    @Test(arguments: TestDatabases.locations)
    func everyWriteIsAuditedAndTheChainVerifies(location: DatabaseLocation) async throws {
        let portfolio = DemoPortfolio(seed: 3, asOf: try #require(Day(iso: "2026-11-27")), studyCount: 6)
        try await TestDatabases.with(location, suite: "audit") { database in
            let register = Register(database: database)
            try await register.load(portfolio, by: .commandLine("tester"))
            let trail = AuditTrail(database: database)
            let imports = try await trail.latest(limit: 1_000).filter { $0.action == "import" }
            #expect(imports.count == InterchangeKind.allCases.count)
            let studiesImport = try #require(imports.first { $0.recordType == "studies" })
            #expect(studiesImport.actor == "cli:tester")
            #expect(studiesImport.fieldChanges.first { $0.field == "sha256" }?.new == AuditTrail.sha256(portfolio.csv(.studies)))
            #expect(studiesImport.fieldChanges.first { $0.field == "keys" }?.new == portfolio.studies.map { String($0.cpmsID) }.sorted().joined(separator: ";"))

            // A milestone change records old and new values, who, and the reason.
            var site = try #require(portfolio.sites.first { $0.dateSiteOpen == nil && $0.role.recruits })
            site.siteTarget = (site.siteTarget ?? 0) + 5
            site.dateSiteOpen = Day(iso: "2026-11-20")
            try await register.save(site, .update, by: Self.context)
            let history = try await trail.events(recordTypes: AuditSubject.studyRecordTypes, keyPrefix: String(site.cpmsID))
            let change = try #require(history.first)
            #expect(change.action == "change")
            #expect(change.recordKey == "\(site.cpmsID)/\(site.siteODS)")
            #expect(change.actor == "user:manager@trust.example")
            #expect(change.requestID == "req-1")
            #expect(change.fieldChanges.contains(FieldChange(field: "date_site_open", old: nil, new: "2026-11-20")))
            #expect(change.fieldChanges.contains { $0.field == "site_target" })
            // Another study's history does not include it, even when its CPMS ID is a prefix.
            #expect(try await trail.events(recordTypes: ["site"], keyPrefix: String(site.cpmsID).dropLast().description).isEmpty)

            // Saving the same record again changes nothing and records nothing.
            let before = try await trail.latest(limit: 1).first?.sequence
            try await register.save(site, .update, by: Self.context)
            #expect(try await trail.latest(limit: 1).first?.sequence == before)

            // A refused change leaves no event.
            var locked = site
            locked.dateSiteSelected = Day(iso: "2025-01-01")
            await #expect(throws: FieldProblem.self) { try await register.save(locked, .update, by: Self.context) }
            #expect(try await trail.latest(limit: 1).first?.sequence == before)
            try await register.save(locked, .update, by: Self.context.because("Selection date corrected from the sponsor's letter"))
            #expect(try await trail.latest(limit: 1).first?.reason == "Selection date corrected from the sponsor's letter")

            let verified = try await trail.verify()
            #expect(verified.problem == nil)
            #expect(verified.checked == (before ?? 0) + 1)
        }
    }

    @Test(arguments: TestDatabases.locations)
    func alteredOrRemovedEventsAreFound(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "audit_tamper") { database in
            let trail = AuditTrail(database: database)
            for index in 1...5 {
                try await trail.record([AuditEntry(action: .signIn, recordType: "user", recordKey: "person\(index)@trust.example")], Self.context)
            }
            #expect(try await trail.verify().problem == nil)
            let sql = try #require(database as? any SQLDatabase)

            try await sql.raw("UPDATE audit_events SET record_key = 'someone.else@trust.example' WHERE sequence = 3").run()
            #expect(try await trail.verify().problem?.sequence == 3)
            try await sql.raw("UPDATE audit_events SET record_key = 'person3@trust.example' WHERE sequence = 3").run()
            #expect(try await trail.verify().problem == nil)

            try await sql.raw("DELETE FROM audit_events WHERE sequence = 5").run()
            let end = try await trail.verify().problem
            #expect(end?.sequence == 5)
            #expect(end?.problem.contains("events were removed") == true)

            try await sql.raw("DELETE FROM audit_events WHERE sequence = 2").run()
            #expect(try await trail.verify().problem == AuditChainBreak(sequence: 3, problem: "events 2 to 2 are missing"))
        }
    }

    @Test(arguments: TestDatabases.locations)
    func signInsPerAddressAreCountedAtomicallyAndForgottenAfterTheWindow(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "throttle") { database in
            let throttle = SignInThrottle(database: database)
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<(SignInThrottle.limit + 10) { group.addTask { try await throttle.attempt(from: "192.0.2.1") } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == SignInThrottle.limit)
            #expect(try await throttle.attempt(from: "192.0.2.2"))
            try await throttle.succeeded(from: "192.0.2.1")
            let later = Date().addingTimeInterval(Double(SignInThrottle.windowMinutes * 60 + 1))
            #expect(try await throttle.attempt(from: "192.0.2.1", at: later))
        }
    }

    /// A break does not hide what comes after it: every altered event is listed.
    @Test(arguments: TestDatabases.locations)
    func everyBreakIsListedNotOnlyTheFirst(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "audit_breaks") { database in
            let trail = AuditTrail(database: database)
            // Control characters (a NUL ends text for some readers) are stored as U+FFFD, and verify.
            let careless = AuditContext(actor: "anonymous", requestID: "r\u{0}1", reason: "because\u{0}")
            for index in 1...6 {
                try await trail.record([AuditEntry(action: .signInFailed, recordType: "user", recordKey: "person\(index)\u{0}x@trust.example")], careless)
            }
            #expect(try await trail.verify().breaks.isEmpty)
            #expect(try await trail.latest(limit: 1).first?.recordKey == "person6\u{FFFD}x@trust.example")
            let sql = try #require(database as? any SQLDatabase)
            try await sql.raw("UPDATE audit_events SET reason = 'changed' WHERE sequence IN (2, 5)").run()
            let verification = try await trail.verify()
            #expect(verification.breaks.map(\.sequence) == [2, 5])
            #expect(verification.checked == 6)
        }
    }

    @Test(arguments: TestDatabases.locations)
    func aRejectedImportWritesNoEvent(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "audit_import") { database in
            let importer = Importer(database: database)
            await #expect(throws: ImportRejected.self) {
                try await importer.importFile(.organisations, named: "bad.csv", reader: CSVReader(text: "ods_code,name,type\nRX1,,nhs-trust\n"), sha256: { "x" }, by: Self.context)
            }
            let events = try await AuditTrail(database: database).latest(limit: 10)
            #expect(events.isEmpty)
            let checked = try await AuditTrail(database: database).verify().checked
            #expect(checked == 0)
        }
    }
}

@Suite(.serialized)
struct AccountStoreTests {
    static let context = AuditContext.commandLine("tester")

    @Test(arguments: TestDatabases.locations)
    func accountsLockAfterRepeatedFailuresAndEverythingIsAudited(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "accounts") { database in
            let accounts = Accounts(database: database)
            try await accounts.create(AccountForm(email: "Jane@Trust.example", name: "Jane", role: "viewer"), passwordHash: "hash", by: Self.context)
            await #expect(throws: FieldProblem.self) {
                try await accounts.create(AccountForm(email: "jane@trust.example", name: "Jane again", role: "viewer"), passwordHash: "hash", by: Self.context)
            }
            await #expect(throws: FieldProblem.self) {
                try await accounts.create(AccountForm(email: "team@trust.example", name: "Team", role: "study-team", studies: "123"), passwordHash: "hash", by: Self.context)
            }
            let jane = try #require(try await accounts.account(email: "jane@trust.example")).account.id
            for _ in 1..<Accounts.lockAfterFailures {
                #expect(try await accounts.claimSignInAttempt(accountID: jane))
                try await accounts.recordFailedSignIn(email: "jane@trust.example", reason: "wrong password", by: Self.context)
            }
            #expect(try await accounts.account(email: "jane@trust.example")?.lockedUntil == nil)
            // The claim that reaches the limit locks at once; no further check is granted until the lock runs out.
            #expect(try await accounts.claimSignInAttempt(accountID: jane))
            try await accounts.recordFailedSignIn(email: "JANE@trust.example", reason: "wrong password", by: Self.context)
            let locked = try #require(try await accounts.account(email: "jane@trust.example"))
            #expect(locked.lockedUntil.map { $0 > .now } == true)
            #expect(try await accounts.claimSignInAttempt(accountID: jane) == false)
            #expect(try await accounts.claimSignInAttempt(accountID: jane, at: Date().addingTimeInterval(Double(Accounts.lockMinutes * 60 + 1))))

            // Signing in clears the count; a session is found by its key's hash and ends on sign-out.
            try await accounts.startSession(for: locked.account, keyHash: "key-hash", csrfToken: "csrf", by: Self.context)
            #expect(try await accounts.account(email: "jane@trust.example")?.failedSignIns == 0)
            #expect(try await accounts.session(keyHash: "key-hash")?.csrfToken == "csrf")
            // A role change ends the person's sessions at once.
            try await accounts.update(id: locked.account.id, AccountForm(email: "jane@trust.example", name: "Jane", role: "rd-manager"), isActive: true, by: Self.context)
            #expect(try await accounts.session(keyHash: "key-hash") == nil)

            try await accounts.createToken(for: locked.account, name: "script", tokenHash: "token-hash", by: Self.context)
            #expect(try await accounts.account(tokenHash: "token-hash")?.role == .rdManager)
            let token = try #require(try await accounts.tokens(of: locked.account).first)
            #expect(try await accounts.revokeToken(id: token.id, of: locked.account, by: Self.context))
            #expect(try await accounts.account(tokenHash: "token-hash") == nil)
            #expect(try await accounts.revokeToken(id: token.id, of: locked.account, by: Self.context) == false)

            let actions = try await AuditTrail(database: database).latest(limit: 100).reversed().map(\.action)
            #expect(actions == ["create"] + Array(repeating: "sign-in-failed", count: Accounts.lockAfterFailures) + ["sign-in", "change", "token-create", "token-revoke"])
            #expect(try await AuditTrail(database: database).verify().problem == nil)
        }
    }
}
