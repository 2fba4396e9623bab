import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting
import SQLKit

/// Builds Pace on a fresh in-memory SQLite database (or the test PostgreSQL) with a small demo portfolio.
func withPace(
    _ location: DatabaseLocation = .sqliteMemory, suite: String = "web", uploadLimitBytes: Int = AppConfiguration.defaultUploadLimit,
    _ body: (Application, DemoPortfolio) async throws -> Void
) async throws {
    var location = location
    if case .postgres(let url) = location {
        // Each suite has its own database: suites run side by side and each empties its schema first.
        location = try await DatabaseLocation.separatePostgres(baseURL: url, suffix: suite)
    }
    var configuration = AppConfiguration(database: location, hostODS: "RT5", uploadLimitBytes: uploadLimitBytes)
    configuration.passwordCost = 4
    if location.isPostgres {
        // Start from an empty schema so each test sees only its own data.
        let opened = try PaceDatabase(location)
        if let sql = try opened.database as? any SQLDatabase {
            try await sql.raw("DROP SCHEMA public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        await opened.shutdown()
    }
    let app = try await buildApplication(configuration, environment: .testing)
    do {
        let portfolio = DemoPortfolio(seed: 5, asOf: Day.today(), studyCount: 24)
        try await Register(database: app.db).load(portfolio, by: .commandLine("test"))
        try await GCPStore(database: app.db).loadDemo(portfolio, today: Day.today(), by: .commandLine("test"))
        _ = try await DemoAccounts.create(on: app.db, portfolio: portfolio, password: TestAccounts.password, cost: 4, by: .commandLine("test"))
        app.storage[TestCallerKey.self] = try await TestCaller.signIn(app, as: .rdManager)
        try await body(app, portfolio)
    } catch {
        try await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

enum WebTestDatabases {
    static var locations: [DatabaseLocation] {
        var locations: [DatabaseLocation] = [.sqliteMemory]
        if let url = ProcessInfo.processInfo.environment["PACE_TEST_POSTGRES_URL"], !url.isEmpty {
            locations.append(.postgres(url: url))
        }
        return locations
    }
}

/// The demo accounts' emails and password in tests.
enum TestAccounts {
    static let password = "test-password-123"

    static func email(_ role: Role) -> String {
        switch role {
        case .admin: "admin@pace.example"
        case .rdManager: "manager@pace.example"
        case .studyTeam: "team@pace.example"
        case .viewer: "viewer@pace.example"
        case .monitor: "monitor@pace.example"
        }
    }
}

/// A signed-in person in a test: their session cookie and CSRF token, and an API token.
struct TestCaller: Sendable {
    let account: Account
    let sessionKey: String
    let csrfToken: String
    let apiToken: String

    /// Signs in without the sign-in form (the sign-in tests go through the form itself).
    static func signIn(_ app: Application, as role: Role) async throws -> TestCaller {
        let accounts = Accounts(database: app.db)
        guard let stored = try await accounts.account(email: TestAccounts.email(role)) else { throw Abort(.internalServerError) }
        let key = APITokens.newToken(), csrf = APITokens.newToken(), token = APITokens.newToken()
        try await accounts.startSession(for: stored.account, keyHash: APITokens.storedHash(key), csrfToken: csrf, by: .commandLine("test"))
        try await accounts.createToken(for: stored.account, name: "tests", tokenHash: APITokens.storedHash(token), by: .commandLine("test"))
        return TestCaller(account: stored.account, sessionKey: key, csrfToken: csrf, apiToken: token)
    }
}

struct TestCallerKey: StorageKey {
    typealias Value = TestCaller
}

/// Requests as one person: pages with their session cookie, forms with its CSRF token, JSON with their API token.
struct TestClient {
    let app: Application
    let caller: TestCaller?

    var cookieHeaders: HTTPHeaders {
        var headers = HTTPHeaders()
        if let caller { headers.cookie = HTTPCookies(dictionaryLiteral: ("pace_session", HTTPCookies.Value(string: caller.sessionKey))) }
        return headers
    }

    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, path, headers: cookieHeaders)
    }

    /// Posts a form as a browser would (application/x-www-form-urlencoded), with the session's CSRF token.
    func postForm(_ path: String, _ fields: [(String, String)], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var fields = fields
        if csrf, let caller { fields.append(("csrf_token", caller.csrfToken)) }
        let body = fields.map { "\(formEncoded($0.0))=\(formEncoded($0.1))" }.joined(separator: "&")
        var headers = cookieHeaders
        headers.contentType = .urlEncodedForm
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    var apiHeaders: HTTPHeaders {
        var headers = HTTPHeaders()
        if let caller { headers.bearerAuthorization = BearerAuthorization(token: caller.apiToken) }
        return headers
    }

    func sendJSON(_ method: HTTPMethod, _ path: String, _ json: String) async throws -> TestingHTTPResponse {
        var headers = apiHeaders
        headers.contentType = .json
        return try await app.testing().sendRequest(method, path, headers: headers, body: ByteBuffer(string: json))
    }

    func getAPI(_ path: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, path, headers: apiHeaders)
    }
}

extension Application {
    /// The R&D manager every test starts signed in as.
    var testCaller: TestCaller? { storage[TestCallerKey.self] }

    func client(as role: Role?) async throws -> TestClient {
        guard let role else { return TestClient(app: self, caller: nil) }
        if role == .rdManager, let caller = testCaller { return TestClient(app: self, caller: caller) }
        return TestClient(app: self, caller: try await TestCaller.signIn(self, as: role))
    }

    var manager: TestClient { TestClient(app: self, caller: testCaller) }

    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await manager.get(path)
    }

    func postForm(_ path: String, _ fields: [(String, String)]) async throws -> TestingHTTPResponse {
        try await manager.postForm(path, fields)
    }

    func sendJSON(_ method: HTTPMethod, _ path: String, _ json: String) async throws -> TestingHTTPResponse {
        try await manager.sendJSON(method, path, json)
    }

    var apiHeaders: HTTPHeaders { manager.apiHeaders }

    /// A new study with one host-trust site, open since 5 January 2026, that has no recruitment yet:
    /// a place to record counts (a site records participants or counts, never both).
    func newQuietHostSite(cpmsID: Int = 77050, target: Int = 40) async throws -> Int {
        let study = try await sendJSON(.POST, "/api/v1/studies", #"{"cpms_id": \#(cpmsID), "short_name": "QUIET", "route": "non-commercial"}"#)
        #expect(study.status == .created, "\(study.text)")
        let site = try await sendJSON(.POST, "/api/v1/studies/\(cpmsID)/sites",
                                      #"{"site_ods": "RT5", "role": "recruiting", "site_target": \#(target), "date_site_open": "2026-01-05"}"#)
        #expect(site.status == .created, "\(site.text)")
        return cpmsID
    }

    func postMultipart(_ path: String, fields: [(String, String)], file: (name: String, filename: String, content: String)?) async throws -> TestingHTTPResponse {
        let boundary = "----PaceTestBoundary7MA4YWxkTrZu0gW"
        var body = ""
        for (name, value) in fields + [("csrf_token", testCaller?.csrfToken ?? "")] {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: text/csv\r\n\r\n\(file.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        var headers = manager.cookieHeaders
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }
}

/// Form bodies are percent-encoded the same way as query values.
func formEncoded(_ text: String) -> String {
    percentEncoded(text)
}

extension TestingHTTPResponse {
    var text: String { body.string }

    func json() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
    }
}

extension DemoPortfolio {
    /// A study where the host recruits participant by participant, for recruitment tests.
    var recruitingHostSite: Site? {
        sites.first { $0.siteODS == DemoPortfolio.hostODS && $0.role == .recruiting && $0.dateSiteOpen != nil }
    }

    var picSite: Site? {
        sites.first { $0.role == .pic }
    }
}
