import ArgumentParser
import Foundation
import PaceCore
import PaceStore
import PaceWeb

extension Report.Format: ExpressibleByArgument {}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a machine-readable report (JSON or CSV) to standard output.",
        subcommands: [SitesReportCommand.self, PIDInitiatingCommand.self, PIDDeliveringCommand.self, KPIReportCommand.self, LeagueTableCommand.self, ActivityReportCommand.self,
                      SetUpTimeReportCommand.self, AmendmentsReportCommand.self]
    )
}

struct SitesReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sites",
        abstract: "Every site's recruitment to date, RTT, on-track, traffic light, set-up intervals and forecast on a day.",
        discussion: "Fields: \(SitesReport.fields.joined(separator: ", ")). rtt is a fraction (−0.25 means 25% behind); days are whole days."
    )

    @Option(help: "The day the report is as of (YYYY-MM-DD); default today.")
    var on: String?

    @Option(help: "Only this organisation's sites (its ODS code); default every site.")
    var organisation: String?

    @Option(help: "json or csv.")
    var format: Report.Format = .json

    func run() async throws {
        let configuration = try loadConfiguration()
        let day = try parseDay(on)
        let code = try parseOrganisation(organisation)
        let report = try await withDatabase(configuration) { database in
            try await Register(database: database).sitesReport(on: day, organisation: code)
        }
        print(render(report, format), terminator: "")
    }
}

struct QuarterOptions: ParsableArguments {
    @Option(help: "The financial quarter, e.g. 2025-26-Q4 (Q1 is April–June).")
    var quarter: String

    @Option(help: "The organisation's ODS code; default PACE_HOST_ODS.")
    var organisation: String?

    @Option(help: "json or csv.")
    var format: Report.Format = .json

    /// Prints the report `build` makes for the quarter and organisation (the host unless one is named).
    func run(_ build: @escaping @Sendable (Register, FinancialQuarter, String) async throws -> Report) async throws {
        let configuration = try loadConfiguration()
        guard let parsed = FinancialQuarter(quarter) else { throw ValidationError("--quarter '\(quarter)' is not a financial quarter: write it as 2025-26-Q4") }
        let code = try parseOrganisation(organisation) ?? configuration.hostODS
        let report = try await withDatabase(configuration) { database in
            try await build(Register(database: database), parsed, code)
        }
        print(render(report, format), terminator: "")
    }
}

struct PIDInitiatingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pid-initiating",
        abstract: "The PID initiating return: recruiting sites of interventional studies whose 70-day benchmark falls in the 12 months ending with the quarter.",
        discussion: "Fields: \(PIDReports.initiatingFields.joined(separator: ", "))."
    )

    @OptionGroup var options: QuarterOptions

    func run() async throws {
        try await options.run { register, quarter, organisation in
            try await register.pidInitiatingReport(quarter: quarter, organisation: organisation)
        }
    }
}

struct PIDDeliveringCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pid-delivering",
        abstract: "The PID delivering return: commercial studies' sites that closed in the 12 months ending with the quarter, against their targets.",
        discussion: "Fields: \(PIDReports.deliveringFields.joined(separator: ", "))."
    )

    @OptionGroup var options: QuarterOptions

    func run() async throws {
        try await options.run { register, quarter, organisation in
            try await register.pidDeliveringReport(quarter: quarter, organisation: organisation)
        }
    }
}

struct KPIReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpis",
        abstract: "The UK KPIs: open within 60 days, first participant within 30, 150-day set-up, open studies on track, average monthly recruitment and new studies, for a period (and each month with --by month).",
        discussion: "Fields: \(KPIReport.fields.joined(separator: ", ")). percent is 0–100; the 150-day measure covers commercial CTIMPs."
    )

    @OptionGroup var options: WindowOptions

    @Option(help: "month: every indicator for each calendar month as well as for the whole period.")
    var by: String?

    func run() async throws {
        guard by == nil || by == "month" else { throw ValidationError("--by '\(by ?? "")' must be month, or left out for the whole period") }
        let byMonth = by == "month"
        try await options.run(hostByDefault: false) { register, start, end, organisation in
            try await register.kpiReport(from: start, to: end, organisation: organisation, byMonth: byMonth)
        }
    }
}

