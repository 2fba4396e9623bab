import PaceCore
import PaceStore
import Vapor

/// The one place every request is checked: who is asking (session cookie or API token), whether their
/// role allows the route, and — for a form posted from a session — whether it carries the session's
/// CSRF token. Routes that declare no permission are refused, so a new route cannot be open by mistake.
struct AccessMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Open routes (the health check, the stylesheet) need nobody's identity, except the sign-in
        // page, which sends a person already signed in onwards.
        let permission = try Self.permission(request)
        let caller = permission == .open && request.url.path != Paths.signIn ? nil : try await identify(request)
        request.storage[CallerKey.self] = caller
        try await check(request, permission, caller: caller)
        var context = PageContext(account: caller?.account, csrfToken: caller?.csrfToken)
        // A page a person reads after a save shows the save's confirmation once.
        if request.method == .GET, !request.isAPI, caller?.flash != nil {
            context.notice = try await request.takeMessage()
        }
        return try await PageContext.$current.withValue(context) {
            try await next.respond(to: request)
        }
    }

    /// What the route declared. An unknown address asks for sign-in first, so nobody learns which
    /// addresses exist; a route that declared nothing is refused.
    private static func permission(_ request: Request) throws -> Permission {
        guard let route = request.route else { return .signedIn }
        guard let declared = route.permission else {
            request.logger.error("\(route.method) \(route.path.map(\.description).joined(separator: "/")) declares no permission; refused")
            throw Abort(.forbidden, reason: "This address is not open to anyone.")
        }
        return declared
    }

    private func check(_ request: Request, _ permission: Permission, caller: Caller?) async throws {
        // Open routes include signing in, which checks its own pre-session token.
        if permission == .open { return }
        guard let caller else { throw signInNeeded(request) }
        let study = permission.needsStudy ? request.parameters.get("cpms").flatMap(Identifiers.cpmsID) : nil
        let atHostSite = request.parameters.get("ods").flatMap(Identifiers.normalisedODSCode).map { $0 == request.configuration.hostODS }
        guard AccessPolicy.allows(caller.account, permission, study: study, atHostSite: atHostSite, on: Day.today()) else {
            throw Abort(.forbidden, reason: "Your role (\(caller.account.role.title)) does not allow this. Ask your R&D office if you need access.")
        }
        if caller.viaSession, ![.GET, .HEAD].contains(request.method) {
            try await requireCSRFToken(request, expected: caller.csrfToken ?? "")
        }
    }

    private func signInNeeded(_ request: Request) -> any Error {
        if request.isAPI {
            return Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer"], reason: "Sign-in needed: send an API token as 'Authorization: Bearer TOKEN' (create one under Account › API tokens).")
        }
        var target = request.url.path
        if let query = request.url.query, !query.isEmpty { target += "?" + query }
        return Abort.redirect(to: Paths.signIn(next: request.method == .GET ? target : nil))
    }

    /// The caller from an API token (Authorization: Bearer) or the session cookie.
    private func identify(_ request: Request) async throws -> Caller? {
        let accounts = Accounts(database: request.db)
        if let bearer = request.headers.bearerAuthorization?.token {
            guard let account = try await accounts.account(tokenHash: Credentials.storedHash(bearer)) else {
                throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""], reason: "The API token is not valid: it may have been revoked.")
            }
            return Caller(account: account, csrfToken: nil, viaSession: false, sessionKeyHash: nil, flash: nil)
        }
        guard let key = request.cookies[Credentials.sessionCookie]?.string, !key.isEmpty else { return nil }
        let keyHash = Credentials.storedHash(key)
        guard let session = try await accounts.session(keyHash: keyHash) else { return nil }
        let idle = Date().timeIntervalSince(session.lastSeenAt)
        if idle > request.configuration.sessionIdleLimit || !session.account.isCurrent(on: Day.today()) {
            try await accounts.endSession(keyHash: keyHash, account: nil, by: nil)
            return nil
        }
        // Recorded to the minute, without a write on every page; the idle limit allows for that minute,
        // so someone active throughout is never signed out.
        if idle > AppConfiguration.sessionTouchSeconds { try await accounts.touchSession(keyHash: keyHash) }
        return Caller(account: session.account, csrfToken: session.csrfToken, viaSession: true, sessionKeyHash: keyHash, flash: session.flash)
    }

    private func requireCSRFToken(_ request: Request, expected: String) async throws {
        if let header = request.headers.first(name: Credentials.csrfHeader) {
            guard Credentials.matches(header, expected) else { throw csrfRefused }
            return
        }
        try await request.collectBodyForCSRF()
        let given = (try? request.content.get(String.self, at: Credentials.csrfField)) ?? ""
        guard Credentials.matches(given, expected) else { throw csrfRefused }
    }

    private var csrfRefused: Abort {
        Abort(.forbidden, reason: "The form's security token is missing or out of date (perhaps you signed in again elsewhere). Go back, reload the page and try again.")
    }
}

