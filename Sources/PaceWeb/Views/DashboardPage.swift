import Foundation
import PaceCore
import Plot

/// The R&D office's dashboard: set-up measures with their trend, open studies ranked by RTT, and the
/// set-up pipeline. Every chart has its numbers in a table beside it.
struct DashboardPage {
    let dashboard: PortfolioDashboard
    let hostName: String
    let rules: MetricRules

    func render() -> HTML {
        let onTrack = dashboard.onTrack
        let share = onTrack.of == 0 ? nil : Double(onTrack.count) * 100 / Double(onTrack.of)
        return Layout(title: "Dashboard", section: .dashboard, hostName: hostName).render(
            .h1(.safe("Dashboard")),
            .p(.class("lede"), .safe("\(hostName) as of \(dashboard.day.longText). Quarters are UK financial quarters; the trend covers the last four complete ones.")),
            .div(.class("tiles-4"),
                 .div(.class("tile"), .h3(.safe("Open sites on track")), .p(.class("big"), .safe(Percent.share(share))),
                      .p(.safe("\(onTrack.count) of \(onTrack.of) open sites with a plan are on track (national ambition: 80%)."))),
                 .div(.class("tile"), .h3(.safe("Open sites by traffic light")),
                      .ul(.forEach(TrafficLight.allCases) { light in
                          let count = dashboard.openSites.filter { $0.measures.trafficLight == light }.count
                          return .li(.span(.class("light \(light.rawValue)"), .safe(light.rawValue)), .safe(" \(count) \(count == 1 ? "site" : "sites")"))
                      }),
                      .p(.class("hint"), .safe("Green from \(Int((rules.greenFrom * 100).rounded()))% of the pro-rata target, amber from \(Int((rules.amberFrom * 100).rounded()))%.")))),
            .h2(.safe("Set-up measures")),
            .div(.class("tiles-4"), .forEach(dashboard.tiles.enumerated().map { $0 }) { index, tile in tileNode(tile, index: index) }),
            .h2(.id("ranked"), .safe("Open studies ranked by recruitment to time and target")),
            rankedNode,
            .h2(.safe("Set-up pipeline")),
            pipelineNode,
            stuckNode
        )
    }

    private func tileNode(_ tile: MeasureTrend, index: Int) -> Node<HTML.BodyContext> {
        let latest = tile.latest
        let bars = tile.quarters.map { count in
            BarChart.Bar(label: "Q\(count.quarter.number) \(count.quarter.year)", value: count.percent, display: count.percent.map { String(format: "%.0f%%", $0) })
        }
        let summary = tile.quarters.map { "\($0.quarter): \($0.met) of \($0.eligible)\($0.percent.map { String(format: " (%.0f%%)", $0) } ?? "")" }.joined(separator: "; ")
        let chart = BarChart(bars: bars, valueAxis: "% met", categoryAxis: "Quarter", maximum: 100,
                             reference: tile.measure == .pidInitiating || tile.measure == .setUp150 ? nil : (90, "90% ambition"),
                             width: 360, height: 200)
        let table: Node<HTML.BodyContext> = .table(
            .thead(.tr(.th(.safe("Quarter")), .th(.class("number"), .safe("Met")), .th(.class("number"), .safe("Due")), .th(.class("number"), .safe("%")))),
            .tbody(.forEach(tile.quarters) { count in
                .tr(.td(.safe(count.quarter.description)), .td(.class("number"), .safe(String(count.met))),
                    .td(.class("number"), .safe(String(count.eligible))), .td(.class("number"), .safe(count.percent.map { String(format: "%.0f", $0) } ?? "—")))
            })
        )
        return .div(
            .class("tile"),
            .h3(.safe(tile.title)),
            .p(.class("big"), .safe(Percent.share(latest?.percent))),
            .p(.safe(latest.map { "\($0.met) of \($0.eligible) sites in \($0.quarter)" } ?? "")),
            ChartFigure(id: "trend-\(index)", title: "Share met, last four quarters", summary: summary,
                        svg: chart.svg(id: "trend-\(index)-svg", title: "\(tile.title): share met by quarter", summary: summary), table: table).node
        )
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
        let summary = "\(withRTT.count) open sites with a target and planned period: \(counts). Most behind: "
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
        return ChartFigure(id: "rtt-ranking", title: "RTT of each open site, most behind first", summary: summary,
                           svg: chart.svg(id: "rtt-ranking-svg", title: "RTT of each open site", summary: summary), table: table).node
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
            dashboard.stuck.isEmpty ? .p(.safe("No site is waiting in set-up.")) : .div(.class("table-wrap"), .table(
                .thead(.tr(.th(.safe("Study")), .th(.safe("Site")), .th(.safe("Latest milestone")), .th(.safe("Since")), .th(.class("number"), .safe("Days waiting")))),
                .tbody(.forEach(dashboard.stuck) { waiting in
                    .tr(
                        .td(.a(.href(Paths.site(waiting.record.site.cpmsID, waiting.record.site.siteODS)), .safe(waiting.record.study.shortName))),
                        .td(.safe(waiting.record.site.siteODS)), .td(.safe(waiting.stage.label)),
                        .td(.class("nowrap"), .safe(waiting.since.longText)), .td(.class("number"), .safe(String(waiting.days)))
                    )
                })
            ))
        )
    }
}
