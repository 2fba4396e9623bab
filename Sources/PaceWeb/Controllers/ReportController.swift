import Foundation
import PaceCore
import PaceStore
import Vapor

/// Reports in the browser and through the API; both build the same `Report` as `pace report`.
struct ReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", "sites", use: sitesPage).requires(.readPortfolio)
        routes.get("api", "v1", "reports", "sites", use: sitesAPI).requires(.readPortfolio)
        routes.get("reports", "kpis", use: kpiPage).requires(.readPortfolio)
        routes.get("api", "v1", "reports", "kpis", use: kpiAPI).requires(.readPortfolio)
        routes.get("reports", "board", use: boardPage).requires(.readPortfolio)
        routes.get("reports", "activity", use: activityPage).requires(.readPortfolio)
        routes.get("api", "v1", "reports", "activity", use: activityAPI).requires(.readPortfolio)
        routes.get("reports", "league-table", use: leaguePage).requires(.readPortfolio)
        routes.get("api", "v1", "reports", "league-table", use: leagueAPI).requires(.readPortfolio)
        for kind in PIDKind.allCases {
            routes.get("reports", .constant(kind.rawValue)) { try await pidPage(request: $0, kind: kind) }.requires(.readPortfolio)
            routes.get("api", "v1", "reports", .constant(kind.rawValue)) { try await pidAPI(request: $0, kind: kind) }.requires(.readPortfolio)
            routes.get("reports", .constant(kind.rawValue), "return.csv") { try await publishedReturn(request: $0, kind: kind) }.requires(.readPortfolio)
        }
    }

    enum PIDKind: String, CaseIterable {
        case initiating = "pid-initiating"
        case delivering = "pid-delivering"

        var title: String {
            switch self {
            case .initiating: "PID initiating: first participant within 70 days of site selection"
            case .delivering: "PID delivering: commercial studies recruited to target"
            }
        }
    }

    /// `quarter` (e.g. 2025-26-Q4) defaults to the last complete quarter; `organisation` to the host.
    static func quarterParameters(_ request: Request) throws -> (FinancialQuarter, String) {
        var quarter = FinancialQuarter(containing: Day.today()).previous
        if let text = request.query[String.self, at: "quarter"], !text.isEmpty {
            guard let parsed = FinancialQuarter(text) else { throw Abort(.badRequest, reason: "quarter='\(text)' is not a financial quarter: write it as 2025-26-Q4.") }
            quarter = parsed
        }
        var organisation = request.configuration.hostODS
        if let text = request.query[String.self, at: "organisation"], !text.isEmpty {
            guard let code = Identifiers.normalisedODSCode(text) else { throw Abort(.badRequest, reason: "organisation='\(text)' is not an organisation code.") }
            organisation = code
        }
        return (quarter, organisation)
    }

    func pidReport(_ request: Request, kind: PIDKind) async throws -> Report {
        let (quarter, organisation) = try Self.quarterParameters(request)
        switch kind {
        case .initiating: return try await request.register.pidInitiatingReport(quarter: quarter, organisation: organisation)
        case .delivering: return try await request.register.pidDeliveringReport(quarter: quarter, organisation: organisation)
        }
    }

    /// `from` and `to` default to the financial year so far.
    func kpiReport(_ request: Request) async throws -> Report {
        func day(_ name: String, default fallback: Day) throws -> Day {
            guard let text = request.query[String.self, at: name], !text.isEmpty else { return fallback }
            guard let day = Day(iso: text) else { throw Abort(.badRequest, reason: "\(name)='\(text)' is not a date: write it as YYYY-MM-DD.") }
            return day
        }
        let today = Day.today()
        let start = try day("from", default: FinancialYear(containing: today).firstDay)
        let end = try day("to", default: today)
        guard start <= end else { throw Abort(.badRequest, reason: "to is before from.") }
        let organisation = try Self.parameters(request).organisation
        return try await request.register.kpiReport(from: start, to: end, organisation: organisation)
    }

    func kpiPage(request: Request) async throws -> Response {
        let report = try await kpiReport(request)
        return ReportTablePage(report: report, title: "UK set-up KPIs", path: "/reports/kpis", organisations: try await request.register.organisationChoices())
            .render(hostName: try await request.hostName()).response()
    }

    func kpiAPI(request: Request) async throws -> Response {
        try Self.respond(try await kpiReport(request), request: request, filename: "kpis")
    }

    /// `year` (e.g. 2025-26) defaults to the last complete financial year.
    func leagueReport(_ request: Request) async throws -> Report {
        var year = FinancialYear(startYear: FinancialYear(containing: Day.today()).startYear - 1)
        if let text = request.query[String.self, at: "year"], !text.isEmpty {
            guard let parsed = FinancialYear(text) else { throw Abort(.badRequest, reason: "year='\(text)' is not a financial year: write it as 2025-26.") }
            year = parsed
        }
        return try await request.register.leagueTable(year: year)
    }

    /// `from` (YYYY-MM, the first of six months) defaults to the six complete months before this one.
    func boardPage(request: Request) async throws -> Response {
        let today = Day.today()
        var first = BoardReport.defaultFirstMonth(asOf: today)
        if let text = request.query[String.self, at: "from"], !text.isEmpty {
            guard let month = ActivityReport.month(text) else {
                throw Abort(.badRequest, reason: "from='\(text)' is not a month: write it as YYYY-MM.")
            }
            first = month
        }
        let host = request.configuration.hostODS
        let report = try await request.register.boardReport(organisation: host, firstMonth: first, asOf: today)
        let form = FormState(values: ["from": String(first.iso.prefix(7))])
        return BoardReportPage(report: report, hostName: try await request.hostName(), form: form).render().response()
    }

    /// `from` and `to` (YYYY-MM) default to the complete months of the financial year so far; `organisation` to every organisation.
    func activityReport(_ request: Request) async throws -> Report {
        func month(_ name: String, default fallback: Day) throws -> Day {
            guard let text = request.query[String.self, at: name], !text.isEmpty else { return fallback }
            guard let month = ActivityReport.month(text) else { throw Abort(.badRequest, reason: "\(name)='\(text)' is not a month: write it as YYYY-MM.") }
            return month
        }
        // By default the financial year's complete months, so a part month does not pull the average down.
        let today = Day.today()
        let first = try month("from", default: FinancialYear(containing: today.startOfMonth.adding(days: -1)).firstDay)
        let last = try month("to", default: max(first, today.startOfMonth.adding(days: -1).startOfMonth))
        guard first <= last else { throw Abort(.badRequest, reason: "to is before from.") }
        guard ActivityReport.months(from: first, to: last).count <= 120 else { throw Abort(.badRequest, reason: "The period is longer than ten years.") }
        let organisation = try Self.parameters(request).organisation
        return try await request.register.activityReport(from: first, to: last, organisation: organisation)
    }

    func activityPage(request: Request) async throws -> Response {
        let report = try await activityReport(request)
        let title = "Activity: recruitment and new studies by month"
        var page = ReportTablePage(report: report, title: title, path: "/reports/activity", organisations: try await request.register.organisationChoices())
        page.summary = String(format: "Average monthly recruitment: %.1f participants.", ActivityReport.averageMonthly(report))
        return page.render(hostName: try await request.hostName()).response()
    }

    func activityAPI(request: Request) async throws -> Response {
        try Self.respond(try await activityReport(request), request: request, filename: "activity")
    }

    func leaguePage(request: Request) async throws -> Response {
        let report = try await leagueReport(request)
        let host = request.configuration.hostODS
        var page = ReportTablePage(report: report, title: "League table", path: "/reports/league-table", organisations: [], highlight: host)
        page.summary = LeagueTable.standing(of: host, in: report)
        return page.render(hostName: try await request.hostName()).response()
    }

    func leagueAPI(request: Request) async throws -> Response {
        try Self.respond(try await leagueReport(request), request: request, filename: "league-table")
    }

    func pidPage(request: Request, kind: PIDKind) async throws -> Response {
        let report = try await pidReport(request, kind: kind)
        return ReportTablePage(report: report, title: kind.title, path: "/reports/\(kind.rawValue)", organisations: try await request.register.organisationChoices())
            .render(hostName: try await request.hostName()).response()
    }

    /// The return laid out as trusts publish it, as a spreadsheet-ready CSV download.
    func publishedReturn(request: Request, kind: PIDKind) async throws -> Response {
        let (quarter, organisation) = try Self.quarterParameters(request)
        let text = switch kind {
        case .initiating: try await request.register.publishedPIDInitiating(quarter: quarter, organisation: organisation)
        case .delivering: try await request.register.publishedPIDDelivering(quarter: quarter, organisation: organisation)
        }
        return csvDownload(text, filename: "\(kind.rawValue)-return-\(organisation)-\(quarter).csv")
    }

    func pidAPI(request: Request, kind: PIDKind) async throws -> Response {
        try Self.respond(try await pidReport(request, kind: kind), request: request, filename: kind.rawValue)
    }

    /// A report as JSON (default) or CSV, as `format` asks.
    static func respond(_ report: Report, request: Request, filename: String) throws -> Response {
        let format = try request.query[String.self, at: "format"].map { text in
            guard let format = Report.Format(rawValue: text) else { throw Abort(.badRequest, reason: "format='\(text)' must be json or csv.") }
            return format
        } ?? .json
        switch format {
        case .json:
            return try report.json(generatedAt: ISO8601DateFormatter().string(from: Date())).jsonResponse(status: .ok)
        case .csv:
            let suffix = report.parameters.map(\.1).joined(separator: "-")
            return csvDownload(report.csv, filename: "\(filename)-\(suffix).csv")
        }
    }

    struct Parameters {
        let day: Day
        let organisation: String?
    }

    /// `on` defaults to today; `organisation` to every organisation. Bad values are a 400 naming the parameter.
    static func parameters(_ request: Request) throws -> Parameters {
        let on = request.query[String.self, at: "on"].flatMap { $0.isEmpty ? nil : $0 }
        let organisation = request.query[String.self, at: "organisation"].flatMap { $0.isEmpty ? nil : $0 }
        var day = Day.today()
        if let on {
            guard let parsed = Day(iso: on) else { throw Abort(.badRequest, reason: "on='\(on)' is not a date: write it as YYYY-MM-DD.") }
            day = parsed
        }
        var code: String?
        if let organisation {
            guard let parsed = Identifiers.normalisedODSCode(organisation) else {
                throw Abort(.badRequest, reason: "organisation='\(organisation)' is not an organisation code.")
            }
            code = parsed
        }
        return Parameters(day: day, organisation: code)
    }

    func sitesPage(request: Request) async throws -> Response {
        let parameters = try Self.parameters(request)
        let report = try await request.register.sitesReport(on: parameters.day, organisation: parameters.organisation)
        return SitesReportPage(
            report: report, day: parameters.day, organisation: parameters.organisation,
            organisations: try await request.register.organisationChoices(), rules: try await request.register.metricRules()
        ).render(hostName: try await request.hostName()).response()
    }

    func sitesAPI(request: Request) async throws -> Response {
        let parameters = try Self.parameters(request)
        let report = try await request.register.sitesReport(on: parameters.day, organisation: parameters.organisation)
        return try Self.respond(report, request: request, filename: "sites")
    }
}