/// A report over a window of days: `--from`, `--to`, `--organisation` and `--format`.
struct WindowOptions: ParsableArguments {
    @Option(help: "The first day of the window (YYYY-MM-DD).")
    var from: String

    @Option(help: "The last day of the window (YYYY-MM-DD).")
    var to: String

    @Option(help: "Only this organisation's sites (its ODS code); default every site for the KPIs, PACE_HOST_ODS for set-up time.")
    var organisation: String?

    @Option(help: "json or csv.")
    var format: Report.Format = .json

    func run(hostByDefault: Bool, _ build: @escaping @Sendable (Register, Day, Day, String?) async throws -> Report) async throws {
        let configuration = try loadConfiguration()
        let start = try parseDay(from, option: "--from")
        let end = try parseDay(to, option: "--to")
        guard start <= end else { throw ValidationError("--to \(end) is before --from \(start)") }
        let code = try parseOrganisation(organisation) ?? (hostByDefault ? configuration.hostODS : nil)
        let report = try await withDatabase(configuration) { database in
            try await build(Register(database: database), start, end, code)
        }
        print(render(report, format), terminator: "")
    }
}

struct ActivityReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "activity",
        abstract: "Participants recruited, studies recruiting and new studies, month by month (the UK activity measures).",
        discussion: "Fields: \(ActivityReport.fields.joined(separator: ", ")). A study is new in the month its first site opened (at the organisation, when one is named)."
    )

    @Option(help: "The first month (YYYY-MM).")
    var from: String

    @Option(help: "The last month (YYYY-MM).")
    var to: String

    @Option(help: "Only this organisation's sites (its ODS code); default every site.")
    var organisation: String?

    @Option(help: "json or csv.")
    var format: Report.Format = .json

    func run() async throws {
        let configuration = try loadConfiguration()
        guard let first = ActivityReport.month(from) else { throw ValidationError("--from '\(from)' is not a month: write it as YYYY-MM") }
        guard let last = ActivityReport.month(to) else { throw ValidationError("--to '\(to)' is not a month: write it as YYYY-MM") }
        guard first <= last else { throw ValidationError("--to \(to) is before --from \(from)") }
        guard ActivityReport.months(from: first, to: last).count <= 120 else { throw ValidationError("the period is longer than ten years") }
        let code = try parseOrganisation(organisation)
        let report = try await withDatabase(configuration) { database in
            try await Register(database: database).activityReport(from: first, to: last, organisation: code)
        }
        print(render(report, format), terminator: "")
    }
}

struct LeagueTableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "league-table",
        abstract: "The league table for a financial year: participants and recruiting studies per organisation, ranked within type and subtype.",
        discussion: "Fields: \(LeagueTable.fields.joined(separator: ", ")). Ties share a rank and the next rank skips (1, 2, 2, 4)."
    )

    @Option(help: "The financial year, e.g. 2025-26.")
    var year: String

    @Option(help: "json or csv.")
    var format: Report.Format = .json

    func run() async throws {
        let configuration = try loadConfiguration()
        guard let financialYear = FinancialYear(year) else { throw ValidationError("--year '\(year)' is not a financial year: write it as 2025-26") }
        let report = try await withDatabase(configuration) { database in
            try await Register(database: database).leagueTable(year: financialYear)
        }
        print(render(report, format), terminator: "")
    }
}

/// An `--organisation` value as an ODS code, or nil when none was given.
func parseOrganisation(_ text: String?) throws -> String? {
    try text.map { text in
        guard let code = Identifiers.normalisedODSCode(text) else { throw ValidationError("--organisation '\(text)' is not an organisation code") }
        return code
    }
}

func parseDay(_ text: String, option: String) throws -> Day {
    guard let day = Day(iso: text) else { throw ValidationError("\(option) '\(text)' is not a date: write it as YYYY-MM-DD") }
    return day
}

func parseDay(_ text: String?) throws -> Day {
    guard let text else { return Day.today() }
    guard let day = Day(iso: text) else { throw ValidationError("--on '\(text)' is not a date: write it as YYYY-MM-DD") }
    return day
}

func render(_ report: Report, _ format: Report.Format) -> String {
    switch format {
    case .json: report.json(generatedAt: ISO8601DateFormatter().string(from: Date())).serialized + "\n"
    case .csv: report.csv
    }
}
