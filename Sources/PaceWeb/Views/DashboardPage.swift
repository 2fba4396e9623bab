import Foundation
import PaceCore
import Plot

/// The R&D office's dashboard: set-up measures with their trend, open studies ranked by RTT, and the
/// set-up pipeline. Every chart has its numbers in a table beside it.
struct DashboardPage {
    let dashboard: PortfolioDashboard
    let hostName: String
    let rules: MetricRules
    var setUp: SetUpSummary? = nil

    /// Where the set-up days go this year, and the amendments waiting on the trust.
    private func setUpNode(_ summary: SetUpSummary) -> Node<HTML.BodyContext> {
        let share = summary.share.map { String(format: " Of this financial year's completed set-up days, %.0f%% were held by the trust and %.0f%% waited on sponsors.", $0[.provider] ?? 0, $0[.sponsor] ?? 0) } ?? ""
        return .group(
            .h2(.safe("Where the set-up days go")),
            .p(.safe("\(summary.sitesInSetUp) \(summary.sitesInSetUp == 1 ? "site is" : "sites are") in set-up: \(summary.waitingOnSponsor) waiting on a sponsor, \(summary.pastTimeframe) past the national timeframe.\(share) "),
               .a(.href(Paths.setUp), .safe("Every site in set-up")), .safe(" · "), .a(.href(Paths.setUpTimeReport), .safe("Set-up time by step"))),
            summary.slowest.isEmpty ? .p(.safe("No set-up step has been completed this financial year.")) : Show.tableRegion("Slowest set-up steps this financial year", .table(
                .caption(.safe("Slowest set-up steps since \(summary.yearStart.longText), by median days")),
                .thead(.tr(.th(.attribute(named: "scope", value: "col"), .safe("Step")), .th(.attribute(named: "scope", value: "col"), .safe("Held by")),
                           .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Completed")),
                           .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Median days")),
                           .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("90th percentile")))),
                .tbody(.forEach(summary.slowest.prefix(5)) { group in
                    .tr(.td(.safe(SetUpStepKind.name(of: group.step, in: summary.kinds))), .td(.safe(group.heldBy.label)), .td(.class("number"), .safe(String(group.days.count))),
                        .td(.class("number"), .safe(group.median.map(Show.median) ?? "—")),
                        .td(.class("number"), .safe(group.p90.map(String.init) ?? "—")))
                })
            )),
            .p(.safe(summary.overdueAmendments == 0 ? "No amendment is overdue for assessment. " : "\(summary.overdueAmendments) \(summary.overdueAmendments == 1 ? "amendment is" : "amendments are") overdue for assessment (\(rules.amendmentAssessmentDays) days from receipt). "),
               .a(.href(Paths.amendmentsReport), .safe("Amendments")))
        )
    }

    func render() -> HTML {
        Self.render(content: contentHTML(), hostName: hostName)
    }

    /// The page around content drawn earlier: the header and navigation are the reader's own.
    static func render(content: String, hostName: String) -> HTML {
        Layout(title: "Dashboard", section: .dashboard, hostName: hostName).render(.raw(content))
    }

    /// Where the kept content goes in the page around it. Everything else on the page is escaped
    /// text, so nothing a person typed can look like it.
    static let contentMarker = "<!--pace:kept-content-->"

    /// The page's own content, the same for everyone who may read the dashboard (nothing in it depends
    /// on who is reading), so it is drawn once and kept with the dashboard: 130 KB of HTML for a trust
    /// with 683 sites.
    func contentHTML() -> String {
        content.render()
    }

    private var content: Node<HTML.BodyContext> {
        let onTrack = dashboard.onTrack
        let share = onTrack.of == 0 ? nil : Double(onTrack.count) * 100 / Double(onTrack.of)
        let quarter = dashboard.tiles.first?.latest?.quarter
        return .group(
            .h1(.safe("How we are doing against time and target")),
            .p(.class("lede"), .safe("Studies at \(hostName), as of \(dashboard.day.longText).\(quarter.map { " Set-up figures are for \($0.longText), the last complete quarter, against the quarter before." } ?? "")")),
            .div(.class("tiles-4"),
                 headline(title: "Open studies on track", percent: share, ambition: rules.onTrackAmbition,
                          detail: "\(onTrack.count) of \(onTrack.of) open \(onTrack.of == 1 ? "study" : "studies") with a target and planned period are on track today.",
                          change: nil, href: "#ranked"),
                 .forEach(dashboard.tiles) { tile in
                     headline(title: tile.title, percent: tile.latest?.percent, ambition: tile.measure.ambition(in: rules),
                              detail: tile.latest.map { "\($0.met) of \($0.eligible) \($0.eligible == 1 ? "study" : "studies") due in \($0.quarter.longText)." } ?? "",
                              change: changeText(tile), href: "#trend-\(tile.measure.rawValue)")
                 }),
            .p(.class("hint"), .safe("Green at or above the ambition; amber from \(Int((rules.amberFrom * 100).rounded()))% of it; red below. The ambitions are metric rules the R&D managers can change.")),
            .h2(.id("ranked"), .safe("Open studies ranked by recruitment to time and target")),
            .p(.id("lights"), .forEach(TrafficLight.allCases) { light in
                let count = dashboard.openSites.filter { $0.measures.trafficLight == light }.count
                return .group(.span(.class("light \(light.rawValue)"), .safe("\(light.rawValue.capitalized) \(count)")), .safe(" "))
            }, .span(.class("hint"), .safe("Green from \(Int((rules.greenFrom * 100).rounded()))% of the pro-rata target, amber from \(Int((rules.amberFrom * 100).rounded()))%."))),
            rankedNode,
            .h2(.safe("Set-up measures by quarter")),
            .div(.class("grid-2"), .forEach(dashboard.tiles) { tile in trendNode(tile) }),
            .h2(.safe("Set-up pipeline")),
            pipelineNode,
            stuckNode,
            .unwrap(setUp) { setUpNode($0) }
        )
    }

    /// One headline: the figure, its ambition, its light and the change since the quarter before.
    private func headline(title: String, percent: Double?, ambition: Double, detail: String, change: String?, href: String) -> Node<HTML.BodyContext> {
        let light = AmbitionLight.light(percent: percent, ambition: ambition, rules: rules)
        let ambitionPercent = "\(Int((ambition * 100).rounded()))%"
        let standing = switch light {
        case .green: "Meets the \(ambitionPercent) ambition"
        case .amber: "Close to the \(ambitionPercent) ambition"
        case .red: "Below the \(ambitionPercent) ambition"
        case nil: "Ambition \(ambitionPercent)"
        }
        return .div(
            .class("tile \(light?.rawValue ?? "")"),
            .h2(.a(.href(href), .safe(title))),
            .p(.class("big"), .safe(percent.map { String(format: "%.0f%%", $0) } ?? "None due")),
            .p(.unwrap(light) { light in .group(.span(.class("tag \(light.rawValue)"), .safe(light.rawValue.capitalized)), .safe(" ")) },
               .span(.class("standing"), .safe(standing))),
            .unwrap(change) { .p(.class("trend"), .safe($0)) },
            .p(.safe(detail))
        )
    }

    private func changeText(_ tile: MeasureTrend) -> String {
        guard let previous = tile.previous else { return "" }
        guard let change = tile.change else {
            return previous.eligible == 0 ? "No study was due in \(previous.quarter.longText) to compare with." : "Nothing to compare with in \(previous.quarter.longText)."
        }
        let points = Int(change.rounded())
        if points == 0 { return "No change since \(previous.quarter.longText)." }
        return "\(points > 0 ? "Up" : "Down") \(abs(points)) \(abs(points) == 1 ? "point" : "points") since \(previous.quarter.longText) (\(Percent.share(previous.percent)))."
    }

    private func trendNode(_ tile: MeasureTrend) -> Node<HTML.BodyContext> {
        let ambition = tile.measure.ambition(in: rules) * 100
        let bars = tile.quarters.map { count in
            BarChart.Bar(label: "Q\(count.quarter.number) \(count.quarter.year.startYear % 100)–\((count.quarter.year.startYear + 1) % 100)", value: count.percent, display: count.percent.map { String(format: "%.0f%%", $0) })
        }
        let summary = tile.quarters.map { "\($0.quarter.longText): \($0.met) of \($0.eligible)\($0.percent.map { String(format: " (%.0f%%)", $0) } ?? "")" }.joined(separator: "; ")
        let chart = BarChart(bars: bars, valueAxis: "% met", categoryAxis: "Quarter", maximum: 100,
                             reference: (ambition, "Ambition \(Int(ambition.rounded()))%"), width: 360, height: 220)
        let table: Node<HTML.BodyContext> = .table(
            .thead(.tr(.th(.safe("Quarter")), .th(.class("number"), .safe("Met")), .th(.class("number"), .safe("Due")), .th(.class("number"), .safe("Share met")))),
            .tbody(.forEach(tile.quarters) { count in
                .tr(.td(.class("nowrap"), .safe(count.quarter.longText)), .td(.class("number"), .safe(String(count.met))),
                    .td(.class("number"), .safe(String(count.eligible))), .td(.class("number"), .safe(count.percent.map { String(format: "%.0f%%", $0) } ?? "—")))
            })
        )
        let id = "trend-\(tile.measure.rawValue)"
        return .div(.class("card"), .h3(.safe(tile.title)),
                    ChartFigure(id: id, title: "Share met, last four quarters", summary: summary,
                                svg: chart.svg(id: "\(id)-svg", title: "\(tile.title): share met by quarter", summary: summary), table: table, stacked: true,
                                tableLabel: "\(tile.title): the numbers by quarter").node)
    }

    private var rankedNode: Node<HTML.BodyContext> {
        let ranked = dashboard.openSites
        guard !ranked.isEmpty else { return .p(.safe("No site is open to recruitment today.")) }
        let withRTT = ranked.filter { $0.measures.rtt != nil }
        let rows = withRTT.map { site -> HorizontalBarChart.Row in
            let rtt = site.measures.rtt ?? 0
            let light = site.measures.trafficLight?.rawValue ?? "none"
            return HorizontalBarChart.Row(label: site.record.study.shortName, value: rtt * 100, display: "\(Percent.signed(rtt)) \(light)", className: "bar bar-\(light)")
        }
        let counts = TrafficLight.allCases.map { light in "\(withRTT.filter { $0.measures.trafficLight == light }.count) \(light.rawValue)" }.joined(separator: ", ")
        let summary = "\(withRTT.count) open studies with a target and planned period: \(counts). Most behind: "
            + withRTT.prefix(3).map { "\($0.record.study.shortName) \(Percent.signed($0.measures.rtt ?? 0))" }.joined(separator: ", ") + "."
        let chart = HorizontalBarChart(rows: rows, valueAxis: "RTT: % ahead (+) or behind (−) the pro-rata target")
        let table: Node<HTML.BodyContext> = .table(
            .thead(.tr(.th(.safe("Study")), .th(.class("number"), .safe("Recruited")), .th(.class("number"), .safe("Target")),
                       .th(.class("number"), .safe("RTT")), .th(.safe("Light")), .th(.safe("On track")), .th(.safe("Forecast to target")))),
            .tbody(.forEach(ranked) { site in
                let measures = site.measures
                return .tr(
                    .td(.a(.href(Paths.site(site.record.site.cpmsID, site.record.site.siteODS)), .safe(site.record.study.shortName))),
                    .td(.class("number"), .safe(String(measures.recruitedToDate))),
                    .td(.class("number"), .safe(Show.number(site.record.site.siteTarget))),
                    .td(.class("number"), .safe(measures.rtt.map(Percent.signed) ?? "—")),
                    .td(measures.trafficLight.map { light in .span(.class("light \(light.rawValue)"), .safe(light.rawValue)) } ?? .safe("—")),
                    .td(.safe(measures.onTrack.map { $0 ? "Yes" : "No" } ?? "—")),
                    .td(.class("nowrap"), .safe(Show.day(measures.forecastTargetDate)))
                )
            })
        )
        return ChartFigure(id: "rtt-ranking", title: "RTT of each open study, most behind first", summary: summary,
                           svg: chart.svg(id: "rtt-ranking-svg", title: "RTT of each open study", summary: summary), table: table, stacked: true).node
    }

    private var pipelineNode: Node<HTML.BodyContext> {
        let stages = dashboard.pipeline
        let rows = stages.map { HorizontalBarChart.Row(label: $0.stage.label, value: Double($0.sites), display: $0.sites == 1 ? "1 site" : "\($0.sites) sites") }
        let summary = stages.map { stage in
            "\(stage.stage.label): \(stage.sites) sites now" + (stage.longestWait.map { ", longest \($0) days" } ?? "")
                + (stage.medianDaysTaken.map { ", median \($0) days to the next milestone" } ?? "")
        }.joined(separator: "; ") + "."
        let table: Node<HTML.BodyContext> = .table(
            .thead(.tr(.th(.safe("Latest milestone")), .th(.class("number"), .safe("Sites now")), .th(.class("number"), .safe("Longest wait (days)")),
                       .th(.class("number"), .safe("Median days to next milestone")))),
            .tbody(.forEach(stages) { stage in
                .tr(.td(.safe(stage.stage.label)), .td(.class("number"), .safe(String(stage.sites))),
                    .td(.class("number"), .safe(Show.number(stage.longestWait))), .td(.class("number"), .safe(Show.number(stage.medianDaysTaken))))
            })
        )
        let chart = HorizontalBarChart(rows: rows, valueAxis: "Sites whose latest milestone this is (not closed)", labelWidth: 140)
        return ChartFigure(id: "pipeline", title: "Sites at each set-up stage: invited → selected → confirmed → open → first participant", summary: summary,
                           svg: chart.svg(id: "pipeline-svg", title: "Sites at each set-up stage", summary: summary), table: table).node
    }

    private var stuckNode: Node<HTML.BodyContext> {
        .group(
            .h3(.safe("Waiting longest before a first participant")),
            dashboard.stuck.isEmpty ? .p(.safe("No site is waiting in set-up.")) : Show.tableRegion("Waiting longest before a first participant", .table(
                .thead(.tr(.th(.safe("Study")), .th(.safe("Latest milestone")), .th(.safe("Since")), .th(.class("number"), .safe("Days waiting")))),
                .tbody(.forEach(dashboard.stuck) { waiting in
                    .tr(
                        .td(.a(.href(Paths.site(waiting.record.site.cpmsID, waiting.record.site.siteODS)), .safe(waiting.record.study.shortName))),
                        .td(.safe(waiting.stage.label)),
                        .td(.class("nowrap"), .safe(waiting.since.longText)), .td(.class("number"), .safe(String(waiting.days)))
                    )
                })
            ))
        )
    }
}
