import Foundation

/// Vertical bars, one per category, from zero; each bar says its value so colour is never needed to read it.
struct BarChart {
    struct Bar {
        let label: String
        /// nil draws no bar and writes "none" (e.g. a quarter in which no site fell due).
        let value: Double?
        var display: String? = nil
        var className = "bar"
    }

    let bars: [Bar]
    let valueAxis: String
    let categoryAxis: String
    /// Fixed top of the value axis (100 for percentages); else fitted to the data.
    var maximum: Double? = nil
    /// A horizontal reference line, e.g. the 80% or 90% national ambition.
    var reference: (value: Double, label: String)? = nil
    var width = 480.0
    var height = 240.0

    func svg(id: String, title: String, summary: String) -> String {
        let left = 48.0, right = 12.0, top = 16.0, bottom = 48.0
        var canvas = SVGCanvas(width: width, height: height)
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let ticks = axisTicks(upTo: maximum ?? bars.compactMap(\.value).max() ?? 0)
        let scaleTop = max(ticks.last ?? 1, 1)
        func y(_ value: Double) -> Double { top + plotHeight - plotHeight * min(value, scaleTop) / scaleTop }
        for tick in ticks {
            canvas.line(left, y(tick), width - right, y(tick), class: "grid")
            canvas.text(left - 6, y(tick) + 4, axisLabel(tick), anchor: .end, class: "tick")
        }
        canvas.line(left, top + plotHeight, width - right, top + plotHeight, class: "axis")
        canvas.line(left, top, left, top + plotHeight, class: "axis")
        let slot = plotWidth / Double(max(bars.count, 1))
        let barWidth = min(56, slot * 0.7)
        let rotate = slot < 44
        for (index, bar) in bars.enumerated() {
            let centre = left + slot * (Double(index) + 0.5)
            if let value = bar.value {
                canvas.rect(centre - barWidth / 2, y(value), barWidth, top + plotHeight - y(value), class: bar.className, label: "\(bar.label): \(bar.display ?? axisLabel(value))")
                if !rotate { canvas.text(centre, y(value) - 4, bar.display ?? axisLabel(value), anchor: .middle, class: "value") }
            } else if !rotate {
                canvas.text(centre, top + plotHeight - 4, "none", anchor: .middle, class: "value muted")
            }
            if rotate {
                canvas.text(centre + 3, top + plotHeight + 10, bar.label, anchor: .end, class: "tick", rotate: -45)
            } else {
                canvas.text(centre, top + plotHeight + 16, bar.label, anchor: .middle, class: "tick")
            }
        }
        if let reference {
            canvas.line(left, y(reference.value), width - right, y(reference.value), class: "reference")
            canvas.text(width - right, y(reference.value) - 4, reference.label, anchor: .end, class: "reference-label")
        }
        canvas.text(left + plotWidth / 2, height - 6, categoryAxis, anchor: .middle, class: "axis-title")
        canvas.text(14, top + plotHeight / 2, valueAxis, anchor: .middle, class: "axis-title", rotate: -90)
        return canvas.svg(id: id, title: title, summary: summary)
    }
}
