import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import SQLKit
import Testing
import VaporTesting

/// Every registered route, every path parameter and every query parameter Pace reads, with hostile
/// values: no answer is a 5xx, the server still answers /health, and no GET changes anything.
/// The sweep is three tests, each on its own database, so they run side by side.
@Suite
struct RouteFuzzTests {
    /// Values as they travel in a URL (already percent-encoded), so bytes that are not UTF-8 can be sent.
    static let hostileValues: [String] = {
        let texts = [
            "", " ", "0", "-1", "1.5", "1e400", "NaN", "9223372036854775807", "-9223372036854775808", "99999999999999999999",
            "9999-12-31", "0000-00-00", "0001-01-01", "1899-12-31", "2199-12-31", "2200-01-01", "2025-02-29", "9999-12", "0000-01",
            "9999-00-Q4", "0000-01-Q1", "0001-02-Q1", "2025-26-Q0", "2199-00-Q4", "9999-00", "2025-26",
            "\u{0}", "\r\nSet-Cookie: pace_session=X", "\t", "\u{7F}\u{85}", "'\"><meta http-equiv=refresh content=0>", "<script>alert(1)</script>",
            "../../etc/passwd", "//other.example", "\\\\other.example", "/\t/other.example", "\u{202E}tfel-ot-thgir", "\u{200B}", "\u{FEFF}",
            String(repeating: "A", count: 5_000), "é", "😀", "null", "true", "[]", "{}", "a,b", "=HYPERLINK(\"http://other.example\")",
            "RT5", "40085", "%", "_", "*",
        ]
        return texts.map(percentEncoded) + ["%ZZ", "%C3%28", "%F0%28%8C%BC", "%ED%A0%80", "%FF", "%00%00", "%25", "%2e%2e%2f"]
    }()

    /// Every query parameter any page or API reads.
    static let queryNames = [
        "on", "organisation", "quarter", "year", "from", "to", "format", "q", "page", "per_page", "theme", "partner",
        "status", "route", "design", "phase", "role", "next", "signed-out", "changed", "added", "recorded", "kind", "limit",
        "step", "held_by", "by",
    ]

    /// The query parameters each page reads, which get every hostile value; every other route and name
    /// gets a few (`sharpest`), so a parameter added without being listed here is still sent something.
    static let readsQuery: [String: [String]] = {
        let studyList = ["phase", "status", "route", "design", "theme", "partner", "role", "q", "page", "per_page"]
        var map: [String: [String]] = [
            "/studies": studyList, "/api/v1/studies": studyList,
            "/reports/sites": ["on", "organisation"], "/api/v1/reports/sites": ["on", "organisation", "format"],
            "/reports/kpis": ["from", "to", "organisation", "by"], "/api/v1/reports/kpis": ["from", "to", "organisation", "format", "by"],
            "/reports/activity": ["from", "to", "organisation"], "/api/v1/reports/activity": ["from", "to", "organisation", "format"],
            "/reports/league-table": ["year"], "/api/v1/reports/league-table": ["year", "format"],
            "/reports/board": ["from"], "/api/v1/audit-events": ["format"], "/sign-in": ["next", "signed-out"],
            "/studies/:cpms/sites/:ods": ["recorded"], "/studies/:cpms/records": ["added"], "/admin/metric-rules": ["changed"],
            "/account/password": ["changed"], "/api/v1/studies/:cpms/sites/:ods/participants": ["page", "per_page"],
            "/set-up": ["step", "held_by"], "/reports/set-up-time": ["from", "to", "organisation", "page"],
            "/api/v1/reports/set-up-time": ["from", "to", "organisation", "format"],
            "/reports/amendments": ["on", "organisation", "page"], "/api/v1/reports/amendments": ["on", "organisation", "format"],
        ]
        for kind in ["pid-initiating", "pid-delivering"] {
            map["/reports/\(kind)"] = ["quarter", "organisation"]
            map["/reports/\(kind)/return.csv"] = ["quarter", "organisation"]
            map["/api/v1/reports/\(kind)"] = ["quarter", "organisation", "format"]
        }
        return map
    }()

    /// NUL, a header split, bytes that are not UTF-8, a very long value, markup and a year past 2199.
    static let sharpest = [percentEncoded("\u{0}"), percentEncoded("\r\nX: y"), "%C3%28", percentEncoded(String(repeating: "9", count: 3_000)),
                           percentEncoded("\"><b>"), "9999-12"]

