import ArgumentParser
import PaceCore
import PaceStore

struct SetUpTimeReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-up-time",
        abstract: "Where the days of set-up go: the steps completed in a window by step and holder, with median, 90th percentile and total days.",
        discussion: "Fields: \(SetUpTimeReport.fields.joined(separator: ", ")). median_days is the mean of the middle two for an even count; p90_days is the nearest rank."
    )

    @OptionGroup var options: WindowOptions

    func run() async throws {
        try await options.run(hostByDefault: true) { register, start, end, organisation in
            try await register.setUpTimeReport(from: start, to: end, organisation: organisation ?? "")
        }
    }
}

struct AmendmentsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amendments",
        abstract: "Amendments received by a day, each with its assessment due day (the stored amendment_assessment_days rule), whether it is overdue and whether it was assessed in time.",
        discussion: "Fields: \(AmendmentsReport.fields.joined(separator: ", "))."
    )

    @Option(help: "The day the report is as of (YYYY-MM-DD); default today.")
    var on: String?

    @Option(help: "The organisation's ODS code; default PACE_HOST_ODS.")
    var organisation: String?

    @Option(help: "json or csv.")
    var format: Report.Format = .json

    func run() async throws {
        let configuration = try loadConfiguration()
        let day = try parseDay(on)
        let code = try parseOrganisation(organisation) ?? configuration.hostODS
        let report = try await withDatabase(configuration) { database in
            try await Register(database: database).amendmentsReport(on: day, organisation: code)
        }
        print(render(report, format), terminator: "")
    }
}
