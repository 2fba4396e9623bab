import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting

/// Every route, asked by every role and by nobody, against the access matrix below. The matrix is
/// written out by hand from the roles' definitions (not derived from the code under test), and a
/// route missing from it fails the test, so a new route cannot skip the check.
@Suite(.serialized)
struct AccessMatrixTests {
    /// Who may use each route: A admin, M R&D manager, T study team (on their study), V viewer,
    /// O monitor (on their study), * anyone including people not signed in.
    static let matrix: [(method: String, path: String, allowed: String)] = [
        ("GET", "/sign-in", "*"), ("POST", "/sign-in", "*"), ("GET", "/assets/pace.css", "*"), ("GET", "/assets/pace.js", "*"), ("GET", "/health", "*"),

        ("GET", "/", "AMTVO"), ("POST", "/sign-out", "AMTVO"),
        ("GET", "/account/password", "AMTVO"), ("POST", "/account/password", "AMTVO"),
        ("GET", "/account/tokens", "AMTVO"), ("POST", "/account/tokens", "AMTVO"), ("POST", "/account/tokens/:token/revoke", "AMTVO"),
        ("GET", "/studies", "AMTVO"), ("GET", "/api/v1/openapi.json", "AMTVO"), ("GET", "/api/v1/studies", "AMTVO"),

        ("GET", "/studies/:cpms", "AMTVO"), ("GET", "/studies/:cpms/sites/:ods", "AMTVO"),
        ("GET", "/api/v1/studies/:cpms", "AMTVO"), ("GET", "/api/v1/studies/:cpms/sites", "AMTVO"),
        ("GET", "/api/v1/studies/:cpms/sites/:ods", "AMTVO"), ("GET", "/api/v1/studies/:cpms/sites/:ods/participants", "AMTVO"),
        ("GET", "/api/v1/studies/:cpms/sites/:ods/counts", "AMTVO"),

        ("POST", "/studies/:cpms/sites/:ods/participants", "MT"), ("POST", "/studies/:cpms/sites/:ods/counts", "MT"),
        ("POST", "/api/v1/studies/:cpms/sites/:ods/participants", "MT"), ("POST", "/api/v1/studies/:cpms/sites/:ods/counts", "MT"),
        ("GET", "/studies/:cpms/sites/:ods/participants/:row/correct", "MT"), ("POST", "/studies/:cpms/sites/:ods/participants/:row/correct", "MT"),
        ("GET", "/studies/:cpms/sites/:ods/participants/:row/remove", "MT"), ("POST", "/studies/:cpms/sites/:ods/participants/:row/remove", "MT"),
        ("GET", "/studies/:cpms/sites/:ods/counts/:start/correct", "MT"), ("POST", "/studies/:cpms/sites/:ods/counts/:start/correct", "MT"),
        ("GET", "/studies/:cpms/sites/:ods/counts/:start/remove", "MT"), ("POST", "/studies/:cpms/sites/:ods/counts/:start/remove", "MT"),
        ("PUT", "/api/v1/studies/:cpms/sites/:ods/participants/:participant", "MT"), ("DELETE", "/api/v1/studies/:cpms/sites/:ods/participants/:participant", "MT"),
        ("PUT", "/api/v1/studies/:cpms/sites/:ods/counts/:start", "MT"), ("DELETE", "/api/v1/studies/:cpms/sites/:ods/counts/:start", "MT"),

        ("GET", "/dashboard", "AMV"), ("GET", "/organisations", "AMV"), ("GET", "/organisations/:ods", "AMV"),
        ("GET", "/reports/sites", "AMV"), ("GET", "/reports/kpis", "AMV"), ("GET", "/reports/board", "AMV"),
        ("GET", "/reports/activity", "AMV"), ("GET", "/reports/league-table", "AMV"),
        ("GET", "/reports/pid-initiating", "AMV"), ("GET", "/reports/pid-delivering", "AMV"),
        ("GET", "/reports/pid-initiating/return.csv", "AMV"), ("GET", "/reports/pid-delivering/return.csv", "AMV"),
        ("GET", "/api/v1/reports/sites", "AMV"), ("GET", "/api/v1/reports/kpis", "AMV"), ("GET", "/api/v1/reports/activity", "AMV"),
        ("GET", "/api/v1/reports/league-table", "AMV"), ("GET", "/api/v1/reports/pid-initiating", "AMV"),
        ("GET", "/api/v1/reports/pid-delivering", "AMV"),
        ("GET", "/api/v1/organisations", "AMV"), ("GET", "/api/v1/organisations/:ods", "AMV"),
        ("GET", "/admin/metric-rules", "AMV"), ("GET", "/api/v1/metric-rules", "AMV"),

        ("GET", "/studies/new", "M"), ("POST", "/studies", "M"), ("GET", "/studies/:cpms/edit", "M"), ("POST", "/studies/:cpms/edit", "M"),
        ("POST", "/studies/:cpms/partners", "M"), ("GET", "/studies/:cpms/sites/new", "M"), ("POST", "/studies/:cpms/sites", "M"),
        ("GET", "/studies/:cpms/sites/:ods/edit", "M"), ("POST", "/studies/:cpms/sites/:ods/edit", "M"),
        ("GET", "/organisations/new", "M"), ("POST", "/organisations", "M"), ("GET", "/import", "M"), ("POST", "/import", "M"), ("POST", "/import/confirm", "M"),
        ("POST", "/api/v1/studies", "M"), ("PUT", "/api/v1/studies/:cpms", "M"), ("POST", "/api/v1/studies/:cpms/sites", "M"),
        ("PUT", "/api/v1/studies/:cpms/sites/:ods", "M"), ("POST", "/api/v1/organisations", "M"), ("PUT", "/api/v1/organisations/:ods", "M"),
        ("POST", "/api/v1/import/:kind", "M"),
        ("GET", "/studies/:cpms/sites/:ods/remove", "M"), ("POST", "/studies/:cpms/sites/:ods/remove", "M"),
        ("GET", "/studies/:cpms/remove", "M"), ("POST", "/studies/:cpms/remove", "M"),
        ("GET", "/organisations/:ods/remove", "M"), ("POST", "/organisations/:ods/remove", "M"),
        ("DELETE", "/api/v1/studies/:cpms/sites/:ods", "M"), ("DELETE", "/api/v1/studies/:cpms", "M"), ("DELETE", "/api/v1/organisations/:ods", "M"),

        ("GET", "/admin/metric-rules/:rule", "M"), ("POST", "/admin/metric-rules/:rule", "M"),
        ("GET", "/admin/users", "A"), ("GET", "/admin/users/new", "A"), ("POST", "/admin/users", "A"),
        ("GET", "/admin/users/:user", "A"), ("POST", "/admin/users/:user", "A"),

        ("GET", "/admin/audit", "AM"), ("GET", "/api/v1/audit-events", "AM"),

        ("GET", "/studies/:cpms/records", "AMTVO"), ("GET", "/api/v1/studies/:cpms/records", "AMTVO"),
        ("POST", "/studies/:cpms/records/:kind", "M"), ("POST", "/api/v1/studies/:cpms/records/:kind", "M"),
        // Research nurses record safety events, their reports and deviations for their own studies.
        ("POST", "/studies/:cpms/records/safety-events", "MT"), ("POST", "/api/v1/studies/:cpms/records/safety-events", "MT"),
        ("POST", "/studies/:cpms/records/safety-reports", "MT"), ("POST", "/api/v1/studies/:cpms/records/safety-reports", "MT"),
        ("POST", "/studies/:cpms/records/deviations", "MT"), ("POST", "/api/v1/studies/:cpms/records/deviations", "MT"),
        ("GET", "/people", "AMV"), ("GET", "/people/:person", "AMV"), ("GET", "/attention", "AMV"), ("GET", "/data-quality", "AMV"),
        ("GET", "/api/v1/people", "AMV"), ("GET", "/api/v1/attention", "AMV"),
        ("POST", "/people", "M"), ("POST", "/people/duties", "M"), ("POST", "/people/:person/training", "M"),
        ("POST", "/api/v1/people", "M"), ("POST", "/api/v1/people/:person/training", "M"),

        // Set-up and amendments: the R&D office runs them; a study's team and monitor read its sites' boards.
        ("GET", "/set-up", "AMV"), ("GET", "/set-up/steps", "AMV"), ("POST", "/set-up/steps", "M"),
        ("GET", "/studies/:cpms/sites/:ods/set-up", "AMTVO"), ("POST", "/studies/:cpms/sites/:ods/set-up", "M"),
        ("GET", "/studies/:cpms/sites/:ods/set-up/:step/edit", "M"), ("POST", "/studies/:cpms/sites/:ods/set-up/:step", "M"),
        ("POST", "/studies/:cpms/sites/:ods/set-up/:step/remove", "M"),
        ("GET", "/studies/:cpms/sites/:ods/amendments", "AMTVO"), ("POST", "/studies/:cpms/sites/:ods/amendments", "M"),
        ("GET", "/studies/:cpms/sites/:ods/amendments/:ref/edit", "M"), ("POST", "/studies/:cpms/sites/:ods/amendments/:ref", "M"),
        ("POST", "/studies/:cpms/sites/:ods/amendments/:ref/remove", "M"),
        ("GET", "/api/v1/studies/:cpms/sites/:ods/set-up-steps", "AMTVO"), ("POST", "/api/v1/studies/:cpms/sites/:ods/set-up-steps", "M"),
        ("PUT", "/api/v1/studies/:cpms/sites/:ods/set-up-steps/:step", "M"), ("DELETE", "/api/v1/studies/:cpms/sites/:ods/set-up-steps/:step", "M"),
        ("GET", "/api/v1/studies/:cpms/sites/:ods/amendments", "AMTVO"), ("POST", "/api/v1/studies/:cpms/sites/:ods/amendments", "M"),
        ("PUT", "/api/v1/studies/:cpms/sites/:ods/amendments/:ref", "M"), ("DELETE", "/api/v1/studies/:cpms/sites/:ods/amendments/:ref", "M"),
        ("GET", "/reports/set-up-time", "AMV"), ("GET", "/api/v1/reports/set-up-time", "AMV"),
        ("GET", "/reports/amendments", "AMV"), ("GET", "/api/v1/reports/amendments", "AMV"),
    ]

