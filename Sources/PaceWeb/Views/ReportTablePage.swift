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
    /// Which page of a long table to show (checked at the edge).
    var page: Int? = nil
    /// More the report shows under its table (the set-up trend by quarter, say).
    var extra: Node<HTML.BodyContext>? = nil

    func render(hostName: String) -> HTML {
        let values = Dictionary(report.parameters, uniquingKeysWith: { $1 })
        let form = FormState(values: values, problems: problem.map { [$0] } ?? [])
        func download(_ base: String, _ extra: [(String, String)]) -> String { escapedAttribute(Paths.withQuery(base, report.parameters + extra)) }
        return Layout(title: problem == nil ? title : "Error: " + title, section: .reports, hostName: hostName).render(
            ReportLinks.node(current: path),
            FormField.errorSummary(form, labels: Self.labels),
            .h1(.safe(title)),
            .if(problem == nil, .p(.class("lede"), .safe(summary ?? parametersInWords))),
            FormField.form(
                path, method: "get", class: "filters", label: "Choose the report's parameters",
                .group(report.parameters.map { parameter in parameterField(parameter.0, form: form) }),
                .if((report.name == "kpis" || report.name == "activity") && values["organisation"] == nil, .div(parameterField("organisation", form: form))),
                .if(report.name == "kpis" && values["by"] == nil, .div(parameterField("by", form: form))),
                .div(FormField.submit("Show"))
            ),
            problem != nil ? .p(.safe("Correct the parameter above to see the report.")) : .group(
            .p(.class("actions"),
               .a(.class("button secondary"), .href(download("/api/v1" + path, [("format", "csv")])), .safe("Download CSV")),
               .a(.class("button secondary"), .href(download("/api/v1" + path, [("format", "json")])), .safe("Download JSON")),
               .if(report.name.hasPrefix("pid-"), .a(.class("button"), .href(download(path + "/return.csv", [])), .safe("Download the return for a spreadsheet")))),
            report.rows.isEmpty ? .p(.safe(emptyText)) : .group(Show.tableRegion(title, .table(
                .caption(.safe(pagination.caption)),
                .thead(.tr(.forEach(shownFields) { field in
                    .th(.attribute(named: "scope", value: "col"), .class(numeric(field) ? "number" : ""), .safe(Self.columnLabel(field)))
                })),
                .tbody(.forEach(pagination.slice(report.rows)) { row in
                    let values = Dictionary(zip(report.fields, row), uniquingKeysWith: { first, _ in first })
                    return .tr(.if(highlight != nil && row.first == .text(highlight ?? ""), .class("highlight")), .forEach(shownFields) { field in
                        cell(field, values[field] ?? .null, row: values)
                    })
                })
            )), pagination.node), .unwrap(extra) { $0 })
        )
    }

    private var emptyText: String {
        switch report.name {
        case "set-up-time": "No set-up step was completed in this window."
        case "amendments": "No amendment had been received by this day."
        default: "No sites fall in this return."
        }
    }

    private var pagination: Pagination {
        Pagination(total: report.rows.count, page: page, path: path, query: report.parameters)
    }

    /// The columns a person reads: the KPI's name instead of its code.
    private var shownFields: [String] {
        // The figure column shows the share met as well as the activity numbers, so the page shows it once.
        if report.fields.contains("kpi_name") { return ["kpi_name"] + report.fields.filter { !["kpi", "kpi_name", "percent"].contains($0) } }
        if report.fields.contains("step_name") { return ["step_name"] + report.fields.filter { $0 != "step" && $0 != "step_name" } }
        // The study's name stands for its CPMS ID, and links to it.
        if report.name == "amendments" { return ["short_name"] + report.fields.filter { $0 != "short_name" && $0 != "cpms_id" } }
        return report.fields
    }

    private func numeric(_ field: String) -> Bool {
        ["eligible", "met", "percent", "participants", "recruiting_studies", "rank_participants", "rank_studies", "site_target",
         "recruited_by_end", "new_studies", "completed_steps", "median_days", "p90_days", "total_days", "percent_of_days", "days_to_assess", "value", "dhsc_kpi"].contains(field)
    }

    private var parametersInWords: String {
        report.parameters.map { name, value in
            let shown = Day(iso: value)?.longText ?? FinancialQuarter(value)?.longText ?? organisations.first { $0.odsCode == value }?.name ?? value
            return "\(Self.labels[name] ?? name): \(shown)"
        }.joined(separator: " · ")
    }

    /// A value as a person reads it: codes as words, dates written out, months by name.
    private func cell(_ field: String, _ value: Report.Value, row: [String: Report.Value]) -> Node<HTML.TableRowContext> {
        switch value {
        case .boolean(let flag): return .td(.safe(flag ? "Yes" : "No"))
        case .integer: return .td(.class("number"), .safe(value.csv))
        // Fractions on these pages are percentages: a whole number is enough to read.
        case .fraction(let number) where field == "value" && row["kpi"] == .text(KPIReport.Activity.monthlyRecruitment.rawValue):
            return .td(.class("number"), .safe(String(format: "%.1f", number)))
        case .null where field == "month": return .td(.safe("Whole period"))
        case .fraction(let number) where field == "median_days": return .td(.class("number"), .safe(Show.median(number)))
        case .fraction(let number): return .td(.class("number"), .safe(String(format: "%.0f%%", number)))
        case .day(let day): return .td(.class("nowrap"), .safe(field == "month" ? "\(Day.monthNames[day.month - 1]) \(day.year)" : day.longText))
        case .null: return .td(.class(numeric(field) ? "number" : ""), .safe(field.hasPrefix("rank_") ? "Not ranked" : "—"))
        default:
            let text = value.csv
            let words: String = switch field {
            case "type": OrganisationType(rawValue: text)?.label ?? text
            case "subtype": text.replacingOccurrences(of: "-", with: " ")
            case "delay_attribution": DelayAttribution(rawValue: text)?.label ?? text
            case "held_by": SetUpHolder(rawValue: text)?.label ?? text
            case "category": AmendmentCategory(rawValue: text)?.label ?? text
            default: text
            }
            if field == "short_name", case .integer(let cpms)? = row["cpms_id"] { return .td(.a(.href(Paths.study(cpms)), .safe(words))) }
            return .td(.safe(words))
        }
    }

    static func columnLabel(_ field: String) -> String {
        columnLabels[field] ?? PlainMessage.fieldName(field)
    }

    static let columnLabels = [
        "cpms_id": "CPMS ID", "iras_id": "IRAS ID", "short_name": "Study", "date_site_selected": "Site selected", "benchmark_date": "Benchmark date",
        "first_participant_recruited": "First participant", "benchmark_met": "Benchmark met", "delay_reason": "Reason for delay",
        "delay_attribution": "Delay attributed to", "site_target": "Target", "planned_recruitment_end": "Planned end of recruitment",
        "recruited_by_end": "Recruited by the end", "target_met": "Target met", "ods_code": "ODS code", "name": "Organisation", "type": "Type",
        "subtype": "Kind", "participants": "Participants", "recruiting_studies": "Recruiting studies", "rank_participants": "Rank by participants",
        "rank_studies": "Rank by studies", "kpi_name": "Indicator", "eligible": "Due", "met": "Met", "percent": "Share met",
        "month": "Month", "new_studies": "New studies", "step_name": "Step", "held_by": "Held by", "completed_steps": "Completed",
        "median_days": "Median days", "p90_days": "90th percentile days", "total_days": "Total days", "percent_of_days": "Share of days",
        "amendment_ref": "Reference", "category": "Category", "received": "Received", "assessment_due": "Assessment due", "assessed": "Assessed",
        "days_to_assess": "Days to assess", "overdue": "Overdue", "on_time": "Assessed in time", "implemented": "Implemented",
        "needs_reconfirmation": "Capacity and capability to reconfirm", "site_ods": "Site", "value": "Figure", "dhsc_kpi": "DHSC KPI",
    ]

    static let labels = ["by": "Month by month", "on": "On", "quarter": "Quarter", "year": "Financial year", "from": "From", "to": "To", "organisation": "Organisation", "format": "Format"]
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
        case "on": return .div(FormField.date("on", "On", form: form))
        case "by": return .div(FormField.select("by", "Month by month", form: form, options: [("month", "Each month, then the whole period")], blank: "The whole period only"))
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
        (Paths.setUpTimeReport, "Set-up time"), (Paths.amendmentsReport, "Amendments"),
        (Paths.boardReport, "Board report"),
    ]

    static func node(current: String) -> Node<HTML.BodyContext> {
        .nav(.attribute(named: "aria-label", value: "Reports"), .ul(.class("report-links"), .forEach(reports) { report in
            .li(.a(.href(report.path), .attribute(named: "aria-current", value: report.path == current ? "page" : nil), .safe(report.label)))
        }))
    }
}
