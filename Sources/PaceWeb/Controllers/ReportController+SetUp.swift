import PaceCore
import PaceStore
import Plot
import Vapor

/// The `set-up-time` and `amendments` reports in the browser and through the API.
extension ReportController {
    func bootSetUpReports(_ routes: any RoutesBuilder) {
        routes.get("reports", "set-up-time", use: setUpTimePage).requires(.readPortfolio)
        routes.get("api", "v1", "reports", "set-up-time", use: setUpTimeAPI).requires(.readPortfolio)
        routes.get("reports", "amendments", use: amendmentsPage).requires(.readPortfolio)
        routes.get("api", "v1", "reports", "amendments", use: amendmentsAPI).requires(.readPortfolio)
    }

    /// `from` and `to` default to the financial year so far; `organisation` to the host.
    func setUpTimeReport(_ request: Request) async throws -> Report {
        let query = ReportQuery(request: request)
        let today = Day.today()
        let start = try query.day("from") ?? FinancialYear(containing: today).firstDay
        let end = try query.day("to") ?? today
        guard start <= end else { throw ParameterProblem("to", end.iso, "is before from (\(start.iso))") }
        let organisation = try query.organisation() ?? request.configuration.hostODS
        return try await request.register.setUpTimeReport(from: start, to: end, organisation: organisation)
    }

    func setUpTimePage(request: Request) async throws -> Response {
        let title = "Set-up time: where the days go"
        return try await tablePage(request, title: title, refused: Report(name: "set-up-time", parameters: Self.typed(request, "from", "to", "organisation", hostDefault: true), fields: SetUpTimeReport.fields, rows: [])) {
            let report = try await setUpTimeReport(request)
            var page = ReportTablePage(report: report, title: title, path: Paths.setUpTimeReport, organisations: try await request.organisationChoices())
            page.summary = SetUpTimeWords.headline(report)
            let organisation = report.parameters.first { $0.0 == "organisation" }?.1 ?? request.configuration.hostODS
            let steps = try await request.register.setUpSteps(.organisation(organisation))
            let end = report.parameters.first { $0.0 == "to" }.flatMap { Day(iso: $0.1) } ?? Day.today()
            page.extra = SetUpTimeWords.trendTable(SetUpTimeReport.trend(steps, quarters: 6, endingWith: end))
            return page
        }
    }

    func setUpTimeAPI(request: Request) async throws -> Response {
        try Self.respond(try await setUpTimeReport(request), request: request, filename: "set-up-time")
    }

    /// `on` defaults to today; `organisation` to the host.
    func amendmentsReport(_ request: Request) async throws -> Report {
        let query = ReportQuery(request: request)
        let day = try query.day("on") ?? Day.today()
        let organisation = try query.organisation() ?? request.configuration.hostODS
        return try await request.register.amendmentsReport(on: day, organisation: organisation)
    }

    func amendmentsPage(request: Request) async throws -> Response {
        let title = "Amendments: assessment within the window"
        return try await tablePage(request, title: title, refused: Report(name: "amendments", parameters: Self.typed(request, "on", "organisation", hostDefault: true), fields: AmendmentsReport.fields, rows: [])) {
            let report = try await amendmentsReport(request)
            var page = ReportTablePage(report: report, title: title, path: Paths.amendmentsReport, organisations: try await request.organisationChoices())
            page.summary = SetUpTimeWords.amendmentsHeadline(report, rules: try await request.register.metricRules())
            return page
        }
    }

    func amendmentsAPI(request: Request) async throws -> Response {
        try Self.respond(try await amendmentsReport(request), request: request, filename: "amendments")
    }
}

/// The sentences the set-up reports open with.
enum SetUpTimeWords {
    static func headline(_ report: Report) -> String {
        let fields = report.fields
        guard let holder = fields.firstIndex(of: "held_by"), let total = fields.firstIndex(of: "total_days"), let count = fields.firstIndex(of: "completed_steps") else { return "" }
        var days: [String: Int] = [:]
        var steps = 0
        for row in report.rows {
            if case .integer(let value) = row[total] { days[row[holder].csv, default: 0] += value }
            if case .integer(let value) = row[count] { steps += value }
        }
        let all = days.values.reduce(0, +)
        guard all > 0 else { return steps == 0 ? "No set-up step was completed in this window." : "\(steps) set-up steps were completed in this window, each on the day it started." }
        let sponsor = Double(days[SetUpHolder.sponsor.rawValue] ?? 0) * 100 / Double(all)
        return String(format: "%d set-up steps completed, %d days in all: %.0f%% of them held by the trust and %.0f%% waiting on sponsors.", steps, all, 100 - sponsor, sponsor)
    }

    static func trendTable(_ trend: [SetUpTimeReport.QuarterPoint]) -> Node<HTML.BodyContext> {
        .div(.class("card"), .h2(.safe("The last six quarters")),
             .p(.safe("Every step completed in each quarter, whatever the window above: the trend it sits in.")),
             Show.tableRegion("Set-up days by quarter", .table(
            .thead(.tr(
                .th(.attribute(named: "scope", value: "col"), .safe("Quarter")), .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Steps completed")),
                .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Median days")), .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Trust's days")),
                .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Sponsors' days")), .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Sponsors' share"))
            )),
            .tbody(.forEach(trend) { point in
                .tr(
                    .td(.safe(point.quarter.longText)), .td(.class("number"), .safe(String(point.completedSteps))),
                    .td(.class("number"), .safe(point.medianDays.map(Show.median) ?? "—")),
                    .td(.class("number"), .safe(String(point.providerDays))), .td(.class("number"), .safe(String(point.sponsorDays))),
                    .td(.class("number"), .safe(point.sponsorShare.map { String(format: "%.0f%%", $0) } ?? "—"))
                )
            })
        )))
    }

    static func amendmentsHeadline(_ report: Report, rules: MetricRules) -> String {
        guard let overdueIndex = report.fields.firstIndex(of: "overdue"), let onTimeIndex = report.fields.firstIndex(of: "on_time") else { return "" }
        let overdue = report.rows.filter { $0[overdueIndex] == .boolean(true) }.count
        let assessed = report.rows.filter { $0[onTimeIndex] != .null && $0[overdueIndex] == .boolean(false) }
        let onTime = assessed.filter { $0[onTimeIndex] == .boolean(true) }.count
        guard !report.rows.isEmpty else { return "No amendment had been received by this day." }
        let share = assessed.isEmpty ? "" : String(format: " %d of %d assessed were assessed within the %d days (%.0f%%).", onTime, assessed.count, rules.amendmentAssessmentDays, Double(onTime) * 100 / Double(assessed.count))
        return "\(report.rows.count) amendments received; \(overdue) overdue for assessment.\(share)"
    }
}