    static let roles: [(Character, Role)] = [("A", .admin), ("M", .rdManager), ("T", .studyTeam), ("V", .viewer), ("O", .monitor)]

    @Test func everyRouteIsInTheMatrix() async throws {
        try await withPace { app, _ in
            let routed = Set(app.routes.all.map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))" })
            let listed = Set(Self.matrix.map { "\($0.method) \($0.path)" })
            #expect(routed == listed)
            #expect(app.routes.all.allSatisfy { $0.permission != nil })
        }
    }

    @Test func aRouteThatDeclaresNothingIsRefusedToEveryone() async throws {
        try await withPace { app, _ in
            app.get("undeclared") { _ in "should never be seen" }
            for (_, role) in Self.roles {
                let answer = try await app.client(as: role).get("/undeclared")
                #expect(answer.status == .forbidden, "\(role)")
                #expect(!answer.text.contains("should never be seen"))
            }
        }
    }

    @Test func everyRoleGetsTheExpectedAnswerOnEveryRoute() async throws {
        try await withPace { app, portfolio in
            // The study team and the monitor are both assigned this study; the other is nobody's.
            let accounts = Accounts(database: app.db)
            let monitor = try #require(try await accounts.account(email: TestAccounts.email(.monitor))?.account)
            let team = try #require(try await accounts.account(email: TestAccounts.email(.studyTeam))?.account)
            let assigned = try #require(monitor.studies.first)
            #expect(team.studies.contains(assigned))
            let unassigned = try #require(portfolio.sites.first { $0.siteODS == "RT5" && !team.studies.union(monitor.studies).contains($0.cpmsID) }?.cpmsID)
            for route in Self.matrix {
                for (letter, role) in Self.roles {
                    let allowed = route.allowed == "*" || route.allowed.contains(letter)
                    let answer = try await ask(app, route, as: role, study: assigned)
                    #expect(allowed ? !answer.refused : answer.status == .forbidden, "\(role.rawValue) \(route.method) \(route.path) → \(answer.status.code)")
                    if route.path.contains(":cpms"), role.isStudyScoped, route.allowed != "*" {
                        let elsewhere = try await ask(app, route, as: role, study: unassigned)
                        #expect(elsewhere.status == .forbidden, "\(role.rawValue) \(route.method) \(route.path) on another study → \(elsewhere.status.code)")
                    }
                }
                let anonymous = try await ask(app, route, as: nil, study: assigned)
                if route.allowed == "*" {
                    #expect(!anonymous.refused, "nobody \(route.method) \(route.path) → \(anonymous.status.code)")
                } else if route.path.hasPrefix("/api/") {
                    #expect(anonymous.status == .unauthorized, "nobody \(route.method) \(route.path) → \(anonymous.status.code)")
                    #expect(anonymous.headers.first(name: "WWW-Authenticate") == "Bearer")
                } else {
                    #expect(anonymous.sentToSignIn,
                            "nobody \(route.method) \(route.path) → \(anonymous.status.code)")
                }
            }
        }
    }

    struct Answer {
        let status: HTTPStatus
        let headers: HTTPHeaders

        /// Refused for want of sign-in or permission (anything else — a page, a 404, a form's 422 — got past the check).
        var refused: Bool {
            status == .unauthorized || status == .forbidden || sentToSignIn
        }

        /// Sent to sign in first (signing out also ends on the sign-in page, but says so).
        var sentToSignIn: Bool {
            guard status == .seeOther, let location = headers.first(name: .location) else { return false }
            return location == "/sign-in" || location.hasPrefix("/sign-in?next=")
        }
    }

    /// Asks as a person with a fresh session (so signing out in one request does not affect the next).
    func ask(_ app: Application, _ route: (method: String, path: String, allowed: String), as role: Role?, study: Int) async throws -> Answer {
        let template = route.path
        let path = template
            .replacingOccurrences(of: ":cpms", with: String(study)).replacingOccurrences(of: ":ods", with: "RT5")
            .replacingOccurrences(of: ":rule", with: "pid_initiating_days").replacingOccurrences(of: ":user", with: "1")
            .replacingOccurrences(of: ":token", with: "1").replacingOccurrences(of: ":person", with: "1")
            .replacingOccurrences(of: ":row", with: "1").replacingOccurrences(of: ":start", with: "2026-10-01")
            .replacingOccurrences(of: ":participant", with: "NOBODY-1")
            .replacingOccurrences(of: ":step", with: "pharmacy-review").replacingOccurrences(of: ":ref", with: "SA01")
            .replacingOccurrences(of: ":kind", with: template.contains("/records/") ? "monitoring-visits" : "organisations")
        let client = role == nil ? TestClient(app: app, caller: nil) : TestClient(app: app, caller: try await TestCaller.signIn(app, as: role ?? .viewer))
        let method = HTTPMethod(rawValue: route.method)
        let response: TestingHTTPResponse
        if path.hasPrefix("/api/") {
            response = method == .GET ? try await client.getAPI(path) : try await client.sendJSON(method, path, "{}")
        } else if path == "/sign-in" && method == .POST {
            // Signing in carries the token set with the form instead of a session's.
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: ("pace_sign_in", HTTPCookies.Value(string: "form-token")))
            headers.contentType = .urlEncodedForm
            response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: "csrf_token=form-token&email=x%40y.nhs.uk&password=wrong"))
        } else {
            response = method == .GET ? try await client.get(path) : try await client.postForm(path, [])
        }
        return Answer(status: response.status, headers: response.headers)
    }
}
