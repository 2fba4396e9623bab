import Foundation
import PaceCore
import Plot

/// Any report as a table, with its parameters in a form and the downloads beside it.
struct ReportTablePage {
    let report: Report
    let title: String
    let path: String
    let organisations: [Organisation]
    /// An organisation whose row stands out (the host in the league table).
    var highlight: String? = nil
    /// A sentence under the parameters, e.g. the average over the rows.
    var summary: String? = nil
    /// A parameter that could not be read: the form shows it beside the field, and no figures are shown.
    var problem: FieldProblem? = nil

    func render(hostName: String) -> HTML {
        let values = Dictionary(report.parameters, uniquingKeysWith: { $1 })
        let form = FormState(values: values, problems: problem.map { [$0] } ?? [])
        func download(_ base: String, _ extra: [(String, String)]) -> String { escapedAttribute(Paths.withQuery(base, report.parameters + extra)) }
        return Layout(title: problem == nil ? title : "Error: " + title, section: .reports, hostName: hostName).render(
            ReportLinks.node(current: path),
            FormField.errorSummary(form, labels: Self.labels),
            .h1(.safe(title)),
            .if(problem == nil, .p(.class("lede"), .safe(report.parameters.map { "\($0.0.replacingOccurrences(of: "_", with: " ")): \($0.1)" }.joined(separator: " · ")))),
            .unwrap(summary) { .p(.strong(.safe($0))) },
            FormField.form(
                path, method: "get", class: "filters", label: "Choose the report's parameters",
                .group(report.parameters.map { parameter in parameterField(parameter.0, form: form) }),
                .if((report.name == "kpis" || report.name == "activity") && values["organisation"] == nil, .div(parameterField("organisation", form: form))),
                .div(FormField.submit("Show"))
            ),
            problem != nil ? .p(.safe("Correct the parameter above to see the report.")) : .group(
            .p(.class("actions"),
               .a(.class("button secondary"), .href(download("/api/v1" + path, [("format", "csv")])), .safe("Download CSV")),
               .a(.class("button secondary"), .href(download("/api/v1" + path, [("format", "json")])), .safe("Download JSON")),
               .if(report.name.hasPrefix("pid-"), .a(.class("button"), .href(download(path + "/return.csv", [])), .safe("Download the return for a spreadsheet")))),
            report.rows.isEmpty ? .p(.safe("No sites fall in this return.")) : Show.tableRegion(title, .table(
                .caption(.safe("\(report.rows.count) rows")),
                .thead(.tr(.forEach(report.fields) { field in
                    let label = field.replacingOccurrences(of: "_", with: " ")
                    return .th(.safe(label.prefix(1).uppercased() + label.dropFirst()))
                })),
                .tbody(.forEach(report.rows) { row in
                    .tr(.if(highlight != nil && row.first == .text(highlight ?? ""), .class("highlight")), .forEach(row) { value in
                        switch value {
                        case .boolean(let flag): .td(.safe(flag ? "Yes" : "No"))
                        case .integer: .td(.class("number"), .safe(value.csv))
                        // Fractions on these pages are percentages: one decimal place is enough to read.
                        case .fraction(let number): .td(.class("number"), .safe(String(format: "%.1f", number)))
                        case .day: .td(.class("nowrap"), .safe(value.csv))
                        case .null: .td(.safe("—"))
                        default: .td(.safe(value.csv))
                        }
                    })
                })
            )))
        )
    }

    static let labels = ["quarter": "Quarter", "year": "Financial year", "from": "From", "to": "To", "organisation": "Organisation", "format": "Format"]
}

extension ReportTablePage {
    private func parameterField(_ name: String, form: FormState) -> Node<HTML.BodyContext> {
        switch name {
        case "organisation":
            return .div(FormField.select("organisation", "Organisation", form: form, options: organisations.map { ($0.odsCode, "\($0.name) (\($0.odsCode))") },
                                         blank: report.name == "kpis" || report.name == "activity" ? "Every organisation" : nil))
        case "quarter": return .div(FormField.input("quarter", "Quarter", form: form, hint: "e.g. 2025-26-Q4"))
        case "year": return .div(FormField.input("year", "Financial year", form: form, hint: "e.g. 2025-26"))
        case "from" where report.name == "activity": return .div(FormField.input("from", "From month", form: form, hint: "YYYY-MM"))
        case "to" where report.name == "activity": return .div(FormField.input("to", "To month", form: form, hint: "YYYY-MM"))
        case "from": return .div(FormField.date("from", "From", form: form))
        case "to": return .div(FormField.date("to", "To", form: form))
        default: return .div(FormField.input(name, name, form: form))
        }
    }
}

/// The list of reports at the top of every report page.
enum ReportLinks {
    static let reports: [(path: String, label: String)] = [
        (Paths.sitesReport, "Sites"), ("/reports/pid-initiating", "PID initiating"), ("/reports/pid-delivering", "PID delivering"),
        ("/reports/kpis", "UK KPIs"), ("/reports/league-table", "League table"), ("/reports/activity", "Activity"),
        (Paths.boardReport, "Board report"),
    ]

    static func node(current: String) -> Node<HTML.BodyContext> {
        .nav(.attribute(named: "aria-label", value: "Reports"), .ul(.class("report-links"), .forEach(reports) { report in
            .li(.a(.href(report.path), .attribute(named: "aria-current", value: report.path == current ? "page" : nil), .safe(report.label)))
        }))
    }
}
