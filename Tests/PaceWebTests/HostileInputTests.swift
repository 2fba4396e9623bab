import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import SQLKit
import Testing
import VaporTesting

/// Each finding of the security review, as the request that showed it.
@Suite(.serialized)
struct HostileInputTests {
    @Test func reportsRefuseYearsNoResearchSystemMeansInsteadOfStopping() async throws {
        try await withPace { app, _ in
            let viewer = try await app.client(as: .viewer)
            for from in ["9999-12", "0001-01", "2200-01", "1899-12"] {
                let page = try await viewer.get("/reports/board?from=\(from)")
                #expect(page.status == .badRequest, "\(from)")
                // The page again, with the message beside the field and the reports' navigation.
                #expect(page.text.contains("There is a problem"))
                #expect(page.text.contains("is not a month from 1900 to 2199"))
                #expect(page.text.contains("aria-label=\"Reports\""))
            }
            #expect(try await viewer.get("/reports/board?from=2199-12").status == .ok)
            for quarter in ["9999-00-Q4", "0000-01-Q1", "0001-02-Q1", "2025-26-Q5", "2025-26-Q+"] {
                let api = try await viewer.getAPI("/api/v1/reports/pid-initiating?quarter=\(quarter)")
                #expect(api.status == .badRequest, "\(quarter)")
                #expect(api.text.contains("\"error\":\"quarter=") || api.text.contains("\"error\": \"quarter="))
                let page = try await viewer.get("/reports/pid-initiating?quarter=\(quarter)")
                #expect(page.status == .badRequest)
                #expect(page.text.contains("is not a financial quarter"))
            }
            #expect(try await viewer.getAPI("/api/v1/reports/pid-delivering?quarter=2199-00-Q4").status == .ok)
            #expect(try await viewer.get("/reports/league-table?year=9999-00").status == .badRequest)
            #expect(try await viewer.get("/reports/sites?on=9999-12-31").status == .badRequest)
            #expect(try await viewer.get("/reports/kpis?from=0001-01-01").status == .badRequest)
            #expect(try await viewer.get("/reports/activity?from=2199-01&to=1900-01").status == .badRequest)
            #expect(try await app.testing().sendRequest(.GET, "/health").status == .ok)
        }
    }

    @Test func signInNeverSendsAHeaderOrARedirectSomewhereElse() async throws {
        try await withPace { app, _ in
            let viewer = try await app.client(as: .viewer)
            for next in ["/%0d%0aSet-Cookie:%20pace_session=X", "/%09/other.example/x", "/%5Cother.example", "/%2F%2Fother.example", "/%0Aother", "/%E2%80%AEx"] {
                let answer = try await viewer.get("/sign-in?next=\(next)")
                #expect(answer.status == .seeOther, "\(next)")
                #expect(answer.headers.first(name: .location) == "/", "\(next)")
                #expect(answer.headers.setCookie?[Credentials.sessionCookie] == nil, "\(next)")
            }
            #expect(try await viewer.get("/sign-in?next=%2Fstudies%3Fpage%3D2").headers.first(name: .location) == "/studies?page=2")
        }
    }

    @Test func aClientsRequestIDIsKeptOnlyWhenShortAndPlain() async throws {
        try await withPace { app, portfolio in
            let site = try #require(portfolio.recruitingHostSite)
            for (given, kept) in [("batch-7.a_b", true), (String(repeating: "x", count: 65), false), ("a b", false), ("<script>", false)] {
                var headers = app.apiHeaders
                headers.contentType = .json
                headers.replaceOrAdd(name: "X-Request-Id", value: given)
                let body = "{\"participant_id\": \"RID\(given.count)\(kept)\", \"status\": \"consented\", \"consent_date\": \"\(Day.today().iso)\"}"
                let answer = try await app.testing().sendRequest(.POST, "/api/v1/studies/\(site.cpmsID)/sites/\(site.siteODS)/participants", headers: headers, body: ByteBuffer(string: body))
                #expect(answer.status == .created, "\(answer.status) \(answer.text)")
                let event = try #require(try await AuditTrail(database: app.db).latest(limit: 1).first)
                #expect((event.requestID == given) == kept, "\(given)")
                #expect(event.requestID.utf8.count <= 64)
            }
        }
    }

