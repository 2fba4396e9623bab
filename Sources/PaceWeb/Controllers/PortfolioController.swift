import PaceCore
import PaceStore
import Vapor

/// The home page, the stylesheet and the health check.
struct PortfolioController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home).requires(.signedIn)
        routes.get("assets", "pace.css", use: stylesheet).requires(.open)
        routes.get("assets", "pace.js", use: script).requires(.open)
        routes.get("health", use: health).requires(.open)
        routes.get("dashboard", use: dashboard).requires(.readPortfolio)
    }

    func dashboard(request: Request) async throws -> Response {
        let host = request.configuration.hostODS
        let today = Day.today()
        let sequence = try await request.auditSequence()
        let database = request.application.db
        let hostName = try await request.hostName()
        let value = try await request.application.dashboardCache.value(for: .init(sequence: sequence, day: today, host: host)) {
            let register = Register(database: database)
            let rules = try await register.metricRules()
            let records = try await register.siteSnapshots(.organisation(host), on: today, windowDays: rules.forecastWindowDays)
            // The boards need only each site's first participant, which the day's snapshots hold.
            let setUp = SetUpSummary(records: records, steps: try await register.setUpSteps(.organisation(host)),
                                     amendments: try await register.amendments(.organisation(host)), kinds: try await register.setUpStepKinds(), rules: rules, today: today)
            let page = DashboardPage(dashboard: PortfolioDashboard(records: records, on: today, rules: rules), hostName: hostName, rules: rules, setUp: setUp)
            // Drawn as nobody in particular: the content is shared by every reader, so nothing in it
            // may come from the first one's account or form token.
            return .init(content: PageContext.$current.withValue(PageContext(account: nil, csrfToken: nil)) { page.contentHTML() })
        }
        // The reader's own page, with the kept content put in once.
        let marker = DashboardPage.contentMarker
        return DashboardPage.render(content: marker, hostName: hostName).response(splicing: value.content, at: marker) {
            DashboardPage.render(content: value.content, hostName: hostName)
        }
    }

    func home(request: Request) async throws -> Response {
        // A study team or monitor sees only their studies, so their home is that list.
        if let account = request.caller?.account, !AccessPolicy.allows(account, .readPortfolio, on: Day.today()) {
            return seeOther(Paths.studies)
        }
        let summary = try await request.register.portfolio(hostODS: request.configuration.hostODS, today: Day.today())
        return HomePage(summary: summary, hostODS: request.configuration.hostODS).render(hostName: summary.host?.name ?? request.configuration.hostODS).response()
    }

    func stylesheet(request: Request) -> Response {
        asset(Stylesheet.css, type: .init(type: "text", subType: "css", parameters: ["charset": "utf-8"]))
    }

    func script(request: Request) -> Response {
        asset(PageScript.javascript, type: .init(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]))
    }

    private func asset(_ text: String, type: HTTPMediaType) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    func health(request: Request) async throws -> Response {
        do {
            try await request.register.ping()
            return try JSONValue.object([("status", .string("ok")), ("database", .string("ok"))]).jsonResponse(status: .ok)
        } catch {
            request.logger.warning("health check: database unavailable: \(String(reflecting: error))")
            let response = try JSONValue.object([("status", .string("unavailable")), ("database", .string("unreachable"))]).jsonResponse(status: .serviceUnavailable)
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(PaceErrorMiddleware.retryAfterSeconds)")
            return response
        }
    }
}
