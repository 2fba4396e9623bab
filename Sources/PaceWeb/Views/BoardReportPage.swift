import Foundation
import PaceCore
import Plot

/// The six-monthly board report, laid out to print on A4 from the browser.
struct BoardReportPage {
    /// Nil when the period asked for could not be read: the form is shown again with the message.
    let report: BoardReport?
    let hostName: String
    let form: FormState

    func render() -> HTML {
        Layout(title: report == nil ? "Error: Board report" : "Board report", section: .reports, hostName: hostName).render(
            ReportLinks.node(current: Paths.boardReport),
            FormField.errorSummary(form, labels: ["from": "First month"]),
            .div(.class("board-report"),
                .h1(.safe("Research activity and performance: report to the Trust Board")),
                .unwrap(report) { report in
                    .p(.class("lede"), .safe("\(hostName) · \(Show.longDate(report.firstMonth)) to \(Show.longDate(report.lastDay)) · data as of \(Show.longDate(report.asOf))"))
                },
                FormField.form(
                    Paths.boardReport, method: "get", class: "filters", label: "Choose the period",
                    .div(FormField.input("from", "First month", form: form, type: .init(rawValue: "month") ?? .text, hint: "YYYY-MM; the report covers six months")),
                    .div(FormField.submit("Show")),
                    .p(.class("hint"), .safe("Print this page (Ctrl+P) for an A4 copy."))
                ),
                .unwrap(report, { BoardReportSections(report: $0).node }, else: .p(.safe("Correct the month above to see the report.")))
            )
        )
    }
}

/// The report's sections for one period.
private struct BoardReportSections {
    let report: BoardReport

    var node: Node<HTML.BodyContext> {
        .group(
            summaryNode,
            monthsNode,
            .div(.class("grid-2 print-stack"),
                 groupTable("Recruitment by theme", "Theme", report.byTheme, note: "A study in more than one theme counts under each."),
                 groupTable("Recruitment by partner", "Partner", report.byPartner, note: "Sponsors, funders and collaborators of the studies recruiting here.")),
            setUpNode,
            setUpTimeNode,
            amendmentsNode,
            trafficLightNode,
            commercialNode
        )
    }