    /// A value each path parameter takes when it is not the one being fuzzed.
    static func ordinary(_ parameter: String, template: String, study: Int) -> String {
        switch parameter {
        case "cpms": String(study)
        case "ods": "RT5"
        case "rule": "pid_initiating_days"
        case "kind": template.contains("/records/") ? "deviations" : "organisations"
        case "start": "2026-10-01"
        case "step": "pharmacy-review"
        case "ref": "SA01"
        default: "1"
        }
    }

    struct Route {
        let method: HTTPMethod
        let components: [String]
        let permitted: Role

        var template: String { "/" + components.joined(separator: "/") }

        func path(study: Int, fuzzing: Int? = nil, with value: String = "") -> String {
            "/" + components.enumerated().map { index, component in
                guard component.hasPrefix(":") else { return component }
                return index == fuzzing ? value : ordinary(String(component.dropFirst()), template: template, study: study)
            }.joined(separator: "/")
        }
    }

    /// The routes, each with a role that may use it, from the access matrix.
    static func routes(_ app: Application) -> [Route] {
        let allowed = Dictionary(AccessMatrixTests.matrix.map { ("\($0.method) \($0.path)", $0.allowed) }, uniquingKeysWith: { $1 })
        return app.routes.all.map { route in
            let components = route.path.map(\.description)
            let key = "\(route.method.rawValue) /\(components.joined(separator: "/"))"
            let letters = allowed[key] ?? "M"
            let role: Role = letters.contains("M") || letters == "*" ? .rdManager : letters.contains("A") ? .admin : .rdManager
            return Route(method: route.method, components: components, permitted: role)
        }
    }

    final class Tally: @unchecked Sendable {
        var requests = 0
        var failures: [String] = []

        var slowest: (Double, String) = (0, "")
        var started = Date()

        func check(_ response: TestingHTTPResponse, _ what: String) {
            requests += 1
            let took = Date().timeIntervalSince(started)
            if took > slowest.0 { slowest = (took, what) }
            if ProcessInfo.processInfo.environment["PACE_FUZZ_TRACE"] != nil, took > 0.5 || requests % 2_000 == 0 {
                FileHandle.standardError.write(Data("\(Date()) \(requests) requests; \(took)s \(what.prefix(100))\n".utf8))
            }
            started = Date()
            if response.status.code >= 500, failures.count < 50 {
                failures.append("\(response.status.code) \(what): \(response.body.string.prefix(200))")
            }
        }
    }

