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
        bootSetUpReports(routes)
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
        let query = ReportQuery(request: request)
        let quarter = try query.quarter("quarter") ?? FinancialQuarter(containing: Day.today()).previous
        let organisation = try query.organisation() ?? request.configuration.hostODS
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
        let query = ReportQuery(request: request)
        let today = Day.today()
        let start = try query.day("from") ?? FinancialYear(containing: today).firstDay
        let end = try query.day("to") ?? today
        guard start <= end else { throw ParameterProblem("to", end.iso, "is before from (\(start.iso))") }
        let byMonth: Bool
        switch query.text("by") {
        case nil, "": byMonth = false
        case "month": byMonth = true
        case let other?: throw ParameterProblem("by", other, "must be month, or left out for the whole period")
        }
        guard !byMonth || ActivityReport.months(from: start, to: end).count <= 120 else {
            throw ParameterProblem("to", end.iso, "is more than ten years after from: choose a shorter period to see it month by month")
        }
        let organisation = try Self.parameters(request).organisation
        return try await request.register.kpiReport(from: start, to: end, organisation: organisation, byMonth: byMonth)
    }

    func kpiPage(request: Request) async throws -> Response {
        try await tablePage(request, title: "UK clinical research delivery KPIs", refused: Report(name: "kpis", parameters: Self.typed(request, "from", "to", "organisation"), fields: KPIReport.fields, rows: [])) {
            let report = try await kpiReport(request)
            var page = ReportTablePage(report: report, title: "UK clinical research delivery KPIs", path: "/reports/kpis", organisations: try await request.organisationChoices())
            let days = report.parameters.compactMap { Day(iso: $0.1) }
            let rules = try await request.register.metricRules()
            if days.count >= 2 { page.summary = ReportHeadline.kpis(report, from: days[0], to: days[1], rules: rules) }
            page.extra = KPIDefinitions.node(rules)
            return page
        }
    }

    /// A report page; when a parameter cannot be read, the same page again with the parameters as
    /// typed, the message beside the field, and no figures (400, so scripts still see the refusal).
    func tablePage(_ request: Request, title: String, refused: Report, _ page: () async throws -> ReportTablePage) async throws -> Response {
        let hostName = try await request.hostName()
        do {
            var shown = try await page()
            shown.page = try integer("page", in: 1...100_000, from: try request.queryValues())
            return shown.render(hostName: hostName).response()
        } catch let problem as ParameterProblem {
            var page = ReportTablePage(report: refused, title: title, path: "/reports/\(refused.name)", organisations: try await request.organisationChoices())
            page.problem = problem.fieldProblem
            return page.render(hostName: hostName).response(.badRequest)
        }
    }

    /// The parameters as the person typed them, to show again in the form (the host where the
    /// report defaults to it and nothing was typed).
    static func typed(_ request: Request, _ names: String..., hostDefault: Bool = false) -> [(String, String)] {
        names.map { name in
            let text = ReportQuery(request: request).text(name) ?? ""
            return (name, text.isEmpty && name == "organisation" && hostDefault ? request.configuration.hostODS : text)
        }
    }

    func kpiAPI(request: Request) async throws -> Response {
        try Self.respond(try await kpiReport(request), request: request, filename: "kpis")
    }

    /// `year` (e.g. 2025-26) defaults to the last complete financial year.
    func leagueReport(_ request: Request) async throws -> Report {
        let year = try ReportQuery(request: request).financialYear("year") ?? FinancialYear(startYear: FinancialYear(containing: Day.today()).startYear - 1)
        return try await request.register.leagueTable(year: year)
    }

    /// `from` (YYYY-MM, the first of six months) defaults to the six complete months before this one.
    func boardPage(request: Request) async throws -> Response {
        let today = Day.today()
        let hostName = try await request.hostName()
        let first: Day
        do {
            first = try ReportQuery(request: request).month("from") ?? BoardReport.defaultFirstMonth(asOf: today)
        } catch let problem as ParameterProblem {
            let form = FormState(values: ["from": problem.value], problems: [problem.fieldProblem])
            return BoardReportPage(report: nil, hostName: hostName, form: form).render().response(.badRequest)
        }
        let host = request.configuration.hostODS
        let report = try await request.register.boardReport(organisation: host, firstMonth: first, asOf: today)
        let form = FormState(values: ["from": String(first.iso.prefix(7))])
        return BoardReportPage(report: report, hostName: hostName, form: form).render().response()
    }

    /// `from` and `to` (YYYY-MM) default to the complete months of the financial year so far; `organisation` to every organisation.
    func activityReport(_ request: Request) async throws -> Report {
        let query = ReportQuery(request: request)
        // By default the financial year's complete months, so a part month does not pull the average down.
        let today = Day.today()
        let first = try query.month("from") ?? FinancialYear(containing: today.startOfMonth.adding(days: -1)).firstDay
        let last = try query.month("to") ?? max(first, today.startOfMonth.adding(days: -1).startOfMonth)
        guard first <= last else { throw ParameterProblem("to", String(last.iso.prefix(7)), "is before from (\(first.iso.prefix(7)))") }
        guard ActivityReport.months(from: first, to: last).count <= 120 else {
            throw ParameterProblem("to", String(last.iso.prefix(7)), "is more than ten years after from: choose a shorter period")
        }
        let organisation = try Self.parameters(request).organisation
        return try await request.register.activityReport(from: first, to: last, organisation: organisation)
    }

    func activityPage(request: Request) async throws -> Response {
        try await tablePage(request, title: "Activity: recruitment and new studies by month", refused: Report(name: "activity", parameters: Self.typed(request, "from", "to", "organisation"), fields: ActivityReport.fields, rows: [])) {
            let report = try await activityReport(request)
            let title = "Activity: recruitment and new studies by month"
            var page = ReportTablePage(report: report, title: title, path: "/reports/activity", organisations: try await request.organisationChoices())
            page.summary = String(format: "Average monthly recruitment: %.1f participants.", ActivityReport.averageMonthly(report))
            return page
        }
    }

    func activityAPI(request: Request) async throws -> Response {
        try Self.respond(try await activityReport(request), request: request, filename: "activity")
    }

    func leaguePage(request: Request) async throws -> Response {
        try await tablePage(request, title: "League table", refused: Report(name: "league-table", parameters: Self.typed(request, "year"), fields: LeagueTable.fields, rows: [])) {
            let report = try await leagueReport(request)
            let host = request.configuration.hostODS
            var page = ReportTablePage(report: report, title: "League table", path: "/reports/league-table", organisations: [], highlight: host)
            page.summary = LeagueTable.standing(of: host, in: report)
            return page
        }
    }

    func leagueAPI(request: Request) async throws -> Response {
        try Self.respond(try await leagueReport(request), request: request, filename: "league-table")
    }

    func pidPage(request: Request, kind: PIDKind) async throws -> Response {
        let fields = kind == .initiating ? PIDReports.initiatingFields : PIDReports.deliveringFields
        return try await tablePage(request, title: kind.title, refused: Report(name: kind.rawValue, parameters: Self.typed(request, "quarter", "organisation", hostDefault: true), fields: fields, rows: [])) {
            let report = try await pidReport(request, kind: kind)
            var page = ReportTablePage(report: report, title: kind.title, path: "/reports/\(kind.rawValue)", organisations: try await request.organisationChoices())
            if let quarter = report.parameters.first(where: { $0.0 == "quarter" }).flatMap({ FinancialQuarter($0.1) }) {
                page.summary = switch kind {
                case .initiating: ReportHeadline.pidInitiating(report, quarter: quarter, rules: try await request.register.metricRules())
                case .delivering: ReportHeadline.pidDelivering(report, quarter: quarter)
                }
            }
            return page
        }
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
            guard let format = Report.Format(rawValue: text) else { throw ParameterProblem("format", text, "must be json or csv") }
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
        let query = ReportQuery(request: request)
        return Parameters(day: try query.day("on") ?? Day.today(), organisation: try query.organisation())
    }

    func sitesPage(request: Request) async throws -> Response {
        let hostName = try await request.hostName()
        let organisations = try await request.organisationChoices()
        let rules = try await request.register.metricRules()
        let parameters: Parameters
        let page: Int?
        do {
            parameters = try Self.parameters(request)
            page = try integer("page", in: 1...100_000, from: try request.queryValues())
        } catch let problem as ParameterProblem {
            let form = FormState(values: Dictionary(Self.typed(request, "on", "organisation"), uniquingKeysWith: { $1 }), problems: [problem.fieldProblem])
            return SitesReportPage(report: nil, form: form, organisations: organisations, rules: rules).render(hostName: hostName).response(.badRequest)
        }
        let report = try await request.register.sitesReport(on: parameters.day, organisation: parameters.organisation)
        let form = FormState(values: ["on": parameters.day.iso, "organisation": parameters.organisation ?? ""])
        return SitesReportPage(report: report, form: form, organisations: organisations, rules: rules, page: page).render(hostName: hostName).response()
    }

    func sitesAPI(request: Request) async throws -> Response {
        let parameters = try Self.parameters(request)
        let report = try await request.register.sitesReport(on: parameters.day, organisation: parameters.organisation)
        return try Self.respond(report, request: request, filename: "sites")
    }
}
