import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import SQLKit
import Testing
import VaporTesting

@Suite(.serialized)
struct SignInTests {
    /// Opens the sign-in form as a browser would: the token in the page matches the cookie set with it.
    func signInForm(_ app: Application, next: String? = nil) async throws -> (cookie: String, token: String) {
        let page = try await app.testing().sendRequest(.GET, next.map { "/sign-in?next=" + percentEncoded($0) } ?? "/sign-in")
        #expect(page.status == .ok)
        let cookie = try #require(page.headers.setCookie?[Credentials.signInCookie]?.string)
        let token = try #require(page.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
        #expect(String(token) == cookie)
        return (cookie, String(token))
    }

    func submit(_ app: Application, email: String, password: String, next: String? = nil, form: (cookie: String, token: String)) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.cookie = HTTPCookies(dictionaryLiteral: (Credentials.signInCookie, HTTPCookies.Value(string: form.cookie)))
        headers.contentType = .urlEncodedForm
        let body = "csrf_token=\(formEncoded(form.token))&email=\(formEncoded(email))&password=\(formEncoded(password))"
        return try await app.testing().sendRequest(.POST, next.map { "/sign-in?next=" + percentEncoded($0) } ?? "/sign-in", headers: headers, body: ByteBuffer(string: body))
    }

    func page(_ app: Application, _ path: String, session: String) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.cookie = HTTPCookies(dictionaryLiteral: (Credentials.sessionCookie, HTTPCookies.Value(string: session)))
        return try await app.testing().sendRequest(.GET, path, headers: headers)
    }

    @Test func aPersonSignsInIsSentBackAndSignsOut() async throws {
        try await withPace { app, _ in
            let form = try await signInForm(app, next: "/dashboard")
            let signedIn = try await submit(app, email: " Manager@Pace.example ", password: TestAccounts.password, next: "/dashboard", form: form)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers.first(name: .location) == "/dashboard")
            let cookie = try #require(signedIn.headers.setCookie?[Credentials.sessionCookie])
            #expect(cookie.isHTTPOnly && cookie.sameSite == .lax)
            let dashboard = try await page(app, "/dashboard", session: cookie.string)
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("Morgan Manager"))

            // The session is in the database: only its hash is stored.
            let stored = try await (app.db as? any SQLDatabase)?.raw("SELECT key_hash FROM sessions").all().compactMap { try $0.decode(column: "key_hash", as: String.self) } ?? []
            #expect(stored.contains(AuditTrail.sha256(cookie.string)))
            #expect(!stored.contains(cookie.string))

            let csrf = try #require(dashboard.text.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)
            let out = try await TestClient(app: app, caller: TestCaller(account: try app.testCaller.unwrap().account, sessionKey: cookie.string, csrfToken: String(csrf), apiToken: ""))
                .postForm("/sign-out", [])
            #expect(out.headers.first(name: .location) == "/sign-in?signed-out=1")
            #expect(try await page(app, "/dashboard", session: cookie.string).headers.first(name: .location) == "/sign-in?next=%2Fdashboard")
            let actions = try await AuditTrail(database: app.db).latest(limit: 2).map(\.action)
            #expect(actions == ["sign-out", "sign-in"])
        }
    }

    @Test func onlyPagesOnThisSiteAreReturnedTo() async throws {
        try await withPace { app, _ in
            for next in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
                let response = try await submit(app, email: TestAccounts.email(.viewer), password: TestAccounts.password, next: next, form: try await signInForm(app))
                #expect(response.headers.first(name: .location) == "/", "\(next)")
            }
        }
    }

    @Test func wrongPasswordsAreRefusedAndTheAccountLocks() async throws {
        try await withPace { app, _ in
            let form = try await signInForm(app)
            let unknown = try await submit(app, email: "nobody@pace.example", password: "whatever it is", form: form)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.text.contains("The email or password is not right"))
            for _ in 1...Accounts.lockAfterFailures {
                let wrong = try await submit(app, email: TestAccounts.email(.viewer), password: "not the password", form: form)
                #expect(wrong.status == .unprocessableEntity)
                #expect(!wrong.text.contains("not the password"))
            }
            let locked = try await submit(app, email: TestAccounts.email(.viewer), password: TestAccounts.password, form: form)
            #expect(locked.status == .unprocessableEntity)
            // Locked, wrong and unknown get the same words, so nobody learns which accounts exist.
            #expect(locked.text.contains("The email or password is not right"))
            #expect(locked.text.components(separatedBy: "csrf_token").count == unknown.text.components(separatedBy: "csrf_token").count)
            let failures = try await AuditTrail(database: app.db).latest(limit: 20).filter { $0.action == "sign-in-failed" }
            #expect(failures.count == Accounts.lockAfterFailures + 2)
            #expect(failures.first?.recordKey == TestAccounts.email(.viewer))
        }
    }

    @Test func signingInWithoutTheFormsTokenIsRefused() async throws {
        try await withPace { app, _ in
            let forged = try await submit(app, email: TestAccounts.email(.viewer), password: TestAccounts.password, form: (cookie: "one", token: "another"))
            #expect(forged.status == .forbidden)
            #expect(forged.headers.setCookie?[Credentials.sessionCookie] == nil)
        }
    }

    @Test func aMonitorWhoseAccessHasEndedCannotSignIn() async throws {
        try await withPace { app, _ in
            let accounts = Accounts(database: app.db)
            let monitor = try #require(try await accounts.account(email: TestAccounts.email(.monitor))?.account)
            let yesterday = Day.today().adding(days: -1).iso
            try await accounts.update(id: monitor.id, AccountForm(email: monitor.email, name: monitor.name, role: "monitor", studies: monitor.studies.map(String.init).joined(separator: ","), accessUntil: yesterday), isActive: true, by: .commandLine("test"))
            let refused = try await submit(app, email: monitor.email, password: TestAccounts.password, form: try await signInForm(app))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Your access ended on"))
        }
    }

    @Test func anIdleSessionEnds() async throws {
        try await withPace { app, _ in
            let viewer = try await app.client(as: .viewer)
            #expect(try await viewer.get("/studies").status == .ok)
            let idle = Date().addingTimeInterval(-Double(app.paceConfiguration.sessionIdleMinutes * 60 + 120))
            try await (app.db as? any SQLDatabase)?.raw("UPDATE sessions SET last_seen_at = \(bind: idle.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))) WHERE user_id = \(bind: try viewer.caller.unwrap().account.id)").run()
            #expect(try await viewer.get("/studies").headers.first(name: .location) == "/sign-in?next=%2Fstudies")
            // Signing in clears away sessions nobody can use any more.
            let other = try await app.client(as: .admin)
            try await (app.db as? any SQLDatabase)?.raw("UPDATE sessions SET last_seen_at = \(bind: idle.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))) WHERE user_id = \(bind: try other.caller.unwrap().account.id)").run()
            _ = try await submit(app, email: TestAccounts.email(.viewer), password: TestAccounts.password, form: try await signInForm(app))
            let left = try await Accounts(database: app.db).session(keyHash: APITokens.storedHash(try other.caller.unwrap().sessionKey))
            #expect(left == nil)
        }
    }

    @Test func formsWithoutTheSessionsTokenAreRefusedAndChangeNothing() async throws {
        try await withPace { app, portfolio in
            let study = try #require(portfolio.studies.first)
            let manager = app.manager
            let missing = try await manager.postForm("/studies/\(study.cpmsID)/edit", [("short_name", "HIJACKED"), ("route", study.route.rawValue)], csrf: false)
            #expect(missing.status == .forbidden)
            let wrong = try await manager.postForm("/studies/\(study.cpmsID)/edit", [("short_name", "HIJACKED"), ("route", study.route.rawValue), ("csrf_token", "guess")], csrf: false)
            #expect(wrong.status == .forbidden)
            let upload = try await app.testing().sendRequest(.POST, "/import", headers: manager.cookieHeaders.adding(contentType: "multipart/form-data; boundary=x"), body: ByteBuffer(string: "--x--\r\n"))
            #expect(upload.status == .forbidden)
            #expect(try await app.get("/studies/\(study.cpmsID)").text.contains("HIJACKED") == false)
            // A script using the session sends the token in a header instead.
            var headers = manager.cookieHeaders
            headers.replaceOrAdd(name: Credentials.csrfHeader, value: try app.testCaller.unwrap().csrfToken)
            headers.contentType = .urlEncodedForm
            let viaHeader = try await app.testing().sendRequest(.POST, "/studies/\(study.cpmsID)/edit", headers: headers, body: ByteBuffer(string: "short_name=RENAMED&route=\(study.route.rawValue)&cpms_id=\(study.cpmsID)"))
            #expect(viaHeader.status == .seeOther)
        }
    }

    @Test func pagesCarryTheSecurityHeaders() async throws {
        try await withPace { app, _ in
            for response in [try await app.get("/dashboard"), try await app.testing().sendRequest(.GET, "/sign-in"), try await app.get("/no-such-page")] {
                let policy = try #require(response.headers.first(name: "Content-Security-Policy"))
                #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(response.headers.first(name: "X-Frame-Options") == "DENY")
                #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
            #expect(try await app.get("/dashboard").headers.first(name: .cacheControl) == "no-store")
            #expect(try await app.manager.getAPI("/api/v1/studies").headers.first(name: .cacheControl) == "no-store")
            let health = try await app.testing().sendRequest(.GET, "/health")
            #expect(health.status == .ok)
            #expect(!health.text.contains("RT5"))
        }
    }

    @Test func theAPINeedsALiveToken() async throws {
        try await withPace { app, _ in
            let none = try await app.testing().sendRequest(.GET, "/api/v1/studies")
            #expect(none.status == .unauthorized)
            #expect(try none.json()["error"] != nil)
            var forged = HTTPHeaders()
            forged.bearerAuthorization = BearerAuthorization(token: "pace_not-a-token")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/studies", headers: forged).status == .unauthorized)
            let viewer = try await app.client(as: .viewer)
            #expect(try await viewer.getAPI("/api/v1/studies").status == .ok)
            let account = try viewer.caller.unwrap().account
            let token = try #require(try await Accounts(database: app.db).tokens(of: account).first)
            try await Accounts(database: app.db).revokeToken(id: token.id, of: account, by: .commandLine("test"))
            #expect(try await viewer.getAPI("/api/v1/studies").status == .unauthorized)
        }
    }

    @Test func aPasswordChangeEndsOtherSessions() async throws {
        try await withPace { app, _ in
            let first = try await app.client(as: .viewer)
            let second = try await app.client(as: .viewer)
            let wrong = try await first.postForm("/account/password", [("current_password", "nope"), ("new_password", "a new long password"), ("confirm_password", "a new long password")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.text.contains("This is not your current password"))
            let short = try await first.postForm("/account/password", [("current_password", TestAccounts.password), ("new_password", "short"), ("confirm_password", "short")])
            #expect(short.text.contains("at least 12 characters"))
            let changed = try await first.postForm("/account/password", [("current_password", TestAccounts.password), ("new_password", "a new long password"), ("confirm_password", "a new long password")])
            #expect(changed.status == .seeOther)
            #expect(try await first.get("/studies").status == .ok)
            #expect(try await second.get("/studies").status == .seeOther)
            let signedIn = try await submit(app, email: TestAccounts.email(.viewer), password: "a new long password", form: try await signInForm(app))
            #expect(signedIn.status == .seeOther)
        }
    }

    @Test func theStudyListShowsAStudyTeamOnlyItsStudies() async throws {
        try await withPace { app, _ in
            let team = try await app.client(as: .studyTeam)
            let studies = try team.caller.unwrap().account.studies
            let listed = try await team.getAPI("/api/v1/studies?per_page=200").json()
            guard case .array(let rows) = listed["studies"] else { Issue.record("no studies"); return }
            #expect(Set(rows.compactMap { row -> Int? in if case .integer(let id) = row["cpms_id"] { id } else { nil } }) == studies)
            #expect(try await team.get("/").headers.first(name: .location) == "/studies")
        }
    }
}

extension Optional {
    func unwrap() throws -> Wrapped {
        guard let value = self else { throw Abort(.internalServerError, reason: "missing test value") }
        return value
    }
}

extension HTTPHeaders {
    func adding(contentType: String) -> HTTPHeaders {
        var headers = self
        headers.replaceOrAdd(name: .contentType, value: contentType)
        return headers
    }
}
