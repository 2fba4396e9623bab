import PaceCore
import PaceStore
import Vapor

/// Signing in and out. Sign-in failures, lock-outs and sign-outs are all written to the audit trail.
struct SignInController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("sign-in", use: form).requires(.open)
        routes.post("sign-in", use: signIn).requires(.open)
        routes.post("sign-out", use: signOut).requires(.signedIn)
    }

    func form(request: Request) async throws -> Response {
        if request.caller != nil { return seeOther(Self.next(request) ?? Paths.home) }
        let notice = request.query[String.self, at: "signed-out"] != nil ? "You have signed out." : nil
        return try await page(request, form: FormState(), notice: notice, status: .ok)
    }

    func signIn(request: Request) async throws -> Response {
        let values = try request.formValues()
        // Before a session exists, the form's token must match the one set in the browser with the form.
        guard let cookie = request.cookies[Credentials.signInCookie]?.string,
              Credentials.matches(values[Credentials.csrfField] ?? "", cookie) else {
            throw Abort(.forbidden, reason: "The sign-in form was out of date. Reload the page and sign in again.")
        }
        let email = (values["email"] ?? "").trimmingSpaces
        let password = values["password"] ?? ""
        let accounts = Accounts(database: request.db)
        // Text that no account can have (too long, control characters, over bcrypt's 72 bytes) is never looked up or checked.
        let readable = !email.isEmpty && email.utf8.count <= 320 && !RowReader.containsControlCharacter(email)
            && password.utf8.count <= Passwords.maximumBytes
        // One address may try only so often, whichever accounts it names, so it cannot lock account after account.
        let address = request.clientAddress
        let throttle = SignInThrottle(database: request.db)
        let allowed = try await throttle.attempt(from: address)
        let stored = readable && allowed ? try await accounts.account(email: email) : nil
        // Claiming the check is atomic: a burst of guesses gets at most the allowed number checked.
        let claimed = if let stored { try await accounts.claimSignInAttempt(accountID: stored.account.id) } else { false }
        // A password is checked even for an unknown or locked account, so timing reveals neither.
        let hash = claimed ? (stored?.passwordHash ?? Self.unknownAccountHash) : Self.unknownAccountHash
        let passwordMatches = try await request.application.threadPool.runIfActive { try Bcrypt.verify(password, created: hash) } && claimed

        let refusal: String?
        if let stored, passwordMatches, !stored.account.isActive {
            refusal = "This account has been closed. Ask your R&D office if you need access."
        } else if let stored, passwordMatches, let until = stored.account.accessUntil, Day.today() > until {
            refusal = "Your access ended on \(Show.longDate(until)). Ask the R&D office to extend it."
        } else if !passwordMatches {
            // The same words for an unknown email, a wrong password and a locked account, so nobody learns which accounts exist.
            refusal = Self.notSignedIn
        } else {
            refusal = nil
        }
        guard let stored, refusal == nil else {
            if let stored, passwordMatches { try await accounts.clearFailedSignIns(accountID: stored.account.id) }
            // The trail says exactly why, for the R&D office; the person is told only that it did not work.
            let audited = if !allowed { "too many sign-ins from \(address) in \(SignInThrottle.windowMinutes) minutes" }
                else if stored == nil { "no such account" }
                else if !claimed { "locked after repeated wrong passwords" }
                else if !passwordMatches { "wrong password" }
                else { refusal ?? "" }
            try await accounts.recordFailedSignIn(email: ParameterProblem.quoted(email), reason: audited, by: request.auditContext)
            return try await page(request, form: FormState(values: ["email": readable ? email : ""], problems: [FieldProblem(column: "email", message: refusal ?? "")]), notice: nil, status: .unprocessableEntity)
        }
        try await throttle.succeeded(from: address)
        let key = Credentials.randomSecret()
        try await accounts.startSession(
            for: stored.account, keyHash: Credentials.storedHash(key), csrfToken: Credentials.randomSecret(),
            by: AuditContext.user(stored.account.email, requestID: request.auditContext.requestID)
        )
        try await accounts.endIdleSessions(before: Date().addingTimeInterval(-request.configuration.sessionIdleLimit))
        let response = seeOther(Self.next(request) ?? Paths.home)
        response.cookies[Credentials.sessionCookie] = sessionCookie(key, request)
        response.cookies[Credentials.signInCookie] = expired(request, path: Paths.signIn)
        return response
    }

    func signOut(request: Request) async throws -> Response {
        if let caller = request.caller, let keyHash = caller.sessionKeyHash {
            try await Accounts(database: request.db).endSession(keyHash: keyHash, account: caller.account, by: request.auditContext)
        }
        let response = seeOther(Paths.signIn + "?signed-out=1")
        response.cookies[Credentials.sessionCookie] = expired(request)
        return response
    }

    private func page(_ request: Request, form: FormState, notice: String?, status: HTTPStatus) async throws -> Response {
        // Reuse the browser's token while it looks like one of ours, so two open tabs both work.
        let existing = request.cookies[Credentials.signInCookie]?.string ?? ""
        let token = existing.utf8.count == 43 ? existing : Credentials.randomSecret()
        let response = SignInPage(form: form, next: Self.next(request), csrfToken: token, notice: notice)
            .render(hostName: try await request.hostName()).response(status)
        response.cookies[Credentials.signInCookie] = HTTPCookies.Value(
            string: token, maxAge: 3_600, path: Paths.signIn, isSecure: request.configuration.secureCookies, isHTTPOnly: true, sameSite: .strict
        )
        return response
    }

    static func next(_ request: Request) -> String? {
        request.query[String.self, at: "next"].flatMap { Paths.isLocal($0) && $0 != Paths.signIn ? $0 : nil }
    }

    private func sessionCookie(_ key: String, _ request: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(string: key, path: "/", isSecure: request.configuration.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    private func expired(_ request: Request, path: String = "/") -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path, isSecure: request.configuration.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    static let notSignedIn = "The email or password is not right. After \(Accounts.lockAfterFailures) wrong passwords in a row an account is locked for \(Accounts.lockMinutes) minutes; ask your R&D office if you are locked out."

    /// A Bcrypt hash of a random password nobody knows, checked when the email has no account.
    private static let unknownAccountHash = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5bqjX7GmQ1Sv0KzsdqkrGpqNTkWbVvK"
}
