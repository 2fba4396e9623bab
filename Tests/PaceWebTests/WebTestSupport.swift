import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting
import SQLKit

/// Builds Pace on a fresh in-memory SQLite database (or the test PostgreSQL) with a small demo portfolio.
func withPace(
    _ location: DatabaseLocation = .sqliteMemory, uploadLimitBytes: Int = AppConfiguration.defaultUploadLimit,
    _ body: (Application, DemoPortfolio) async throws -> Void
) async throws {
    var location = location
    if case .postgres(let url) = location {
        location = try await DatabaseLocation.separatePostgres(baseURL: url, suffix: "web")
    }
    let configuration = AppConfiguration(database: location, hostODS: "RT5", uploadLimitBytes: uploadLimitBytes)
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
        try await Register(database: app.db).load(portfolio)
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

extension Application {
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await testing().sendRequest(.GET, path)
    }

    /// Posts a form as a browser would (application/x-www-form-urlencoded).
    func postForm(_ path: String, _ fields: [(String, String)]) async throws -> TestingHTTPResponse {
        let body = fields.map { "\(formEncoded($0.0))=\(formEncoded($0.1))" }.joined(separator: "&")
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        return try await testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    func sendJSON(_ method: HTTPMethod, _ path: String, _ json: String) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return try await testing().sendRequest(method, path, headers: headers, body: ByteBuffer(string: json))
    }

    func postMultipart(_ path: String, fields: [(String, String)], file: (name: String, filename: String, content: String)?) async throws -> TestingHTTPResponse {
        let boundary = "----PaceTestBoundary7MA4YWxkTrZu0gW"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: text/csv\r\n\r\n\(file.content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        var headers = HTTPHeaders()
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