    @Test func strictTransportSecurityGoesWithSecureCookies() async throws {
        try await withPace { app, _ in
            #expect(try await app.testing().sendRequest(.GET, "/health").headers.first(name: "Strict-Transport-Security") == nil)
            app.paceConfiguration.secureCookies = true
            let answer = try await app.testing().sendRequest(.GET, "/sign-in")
            #expect(answer.headers.first(name: "Strict-Transport-Security")?.hasPrefix("max-age=31536000") == true)
        }
    }

    @Test func aBurstOfGuessesChecksNoMoreThanTheLimit() async throws {
        // A database file, as Pace runs: writers wait their turn (shared in-memory SQLite refuses them at once).
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pace-burst-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) } }
        try await withPace(.sqliteFile(path: file)) { app, _ in
            let form = try await SignInTests().signInForm(app)
            let answers = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await SignInTests().submit(app, email: TestAccounts.email(.viewer), password: "a wrong guess", form: form) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == .unprocessableEntity }, "\(answers.map(\.status.code))")
            let stored = try #require(try await Accounts(database: app.db).account(email: TestAccounts.email(.viewer)))
            #expect(stored.failedSignIns == Accounts.lockAfterFailures)
            #expect(stored.lockedUntil != nil)
            // The right password after the burst does not sign in, and does not reset the count.
            let right = try await SignInTests().submit(app, email: TestAccounts.email(.viewer), password: TestAccounts.password, form: form)
            #expect(right.status == .unprocessableEntity)
            #expect(right.headers.setCookie?[Credentials.sessionCookie] == nil)
            #expect(try await Accounts(database: app.db).account(email: TestAccounts.email(.viewer))?.failedSignIns == Accounts.lockAfterFailures)
            // The trail says which refusals were for a locked account, though the person is not told.
            let reasons = try await AuditTrail(database: app.db).latest(limit: 41).filter { $0.action == "sign-in-failed" }.compactMap { $0.fieldChanges.first?.new }
            #expect(reasons.filter { $0 == "wrong password" }.count == Accounts.lockAfterFailures)
            #expect(reasons.filter { $0.contains("locked") }.count == SignInThrottle.limit - Accounts.lockAfterFailures)
            #expect(reasons.filter { $0.hasPrefix("too many sign-ins") }.count == 41 - SignInThrottle.limit)
        }
    }

    @Test func oneAddressCannotLockAccountAfterAccount() async throws {
        try await withPace { app, _ in
            let form = try await SignInTests().signInForm(app)
            let emails = [Role.viewer, .monitor, .studyTeam, .admin, .rdManager].map(TestAccounts.email)
            // Five wrong guesses at each of five accounts from one address: the throttle stops it part-way.
            for email in emails {
                for _ in 0..<Accounts.lockAfterFailures { _ = try await SignInTests().submit(app, email: email, password: "a wrong guess", form: form) }
            }
            let accounts = Accounts(database: app.db)
            var locked = 0
            for email in emails where try await accounts.account(email: email)?.lockedUntil != nil { locked += 1 }
            #expect(locked == SignInThrottle.limit / Accounts.lockAfterFailures)
            let reasons = try await AuditTrail(database: app.db).latest(limit: 30).filter { $0.action == "sign-in-failed" }.compactMap { $0.fieldChanges.first?.new }
            #expect(reasons.filter { $0.hasPrefix("too many sign-ins") }.count == emails.count * Accounts.lockAfterFailures - SignInThrottle.limit)
            // Another address is unaffected, and the first is let in again once the window has passed.
            #expect(try await SignInThrottle(database: app.db).attempt(from: "192.0.2.7"))
            #expect(try await SignInThrottle(database: app.db).attempt(from: "unknown", at: Date().addingTimeInterval(Double(SignInThrottle.windowMinutes * 60 + 1))))
        }
    }

    @Test func aForwardedAddressCountsOnlyFromATrustedProxy() async throws {
        try await withPace { app, _ in
            let request = Request(application: app, method: .GET, url: "/", on: app.eventLoopGroup.any())
            request.headers.replaceOrAdd(name: "X-Forwarded-For", value: "203.0.113.9")
            #expect(request.clientAddress != "203.0.113.9")
            app.paceConfiguration.trustedProxies = [request.remoteAddress?.ipAddress ?? "unknown"]
            #expect(request.clientAddress == "203.0.113.9")
        }
        #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.fromEnvironment(["PACE_TRUSTED_PROXIES": "127.0.0.1, nginx\r\n"]) }
        #expect(try AppConfiguration.fromEnvironment(["PACE_TRUSTED_PROXIES": "127.0.0.1, ::1"]).trustedProxies == ["127.0.0.1", "::1"])
    }

    @Test func passwordsAreLimitedInBytesNotCharacters() async throws {
        #expect(throws: FieldProblem.self) { try Passwords.check(String(repeating: "é", count: 40), email: "a@b.nhs.uk") }
        #expect(throws: Never.self) { try Passwords.check(String(repeating: "e", count: 72), email: "a@b.nhs.uk") }
        try await withPace { app, _ in
            // A password longer than bcrypt reads never signs in, even when its first 72 bytes are right.
            let accounts = Accounts(database: app.db)
            let viewer = try #require(try await accounts.account(email: TestAccounts.email(.viewer))?.account)
            let long = String(repeating: "p", count: 72)
            try await accounts.changePassword(id: viewer.id, newHash: try Passwords.hash(long, cost: 4), keepingSession: nil, by: .commandLine("test"))
            let form = try await SignInTests().signInForm(app)
            #expect(try await SignInTests().submit(app, email: viewer.email, password: long + "extra", form: form).status == .unprocessableEntity)
            #expect(try await SignInTests().submit(app, email: viewer.email, password: long, form: form).status == .seeOther)
        }
    }

    @Test func aNulInTextNeverMakesTheTrailLookTampered() async throws {
        try await withPace { app, portfolio in
            let form = try await SignInTests().signInForm(app)
            _ = try await SignInTests().submit(app, email: "admin@pace.example\u{0}x", password: "wrong", form: form)
            let site = try #require(portfolio.sites.first { $0.siteODS == "RT5" })
            var headers = app.apiHeaders
            headers.contentType = .json
            headers.replaceOrAdd(name: "X-Pace-Reason", value: "fix\u{1}ed")
            _ = try await app.testing().sendRequest(.PUT, "/api/v1/studies/\(site.cpmsID)/sites/RT5", headers: headers, body: ByteBuffer(string: "{\"local_pi\": \"Dr New\", \"role\": \"\(site.role.rawValue)\"}"))
            let verification = try await AuditTrail(database: app.db).verify()
            #expect(verification.breaks.isEmpty, "\(verification.lines)")
            let page = try await app.get("/admin/audit")
            #expect(page.text.contains("The chain verifies"))
        }
    }

    @Test func reflectedQueryKeysStayInsideThePagersLink() async throws {
        try await withPace { app, _ in
            let key = "%22%3E%3Cmeta%20http-equiv%3D%22refresh%22%20content%3D%220%3Burl%3Dhttp%3A%2F%2Fother.example%22%3E"
            let page = try await app.client(as: .viewer).get("/studies?per_page=1&\(key)=1")
            #expect(page.status == .ok)
            #expect(!page.text.contains("<meta http-equiv"))
            #expect(page.text.contains("rel=\"next\""))
        }
    }

    @Test func storedMarkupStaysText() async throws {
        try await withPace { app, portfolio in
            let study = try #require(portfolio.sites.first { $0.siteODS == "RT5" })
            let hostile = "S3\"><meta http-equiv=\"refresh\" content=\"0;url=http://other.example\">"
            try await (app.db as? any SQLDatabase)?.raw("UPDATE studies SET short_name = \(bind: hostile) WHERE cpms_id = \(bind: study.cpmsID)").run()
            for path in ["/studies/\(study.cpmsID)/sites/new", "/studies/\(study.cpmsID)/sites/RT5/edit", "/studies/\(study.cpmsID)", "/studies?q=S3"] {
                let page = try await app.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("<meta http-equiv"), "\(path)")
            }
            let token = try await app.postForm("/account/tokens", [("name", hostile)])
            #expect(token.status == .created)
            #expect(!(try await app.get("/account/tokens")).text.contains("<meta http-equiv"))
        }
    }

    @Test func aReasonMustSaySomething() async throws {
        for nothing in ["\u{200B}", "\u{0}", " \u{200E} ", "\u{FEFF}", ""] { #expect(!Reason.isGiven(nothing) || Reason.problem(nothing) != nil) }
        #expect(Reason.problem("Corrected from the site file") == nil)
        #expect(Reason.problem("訂正") == nil)
        try await withPace { app, portfolio in
            let site = try #require(portfolio.sites.first { $0.siteODS == "RT5" && $0.dateSiteSelected != nil && $0.dateSiteSelected! < Day.today().adding(days: -200) })
            var headers = app.apiHeaders
            headers.contentType = .json
            headers.replaceOrAdd(name: "X-Pace-Reason", value: "\u{200B}")
            let selected = try #require(site.dateSiteSelected).adding(days: -1).iso
            let answer = try await app.testing().sendRequest(.PUT, "/api/v1/studies/\(site.cpmsID)/sites/RT5", headers: headers,
                                                             body: ByteBuffer(string: "{\"role\": \"\(site.role.rawValue)\", \"date_site_selected\": \"\(selected)\", \"date_site_invited\": \"\"}"))
            #expect(answer.status == .unprocessableEntity, "\(answer.text)")
        }
    }

    @Test func anAPIImportKeepsTheFormsRulesForReportedMilestones() async throws {
        try await withPace { app, portfolio in
            let site = try #require(portfolio.sites.first { site in
                guard site.siteODS == "RT5", let selected = site.dateSiteSelected, selected < Day.today().adding(days: -200) else { return false }
                return site.dateSiteInvited.map { $0 < selected.adding(days: -1) } ?? true
            })
            let earlier = try #require(site.dateSiteSelected).adding(days: -1).iso
            let file = "cpms_id,site_ods,role,date_site_selected\n\(site.cpmsID),RT5,\(site.role.rawValue),\(earlier)\n"
            var headers = app.apiHeaders
            headers.contentType = .init(type: "text", subType: "csv")
            let refused = try await app.testing().sendRequest(.POST, "/api/v1/import/sites", headers: headers, body: ByteBuffer(string: file))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("date_site_selected"))
            headers.replaceOrAdd(name: "X-Pace-Filename", value: "sites\u{1}.csv")
            #expect(try await app.testing().sendRequest(.POST, "/api/v1/import/sites", headers: headers, body: ByteBuffer(string: file)).status == .badRequest)
            headers.replaceOrAdd(name: "X-Pace-Filename", value: "sites.csv")
            headers.replaceOrAdd(name: "X-Pace-Reason", value: "Corrected from the sponsor's letter")
            let accepted = try await app.testing().sendRequest(.POST, "/api/v1/import/sites", headers: headers, body: ByteBuffer(string: file))
            #expect(accepted.status == .ok, "\(accepted.text)")
            let change = try #require(try await AuditTrail(database: app.db).latest(limit: 3).first { $0.action == "change" })
            #expect(change.recordKey == "\(site.cpmsID)/RT5")
            #expect(change.fieldChanges.first { $0.field == "date_site_selected" }?.new == earlier)
        }
    }

    @Test func spreadsheetsNeverRunAFormulaFromPace() async throws {
        try await withPace { app, _ in
            let form = try await SignInTests().signInForm(app)
            _ = try await SignInTests().submit(app, email: "=HYPERLINK(\"http://other.example\",\"Verified\")", password: "wrong", form: form)
            let csv = try await app.getAPIText("/api/v1/audit-events?format=csv")
            let lowered = csv.lowercased()
            #expect(!lowered.contains(",=hyperlink") && !lowered.contains(",\"=hyperlink"))
            #expect(lowered.contains("\"'=hyperlink"))
        }
    }

    @Test func searchTextIsBounded() async throws {
        try await withPace { app, _ in
            let viewer = try await app.client(as: .viewer)
            #expect(try await viewer.get("/studies?q=" + String(repeating: "a", count: 50_000)).status == .badRequest)
            #expect(try await viewer.get("/studies?q=%00").status == .badRequest)
            #expect(try await viewer.get("/studies?theme=%0A").status == .badRequest)
            #expect(try await viewer.get("/studies?q=%25_").status == .ok)
            // The list again, with the message beside the filter and the filters to correct it.
            let refused = try await viewer.get("/studies?status=nonsense")
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("There is a problem") && refused.text.contains("Filter studies"))
            #expect(refused.text.contains("&#39;nonsense&#39; must be one of"))
        }
    }

    @Test func scopedRolesSeeOnlyTheirStudiesFilterChoices() async throws {
        try await withPace { app, portfolio in
            let team = try await app.client(as: .studyTeam)
            let mine = try #require(team.caller?.account.studies)
            let page = try await team.get("/studies")
            #expect(page.status == .ok)
            let theirs = Set(portfolio.studies.filter { mine.contains($0.cpmsID) }.flatMap(\.themes))
            let others = Set(portfolio.studies.flatMap(\.themes)).subtracting(theirs)
            #expect(!others.isEmpty)
            for theme in others { #expect(!page.text.contains("value=\"\(escapedAttribute(theme))\""), "\(theme)") }
            for theme in theirs { #expect(page.text.contains("value=\"\(escapedAttribute(theme))\""), "\(theme)") }
            // The PIC choices on their site page are their studies' organisations too.
            let study = try #require(mine.sorted().first { id in portfolio.sites.contains { $0.cpmsID == id && $0.siteODS == "RT5" } })
            let sitePage = try await team.get("/studies/\(study)/sites/RT5")
            #expect(sitePage.status == .ok)
            let register = Register(database: app.db)
            let allowed = Set(try await register.organisationChoices(ofStudies: mine).map(\.odsCode))
            let unrelated = try await register.organisationChoices().map(\.odsCode).filter { !allowed.contains($0) }
            #expect(!unrelated.isEmpty)
            for code in unrelated { #expect(!sitePage.text.contains("value=\"\(code)\""), "\(code)") }
        }
    }

    @Test func aStudyTeamRecordsOnlyAtItsOwnTrustsSites() async throws {
        try await withPace { app, portfolio in
            let team = try await app.client(as: .studyTeam)
            let mine = try #require(team.caller?.account.studies)
            let elsewhere = try #require(portfolio.sites.first { mine.contains($0.cpmsID) && $0.siteODS != "RT5" && $0.role.recruits })
            let body = "{\"participant_id\": \"ELSEWHERE-1\", \"status\": \"consented\", \"consent_date\": \"\(Day.today().iso)\"}"
            let refused = try await team.sendJSON(.POST, "/api/v1/studies/\(elsewhere.cpmsID)/sites/\(elsewhere.siteODS)/participants", body)
            #expect(refused.status == .forbidden)
            let form = try await team.postForm("/studies/\(elsewhere.cpmsID)/sites/\(elsewhere.siteODS)/participants", [("participant_id", "ELSEWHERE-2"), ("status", "consented")])
            #expect(form.status == .forbidden)
            let page = try await team.get("/studies/\(elsewhere.cpmsID)/sites/\(elsewhere.siteODS)")
            #expect(page.status == .ok)
            #expect(!page.text.contains("Record participant"))
        }
    }

    @Test func aSessionInUseNeverTimesOut() async throws {
        try await withPace { app, _ in
            let viewer = try await app.client(as: .viewer)
            // Last written 59 seconds ago (so not written again), and the person comes back just inside the idle time.
            let lastWritten = Date().addingTimeInterval(-Double(app.paceConfiguration.sessionIdleMinutes * 60) - 30)
            try await (app.db as? any SQLDatabase)?.raw("UPDATE sessions SET last_seen_at = \(bind: AuditTrail.timestampForTests(lastWritten)) WHERE user_id = \(bind: try viewer.caller.unwrap().account.id)").run()
            #expect(try await viewer.get("/studies").status == .ok)
        }
    }
}

extension Application {
    func getAPIText(_ path: String) async throws -> String {
        try await testing().sendRequest(.GET, path, headers: apiHeaders).text
    }
}

extension AuditTrail {
    static func timestampForTests(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
