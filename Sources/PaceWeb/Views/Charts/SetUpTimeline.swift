import Foundation
import PaceCore
import Plot

/// A site's set-up intervals as bars on one date axis, each with its national limit marked, and a table
/// saying the same: how many days, the limit, and whether it was met.
struct SetUpTimeline {
    let intervals: [SetUpInterval]
    let id: String

    var node: Node<HTML.BodyContext> {
        guard !intervals.isEmpty else {
            return .p(.class("hint"), .safe("No set-up interval has started yet: record the milestones to see them against the national targets."))
        }
        return ChartFigure(id: id, title: "Set-up against the national targets (the upright mark on each bar is its target date)", summary: summary, svg: svg, table: table, stacked: true).node
    }

    private func verdict(_ interval: SetUpInterval) -> String {
        if interval.isOutOfOrder { return "not met: the \(interval.toMilestone) is dated before the \(interval.fromMilestone), check the dates" }
        return switch interval.met {
        case true?: "met"
        case false?: interval.end == nil ? "missed, still waiting" : "missed by \(interval.days - interval.limit) days"
        case nil: "waiting, \(interval.limit - interval.days) days left"
        }
    }

    private var summary: String {
        intervals.map { "\($0.name): \($0.days) days of \($0.limit), \(verdict($0))" }.joined(separator: "; ") + "."
    }

    private var svg: String {
        let width = 640.0, left = 12.0, right = 16.0, top = 8.0, rowHeight = 44.0
        let height = top + rowHeight * Double(intervals.count) + 28
        var canvas = SVGCanvas(width: width, height: height)
        let first = intervals.map(\.start).min() ?? Day.today()
        let last = intervals.flatMap { [$0.end ?? $0.day, $0.deadline] }.max() ?? first
        let span = Double(max(first.days(to: last), 1))
        let plotWidth = width - left - right
        func x(_ day: Day) -> Double { left + plotWidth * Double(first.days(to: day)) / span }
        for (index, interval) in intervals.enumerated() {
            let y = top + rowHeight * Double(index)
            canvas.text(left, y + 13, "\(interval.name): \(interval.days) days, \(verdict(interval))", class: "tick")
            let end = interval.end ?? interval.day
            let className = interval.met == false ? "bar bar-missed" : interval.end == nil ? "bar bar-waiting" : "bar bar-met"
            canvas.rect(x(interval.start), y + 18, x(end) - x(interval.start), 14, class: className,
                        label: "\(interval.fromMilestone) \(interval.start.longText) to \(interval.end.map { "\(interval.toMilestone) \($0.longText)" } ?? "today, still waiting")")
            canvas.line(x(interval.deadline), y + 14, x(interval.deadline), y + 36, class: "reference")
        }
        let axisY = top + rowHeight * Double(intervals.count) + 4
        canvas.line(left, axisY, width - right, axisY, class: "axis")
        for tick in DateTicks.months(from: first, to: last) {
            canvas.line(x(tick), axisY, x(tick), axisY + 4, class: "axis")
            canvas.text(x(tick), axisY + 16, DateTicks.label(tick), anchor: .middle, class: "tick")
        }
        return canvas.svg(id: id, title: "Set-up against the national targets", summary: summary)
    }

    private var table: Node<HTML.BodyContext> {
        .table(
            .caption(.safe("Set-up intervals")),
            .thead(.tr(.th(.safe("Measure")), .th(.safe("From")), .th(.safe("To")), .th(.class("number"), .safe("Days")),
                       .th(.safe("Target date")), .th(.safe("Result")))),
            .tbody(.forEach(intervals) { interval in
                .tr(
                    .td(.safe(interval.name)),
                    .td(.safe("\(interval.fromMilestone) \(interval.start.longText)")),
                    .td(.safe(interval.end.map { "\(interval.toMilestone) \($0.longText)" } ?? "not yet")),
                    .td(.class("number"), .safe(String(interval.days))),
                    .td(.class("nowrap"), .safe(interval.deadline.longText)),
                    .td(.safe(verdict(interval)))
                )
            })
        )
    }
}
