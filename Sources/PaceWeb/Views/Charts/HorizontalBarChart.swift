import Foundation

/// One row per item with a bar from zero, left for negative values and right for positive, and the value
/// written at the end of the bar; used for RTT (behind or ahead of plan) and for the set-up pipeline.
struct HorizontalBarChart {
    struct Row {
        let label: String
        let value: Double
        let display: String
        var className = "bar"
    }

    let rows: [Row]
    let valueAxis: String
    var width = 640.0
    var rowHeight = 22.0
    var labelWidth = 200.0

    func svg(id: String, title: String, summary: String) -> String {
        let top = 12.0, bottom = 40.0, right = 100.0
        let height = top + bottom + rowHeight * Double(max(rows.count, 1))
        var canvas = SVGCanvas(width: width, height: height)
        let lowest = min(0, rows.map(\.value).min() ?? 0)
        let highest = max(0, rows.map(\.value).max() ?? 0)
        let span = max(highest - lowest, 0.0001)
        let left = labelWidth
        let plotWidth = width - left - right
        func x(_ value: Double) -> Double { left + plotWidth * (value - lowest) / span }
        let plotBottom = top + rowHeight * Double(rows.count)
        for (index, row) in rows.enumerated() {
            let y = top + rowHeight * Double(index)
            canvas.text(left - 8, y + rowHeight * 0.68, SVGText.shortened(row.label, to: 30), anchor: .end, class: "tick")
            let start = x(min(0, row.value))
            let end = x(max(0, row.value))
            canvas.rect(start, y + 3, end - start, rowHeight - 6, class: row.className, label: "\(row.label): \(row.display)")
            // Beside the zero line for a negative bar, so the value never runs into the row's name.
            canvas.text(row.value < 0 ? x(0) + 4 : end + 4, y + rowHeight * 0.68, row.display, class: "value")
        }
        canvas.line(x(0), top, x(0), plotBottom, class: "axis")
        canvas.line(left, plotBottom, left + plotWidth, plotBottom, class: "axis")
        canvas.text(x(lowest), plotBottom + 14, axisLabel(lowest), anchor: .middle, class: "tick")
        if lowest != 0 { canvas.text(x(0), plotBottom + 14, "0", anchor: .middle, class: "tick") }
        canvas.text(x(highest), plotBottom + 14, axisLabel(highest), anchor: .middle, class: "tick")
        canvas.text(left + plotWidth / 2, height - 6, valueAxis, anchor: .middle, class: "axis-title")
        return canvas.svg(id: id, title: title, summary: summary)
    }
}

enum SVGText {
    static func shortened(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