/// The person behind a request, and how they proved it.
struct Caller: Sendable {
    let account: Account
    let csrfToken: String?
    let viaSession: Bool
    let sessionKeyHash: String?
    /// The message the session carries for this page, if any.
    let flash: String?
}

extension Request {
    /// Leaves a message for the next page this person opens; it lives in the session, never in a URL,
    /// so nothing typed into a form reaches browser history or server logs.
    func leaveMessage(_ message: String) async throws {
        guard let keyHash = caller?.sessionKeyHash else { return }
        try await Accounts(database: db).setFlash(message, keyHash: keyHash)
    }

    /// The message left for this page, taken (so a reload does not show it again).
    func takeMessage() async throws -> String? {
        guard let message = caller?.flash, let keyHash = caller?.sessionKeyHash else { return nil }
        try await Accounts(database: db).setFlash(nil, keyHash: keyHash)
        return message
    }
}

struct MadeRequestIDKey: StorageKey {
    typealias Value = String
}

struct CallerKey: StorageKey {
    typealias Value = Caller
}

extension Request {
    var caller: Caller? { storage[CallerKey.self] }

    /// The signed-in account; routes that need one only run once the middleware has found it.
    func account() throws -> Account {
        guard let account = caller?.account else { throw Abort(.unauthorized) }
        return account
    }

    /// The studies this person may list (nil: every study).
    var visibleStudies: Set<Int>? {
        caller.map { AccessPolicy.visibleStudies($0.account) } ?? []
    }

    /// Who the audit trail records for this request, with the request's id.
    var auditContext: AuditContext {
        let actor = caller.map { "user:\($0.account.email)" } ?? "anonymous from \(clientAddress)"
        // The API gives a correction's reason in a header; forms add theirs with `because`.
        return AuditContext(actor: actor, requestID: requestID, reason: Reason.recorded(headers.first(name: "X-Pace-Reason")))
    }

    /// The client's address: the peer's, or — when the peer is a trusted proxy — the last address the
    /// proxy added to `X-Forwarded-For`.
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        guard configuration.trustedProxies.contains(peer),
              let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").last.map({ $0.trimmingCharacters(in: .whitespaces) }),
              AppConfiguration.looksLikeAddress(forwarded) else { return peer }
        return forwarded
    }

    /// A client's `X-Request-Id` is kept only when it is short and plain (up to 64 of A–Z, a–z, 0–9,
    /// `.`, `_`, `-`); otherwise the request's own id is used, so nothing unbounded reaches the trail.
    var requestID: String {
        if let given = headers.first(name: "X-Request-Id"), (1...64).contains(given.utf8.count),
           given.utf8.allSatisfy({ Identifiers.isASCIIDigit($0) || Identifiers.isASCIILetter($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) {
            return given
        }
        // Vapor takes its own request id from the same header, so a refused one needs an id of Pace's making.
        if let made = storage[MadeRequestIDKey.self] { return made }
        let made = UUID().uuidString
        storage[MadeRequestIDKey.self] = made
        return made
    }

    /// Reads the body before the route does, so the CSRF token can be checked; the route reuses it.
    func collectBodyForCSRF() async throws {
        let limit = isUpload ? configuration.uploadLimitBytes : 1_048_576
        if let bytes = headers.first(name: .contentLength).flatMap(Int.init), bytes > limit {
            throw Abort(.payloadTooLarge)
        }
        _ = try await body.collect(max: limit).get()
    }
}
