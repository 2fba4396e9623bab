import Foundation
import PaceCore
import Plot

/// Cumulative recruitment against the straight-line target, with the forecast to reach the target,
/// as a chart and a month-by-month table.
struct RecruitmentChart {
    let curve: RecruitmentCurve
    let id: String
    let title: String

    var summary: String {
        let measures = curve.measures
        var parts = ["\(measures.recruitedToDate) recruited"]
        if let target = curve.target { parts[0] += " of a target of \(target)" }
        if let expected = curve.points.last?.expected { parts.append("the straight-line target by now is \(Int(expected.rounded()))") }
        if let rtt = measures.rtt, let light = measures.trafficLight {
            parts.append("RTT \(Percent.signed(rtt)) (\(light.rawValue))")
        }
        if let forecast = measures.forecastTargetDate { parts.append("at the last 90 days' rate the target is reached on \(forecast.longText)") }
        return parts.joined(separator: "; ") + "."
    }

    var node: Node<HTML.BodyContext> {
        guard !curve.points.isEmpty else {
            return .p(.class("hint"), .safe("No recruitment chart yet: the site has no planned start, opening or recruitment on or before today."))
        }
        return ChartFigure(id: id, title: title, summary: summary, svg: svg, table: table).node
    }

    private var svg: String {
        let width = 640.0, height = 280.0, left = 52.0, right = 16.0, top = 16.0, bottom = 52.0
        var canvas = SVGCanvas(width: width, height: height)
        let points = curve.points
        let forecast = curve.measures.forecastTargetDate
        var firstDay = points.first?.day.startOfMonth ?? Day.today()
        if let start = curve.plannedStart, start < firstDay { firstDay = start }
        var lastDay = points.last?.day ?? firstDay
        for candidate in [curve.plannedEnd, forecast].compactMap({ $0 }) where candidate > lastDay { lastDay = candidate }
        let spanDays = Double(max(firstDay.days(to: lastDay), 1))
        let topValue = Double(max(curve.target ?? 0, points.map(\.recruited).max() ?? 0, 1))
        let ticks = axisTicks(upTo: topValue)
        let scaleTop = ticks.last ?? topValue
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ day: Day) -> Double { left + plotWidth * Double(firstDay.days(to: day)) / spanDays }
        func y(_ value: Double) -> Double { top + plotHeight - plotHeight * value / scaleTop }
        for tick in ticks {
            canvas.line(left, y(tick), width - right, y(tick), class: "grid")
            canvas.text(left - 6, y(tick) + 4, axisLabel(tick), anchor: .end, class: "tick")
        }
        canvas.line(left, top + plotHeight, width - right, top + plotHeight, class: "axis")
        canvas.line(left, top, left, top + plotHeight, class: "axis")
        for tickDay in DateTicks.months(from: firstDay, to: lastDay) {
            canvas.line(x(tickDay), top + plotHeight, x(tickDay), top + plotHeight + 4, class: "axis")
            canvas.text(x(tickDay), top + plotHeight + 16, DateTicks.label(tickDay), anchor: .middle, class: "tick")
        }
        if let target = curve.target, let start = curve.plannedStart, let end = curve.plannedEnd {
            canvas.polyline([(x(start), y(0)), (x(end), y(Double(target)))], class: "series-target")
        }
        var actual: [(Double, Double)] = []
        if let first = points.first { actual.append((x(first.day.startOfMonth), y(0))) }
        actual += points.map { (x($0.day), y(Double($0.recruited))) }
        canvas.polyline(actual, class: "series-actual")
        if let last = points.last {
            canvas.circle(x(last.day), y(Double(last.recruited)), radius: 3.5, class: "point-actual", label: "\(last.recruited) recruited by \(last.day.longText)")
            if let forecast, let target = curve.target {
                canvas.polyline([(x(last.day), y(Double(last.recruited))), (x(forecast), y(Double(target)))], class: "series-forecast")
                canvas.circle(x(forecast), y(Double(target)), radius: 3.5, class: "point-forecast", label: "forecast to reach \(target): \(forecast.longText)")
            }
        }
        // A key in words: the lines differ by pattern as well as colour.
        let keyY = height - 8
        canvas.line(left, keyY - 4, left + 22, keyY - 4, class: "series-actual")
        canvas.text(left + 26, keyY, "recruited", class: "tick")
        canvas.line(left + 110, keyY - 4, left + 132, keyY - 4, class: "series-target")
        canvas.text(left + 136, keyY, "straight-line target", class: "tick")
        canvas.line(left + 280, keyY - 4, left + 302, keyY - 4, class: "series-forecast")
        canvas.text(left + 306, keyY, "forecast", class: "tick")
        canvas.text(12, top + plotHeight / 2, "Participants (cumulative)", anchor: .middle, class: "axis-title", rotate: -90)
        return canvas.svg(id: id, title: title, summary: summary)
    }

    private var table: Node<HTML.BodyContext> {
        .table(
            .caption(.safe("Cumulative recruitment by month")),
            .thead(.tr(.th(.safe("Month end")), .th(.class("number"), .safe("Recruited")), .th(.class("number"), .safe("Straight-line target")))),
            .tbody(.forEach(curve.points.reversed()) { point in
                .tr(.td(.class("nowrap"), .safe(point.day.longText)), .td(.class("number"), .safe(String(point.recruited))),
                    .td(.class("number"), .safe(point.expected.map { String(Int($0.rounded())) } ?? "—")))
            })
        )
    }
}

/// Month ticks for a date axis: every month, quarter or year, whichever gives at most about six.
enum DateTicks {
    static func months(from start: Day, to end: Day) -> [Day] {
        let months = (end.year - start.year) * 12 + end.month - start.month + 1
        let step = [1, 3, 6, 12, 24].first { months / $0 <= 6 } ?? 48
        var ticks: [Day] = []
        var year = start.year, month = start.month
        while let day = Day(year: year, month: month, day: 1), day <= end {
            let wanted = step >= 12 ? month == 1 && (year - start.year) % (step / 12) == 0 : (month - 1) % step == 0
            if day >= start, wanted { ticks.append(day) }
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return ticks
    }

    static func label(_ day: Day) -> String { Show.shortMonth(day) }
}

enum Percent {
    /// A fraction as a signed whole percentage: −0.25 → "−25%".
    static func signed(_ fraction: Double) -> String {
        let value = Int((fraction * 100).rounded())
        return value > 0 ? "+\(value)%" : value < 0 ? "−\(-value)%" : "0%"
    }

    static func share(_ percent: Double?) -> String {
        percent.map { String(format: "%.0f%%", $0) } ?? "none due"
    }
}