    func send(_ app: Application, _ client: TestClient, _ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> TestingHTTPResponse {
        let isAPI = path.hasPrefix("/api/")
        var headers = isAPI ? client.apiHeaders : client.cookieHeaders
        if method != .GET, let caller = client.caller {
            headers.replaceOrAdd(name: Credentials.csrfHeader, value: caller.csrfToken)
        }
        if let body {
            headers.contentType = isAPI ? .json : .urlEncodedForm
            return try await app.testing().sendRequest(method, path, headers: headers, body: ByteBuffer(string: body))
        }
        return try await app.testing().sendRequest(method, path, headers: headers)
    }

    func changeCount(_ app: Application) async throws -> Int {
        try await AuditTrail(database: app.db).lastSequence()
    }

    /// Every text column of every table that holds a control character (none should: they are refused
    /// at the edge, and the audit trail stores them as U+FFFD). SQLite only, as the fuzzer runs.
    func storedControlCharacters(_ app: Application) async throws -> [String] {
        let sql = try #require(app.db as? any SQLDatabase)
        var found: [String] = []
        for table in try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all().compactMap({ try $0.decode(column: "name", as: String?.self) }) {
            for column in try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: table))").all() {
                guard let name = try column.decode(column: "name", as: String?.self), (try column.decode(column: "type", as: String?.self) ?? "").uppercased().contains("TEXT") else { continue }
                let count = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM \(ident: table) WHERE instr(\(ident: name), char(0)) > 0 OR \(ident: name) GLOB ('*[' || char(1) || '-' || char(31) || char(127) || ']*')
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                if count > 0 { found.append("\(table).\(name): \(count)") }
            }
        }
        return found
    }

    /// A fresh Pace for one part of the sweep (each part its own database, so the parts run side by
    /// side), then what must hold whatever was sent: a server that still answers, no 5xx, an unbroken
    /// audit trail and no control character stored.
    func sweep(_ part: String, _ body: (_ app: Application, _ study: Int, _ routes: [Route], _ clients: [Role: TestClient], _ tally: Tally) async throws -> Void) async throws {
        try await withPace { app, portfolio in
            let study = try #require(portfolio.sites.first { $0.siteODS == "RT5" }?.cpmsID)
            let routes = Self.routes(app)
            var clients: [Role: TestClient] = [:]
            for role in [Role.admin, .rdManager, .studyTeam, .viewer, .monitor] { clients[role] = try await app.client(as: role) }
            let tally = Tally()
            try await body(app, study, routes, clients, tally)

            let health = try await app.testing().sendRequest(.GET, "/health")
            #expect(health.status == .ok)
            #expect(tally.failures.isEmpty, "\(tally.failures.joined(separator: "\n"))")
            let verification = try await AuditTrail(database: app.db).verify()
            #expect(verification.breaks.isEmpty, "\(verification.lines)")
            #expect(try await storedControlCharacters(app).isEmpty, "control characters reached the database")
            print("Route fuzzing, \(part): \(routes.count) routes, \(Self.queryNames.count) query parameters, \(Self.hostileValues.count) values: \(tally.requests) requests, \(tally.failures.count) answered 5xx; slowest \(tally.slowest).")
        }
    }

    /// Every GET route: the parameters it reads with every value, every other name with the sharpest.
    @Test func everyQueryParameterWithHostileValuesAnswersWithoutAServerErrorAndChangesNothing() async throws {
        try await sweep("query parameters") { app, study, routes, clients, tally in
            let before = try await changeCount(app)
            for route in routes where route.method == .GET {
                guard let client = clients[route.permitted] else { continue }
                let path = route.path(study: study)
                let reads = Self.readsQuery[route.template] ?? []
                for name in Set(Self.queryNames + reads) {
                    for value in reads.contains(name) ? Self.hostileValues : Self.sharpest {
                        tally.check(try await send(app, client, .GET, "\(path)?\(name)=\(value)"), "GET \(path)?\(name)=\(value.prefix(60))")
                    }
                }
                // A hostile name as well as a hostile value (the pager once copied names into links).
                for value in Self.sharpest + [percentEncoded("\"><meta http-equiv=\"refresh\">")] {
                    tally.check(try await send(app, client, .GET, "\(path)?\(value)=1&per_page=1"), "GET \(path)?\(value.prefix(60))=1")
                }
            }
            #expect(try await changeCount(app) == before, "a GET changed the register or wrote to the audit trail")
        }
    }

    /// Every route's path parameters, every value, as the manager and a study team (scoped roles take
    /// other code paths); as the other roles, the sharpest values.
    @Test func everyPathParameterWithHostileValuesAnswersWithoutAServerError() async throws {
        try await sweep("path parameters") { app, study, routes, clients, tally in
            for route in routes where route.components.contains(where: { $0.hasPrefix(":") }) {
                for (index, component) in route.components.enumerated() where component.hasPrefix(":") {
                    for (role, client) in clients {
                        for value in [.rdManager, .studyTeam].contains(role) ? Self.hostileValues : Self.sharpest {
                            let path = route.path(study: study, fuzzing: index, with: value)
                            tally.check(try await send(app, client, route.method, path, body: route.method == .GET ? nil : (path.hasPrefix("/api/") ? "{}" : "")),
                                        "\(route.method) \(path.prefix(120))")
                        }
                    }
                }
            }
        }
    }

    /// Every form and JSON body, each field the same hostile value, as a role that may post it.
    @Test func everyFormAndBodyWithHostileValuesAnswersWithoutAServerError() async throws {
        try await sweep("forms and bodies") { app, study, routes, clients, tally in
            let fields = Set(InterchangeKind.allCases.flatMap(\.columnNames) + [
                "name", "email", "password", "current_password", "new_password", "confirm_password", "reason", "role", "studies",
                "access_until", "value", "is_active", "job_title", "person_id", "duty_name", "course", "completed", "expires",
                "title", "version", "category", "description", "severity", "onset", "reported", "visit_date", "actions",
                "cpms_id", "site_ods", "organisation", "partner_ods", "partner_role", "kind",
            ]).sorted()
            for route in routes where route.method != .GET && route.components.first != "sign-out" {
                guard let client = clients[route.permitted] else { continue }
                let path = route.path(study: study)
                for value in Self.hostileValues {
                    let decoded = value.removingPercentEncoding ?? value
                    let body = path.hasPrefix("/api/")
                        ? "{" + fields.map { "\"\($0)\": \(JSONValue.string(decoded).serialized)" }.joined(separator: ", ") + "}"
                        : fields.map { "\($0)=\(value)" }.joined(separator: "&")
                    tally.check(try await send(app, client, route.method, path, body: body), "\(route.method) \(path) every field=\(value.prefix(60))")
                }
            }
        }
    }
}