    private var setUpTimeNode: Node<HTML.BodyContext> {
        let share = report.setUpShare.map { String(format: "Of the days these steps took, %.0f%% were held by the trust and %.0f%% waited on sponsors.", $0[.provider] ?? 0, $0[.sponsor] ?? 0) }
        return .section(.h2(.safe("Where the set-up days went")),
            report.setUpTime.isEmpty ? .p(.safe("No set-up step was completed in the period.")) : .group(
                .p(.safe(share ?? "")),
                Show.tableRegion("Set-up steps completed in the period", .table(
                    .thead(.tr(.th(.attribute(named: "scope", value: "col"), .safe("Step")), .th(.attribute(named: "scope", value: "col"), .safe("Held by")),
                               .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Completed")), .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Median days")),
                               .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("90th percentile")), .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Total days")))),
                    .tbody(.forEach(report.setUpTime) { group in
                        .tr(.td(.safe(SetUpStepKind.name(of: group.step, in: report.setUpStepKinds))), .td(.safe(group.heldBy.label)),
                            .td(.class("number"), .safe(String(group.days.count))),
                            .td(.class("number"), .safe(group.median.map(Show.median) ?? "—")),
                            .td(.class("number"), .safe(group.p90.map(String.init) ?? "—")), .td(.class("number"), .safe(String(group.total))))
                    })
                ))
            ))
    }

    private var amendmentsNode: Node<HTML.BodyContext> {
        let handled = report.amendments
        let onTime = handled.onTimePercent.map { String(format: " (%.0f%%)", $0) } ?? ""
        return .section(.h2(.safe("Amendments")), .dl(
            .class("facts"),
            Show.fact("Received in the period", String(handled.received)),
            Show.fact("Assessed in the period", "\(handled.assessed), \(handled.assessedOnTime) within the assessment window\(onTime)"),
            Show.fact("Implemented in the period", String(handled.implemented)),
            Show.fact("Overdue for assessment at the end of the period", String(handled.overdueAtEnd))
        ))
    }

    private var summaryNode: Node<HTML.BodyContext> {
        .div(.class("tiles-4"),
             .div(.class("tile"), .h2(.safe("Participants recruited")), .p(.class("big"), .safe(String(report.recruited)))),
             .div(.class("tile"), .h2(.safe("Average per month")), .p(.class("big"), .safe(String(format: "%.1f", report.averageMonthly)))),
             .div(.class("tile"), .h2(.safe("New studies opened")), .p(.class("big"), .safe(String(Set(report.newSites.map(\.study.cpmsID)).count)))),
             .div(.class("tile"), .h2(.safe("Open studies on track")), .p(.class("big"), .safe(onTrackShare))))
    }

    private var onTrackShare: String {
        let onTrack = RankedSite.onTrack(report.openSites)
        guard onTrack.of > 0 else { return "none open" }
        return "\(onTrack.count) of \(onTrack.of) studies"
    }

    private var monthsNode: Node<HTML.BodyContext> {
        let bars = report.months.map { BarChart.Bar(label: DateTicks.label($0.month), value: Double($0.recruited)) }
        let summary = report.months.map { "\(DateTicks.label($0.month)): \($0.recruited)" }.joined(separator: "; ")
            + ". Total \(report.recruited), average \(String(format: "%.1f", report.averageMonthly)) a month."
        let table: Node<HTML.BodyContext> = .table(
            .thead(.tr(.th(.safe("Month")), .th(.class("number"), .safe("Participants")))),
            .tbody(.forEach(report.months) { month in
                .tr(.td(.safe(DateTicks.label(month.month))), .td(.class("number"), .safe(String(month.recruited))))
            }),
            .tfoot(.tr(.th(.safe("Total")), .td(.class("number"), .strong(.safe(String(report.recruited))))))
        )
        let chart = BarChart(bars: bars, valueAxis: "Participants", categoryAxis: "Month recruited")
        return .section(.h2(.safe("Recruitment by month")),
                        ChartFigure(id: "board-months", title: "Participants recruited each month", summary: summary,
                                    svg: chart.svg(id: "board-months-svg", title: "Participants recruited each month", summary: summary), table: table).node)
    }

    private func groupTable(_ title: String, _ heading: String, _ groups: [BoardReport.Group], note: String) -> Node<HTML.BodyContext> {
        .section(.h2(.safe(title)), .p(.class("hint"), .safe(note)),
                 groups.isEmpty ? .p(.safe("Nobody was recruited in the period.")) : Show.tableRegion(title, .table(
                    .thead(.tr(.th(.safe(heading)), .th(.class("number"), .safe("Participants")), .th(.class("number"), .safe("Studies")))),
                    .tbody(.forEach(groups) { group in
                        .tr(.td(.safe(group.name), .if(!group.detail.isEmpty, .span(.class("muted"), .safe(" (\(group.detail))")))),
                            .td(.class("number"), .safe(String(group.participants))), .td(.class("number"), .safe(String(group.studies))))
                    })
                 )))
    }

    private var setUpNode: Node<HTML.BodyContext> {
        .section(.h2(.safe("Set-up performance")),
                 .p(.class("hint"), .safe("Sites whose measure fell due in the period: the PID benchmark date, the opening day, or the first participant.")),
                 Show.tableRegion("Set-up performance", .table(
                    .thead(.tr(.th(.safe("Measure")), .th(.class("number"), .safe("Due")), .th(.class("number"), .safe("Met")), .th(.class("number"), .safe("% met")))),
                    .tbody(.forEach(report.setUp) { result in
                        .tr(.td(.safe(result.title)), .td(.class("number"), .safe(String(result.eligible))), .td(.class("number"), .safe(String(result.met))),
                            .td(.class("number"), .safe(result.percent.map { String(format: "%.0f", $0) } ?? "—")))
                    })
                 )))
    }

    private var trafficLightNode: Node<HTML.BodyContext> {
        let judgedOn = min(report.lastDay, report.asOf)
        let counts = TrafficLight.allCases.map { light in "\(report.openSites.filter { $0.measures.trafficLight == light }.count) \(light.rawValue)" }
        let unplanned = report.openSites.filter { $0.measures.trafficLight == nil }.count
        return .section(.h2(.safe("Open studies by traffic light on \(Show.longDate(judgedOn))")),
                        .p(.safe(counts.joined(separator: ", ") + (unplanned > 0 ? ", \(unplanned) without a target or planned period" : "") + ".")),
                        report.openSites.isEmpty ? .p(.safe("No study was open.")) : Show.tableRegion("Open studies", .table(
                            .thead(.tr(.th(.safe("Light")), .th(.safe("Study")), .th(.class("number"), .safe("Recruited")), .th(.class("number"), .safe("Target")),
                                       .th(.class("number"), .safe("RTT")), .th(.safe("On track")))),
                            .tbody(.forEach(report.openSites) { site in
                                .tr(.td(site.measures.trafficLight.map { .span(.class("light \($0.rawValue)"), .safe($0.rawValue)) } ?? .safe("no plan")),
                                    .td(.safe(site.record.study.shortName)), .td(.class("number"), .safe(String(site.measures.recruitedToDate))),
                                    .td(.class("number"), .safe(Show.number(site.record.site.siteTarget))),
                                    .td(.class("number"), .safe(site.measures.rtt.map(Percent.signed) ?? "—")),
                                    .td(.safe(site.measures.onTrack.map { $0 ? "Yes" : "No" } ?? "—")))
                            })
                        )))
    }

    private var commercialNode: Node<HTML.BodyContext> {
        .section(.h2(.safe("Commercial studies")),
                 report.commercial.isEmpty ? .p(.safe("No commercial study was active in the period.")) : Show.tableRegion("Commercial studies", .table(
                    .thead(.tr(.th(.safe("Study")), .th(.safe("Status")), .th(.safe("Opened")), .th(.class("number"), .safe("Recruited in period")),
                               .th(.class("number"), .safe("To date")), .th(.class("number"), .safe("Target")), .th(.safe("Light")))),
                    .tbody(.forEach(report.commercial) { study in
                        .tr(.td(.safe(study.record.study.shortName), .span(.class("muted"), .safe(" CPMS \(study.record.study.cpmsID)"))),
                            .td(.safe(Show.text(study.record.study.status?.label))), .td(.class("nowrap"), .safe(Show.day(study.record.site.dateSiteOpen))),
                            .td(.class("number"), .safe(String(study.recruitedInPeriod))), .td(.class("number"), .safe(String(study.measures.recruitedToDate))),
                            .td(.class("number"), .safe(Show.number(study.record.site.siteTarget))),
                            .td(study.measures.trafficLight.map { .span(.class("light \($0.rawValue)"), .safe($0.rawValue)) } ?? .safe("—")))
                    })
                 )))
    }
}
