import Foundation
import Plot

/// Writes the SVG markup of one chart. Charts are drawn on the server so they need no script, and carry
/// a title and a text alternative that screen readers announce in place of the picture.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class name: String) {
        body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" class=\"\(name)\"/>"
    }

    mutating func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, class name: String, label: String? = nil) {
        let title = label.map { "<title>\(escapedText($0))</title>" } ?? ""
        body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\" class=\"\(name)\">\(title)</rect>"
    }

    mutating func polyline(_ points: [(Double, Double)], class name: String) {
        guard points.count > 1 else { return }
        body += "<polyline points=\"\(points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "))\" class=\"\(name)\"/>"
    }

    mutating func circle(_ x: Double, _ y: Double, radius: Double, class name: String, label: String? = nil) {
        let title = label.map { "<title>\(escapedText($0))</title>" } ?? ""
        body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" class=\"\(name)\">\(title)</circle>"
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ x: Double, _ y: Double, _ text: String, anchor: Anchor = .start, class name: String = "label", rotate: Double? = nil) {
        let transform = rotate.map { " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\"" } ?? ""
        body += "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor.rawValue)\" class=\"\(name)\"\(transform)>\(escapedText(text))</text>"
    }

    /// The finished chart: `id` must be unique on the page; `summary` is the text alternative.
    func svg(id: String, title: String, summary: String) -> String {
        // A wide chart keeps a readable size on a phone and scrolls in its region instead of shrinking its text.
        "<svg class=\"chart \(width > 400 ? "wide" : "narrow")\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" preserveAspectRatio=\"xMinYMin meet\">"
            + "<title id=\"\(id)-title\">\(escapedText(title))</title><desc id=\"\(id)-desc\">\(escapedText(summary))</desc>"
            + body + "</svg>"
    }

    /// Coordinates to one decimal place keep the markup short.
    private func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// A chart with its heading, the picture, and the same numbers as a table for anyone who cannot see it.
struct ChartFigure {
    let id: String
    let title: String
    let summary: String
    let svg: String
    let table: Node<HTML.BodyContext>
    /// Table under the chart instead of beside it, for wide charts.
    var stacked = false
    /// What the table's region is called, when several charts share a title.
    var tableLabel: String? = nil

    var node: Node<HTML.BodyContext> {
        .element(named: "figure", nodes: [
            .class(stacked ? "chart-figure stacked" : "chart-figure"), .id(id),
            .element(named: "figcaption", nodes: [.safe(title)]),
            .div(.class("chart-scroll"), .attribute(named: "tabindex", value: "0"), .attribute(named: "role", value: "region"),
                 .attribute(named: "aria-label", value: escapedAttribute("\(tableLabel.map { $0.replacingOccurrences(of: ": the numbers", with: "") } ?? title): chart")), .raw(svg)),
            // The table may scroll, so it can take focus and says what it is.
            .div(.class("table-wrap chart-table"), .attribute(named: "tabindex", value: "0"), .attribute(named: "role", value: "region"),
                 .attribute(named: "aria-label", value: escapedAttribute(tableLabel ?? "\(title): the numbers")), table),
        ])
    }
}

/// Evenly spaced round numbers from zero that cover `maximum`, for an axis.
func axisTicks(upTo maximum: Double, count: Int = 4) -> [Double] {
    guard maximum > 0 else { return [0, 1] }
    let rough = maximum / Double(count)
    let magnitude = pow(10, floor(log10(rough)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? rough
    return stride(from: 0, through: step * ceil(maximum / step), by: step).map { $0 }
}

func axisLabel(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
}
