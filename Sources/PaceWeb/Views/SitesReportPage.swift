import PaceCore
import PaceStore
import Plot

/// The `sites` report in the browser: the same rows as `pace report sites`, readable, with downloads.
struct SitesReportPage {
    /// Nil when the parameters could not be read: the form is shown again with the message.
    let report: Report?
    /// The day and organisation, as read or as typed.
    let form: FormState
    let organisations: [Organisation]
    let rules: MetricRules
    var page: Int? = nil

    func render(hostName: String) -> HTML {
        let organisation = form.value("organisation")
        let parameters = [("on", form.value("on"))] + (organisation.isEmpty ? [] : [("organisation", organisation)])
        let organisationName = organisations.first { $0.odsCode == organisation }?.name ?? organisation
        let asOf = Day(iso: form.value("on"))?.longText ?? form.value("on")
        return Layout(title: report == nil ? "Error: Sites report" : "Sites report", section: .reports, hostName: hostName).render(
            ReportLinks.node(current: Paths.sitesReport),
            FormField.errorSummary(form, labels: ["on": "As of", "organisation": "Organisation"]),
            .h1(.safe("Sites: recruitment and set-up")),
            .unwrap(report) { report in .p(.class("lede"), .safe(Self.headline(report, asOf: asOf, organisation: organisation.isEmpty ? nil : organisationName))) },
            .if(report != nil, .p(.safe("RTT compares the share of target recruited with the share of planned time gone; set-up intervals are in days, with whether each met its national target."))),
            FormField.form(
                Paths.sitesReport, method: "get", class: "filters", label: "Choose the report's day and organisation",
                .div(FormField.date("on", "As of", form: form)),
                .div(FormField.select("organisation", "Organisation", form: form, options: organisations.map { ($0.odsCode, "\($0.name) (\($0.odsCode))") }, blank: "Every organisation")),
                .div(FormField.submit("Show"))
            ),
            .unwrap(report, { report in .group(
            .p(.class("actions"),
               .a(.class("button secondary"), .href(escapedAttribute(Paths.withQuery(Paths.sitesReportAPI, parameters + [("format", "csv")]))), .safe("Download CSV")),
               .a(.class("button secondary"), .href(escapedAttribute(Paths.withQuery(Paths.sitesReportAPI, parameters + [("format", "json")]))), .safe("Download JSON"))),
            report.rows.isEmpty ? .p(.safe("No sites.")) : .group(Show.tableRegion("Sites", .table(
                .caption(.safe(pagination(report).caption)),
                .thead(.tr(
                    .th(.safe("Study")), .th(.safe("Site")), .th(.safe("Role")), .th(.class("number"), .safe("Recruited")), .th(.class("number"), .safe("Target")),
                    .th(.class("number"), .safe("RTT")), .th(.safe("On track")), .th(.safe("Traffic light")),
                    .th(.class("number"), .safe("HLO 9 (days)")), .th(.class("number"), .safe("HRA → open (≤ \(rules.kpiOpenDays))")),
                    .th(.class("number"), .safe("Open → first (≤ \(rules.kpiFirstParticipantDays))")),
                    .th(.class("number"), .safe("Submission → first (≤ \(rules.kpiSetUpDays))")), .th(.safe("Target reached by"))
                )),
                .tbody(.forEach(pagination(report).slice(report.rows)) { row in
                    tableRow(Dictionary(uniqueKeysWithValues: zip(report.fields, row)))
                })
            )), pagination(report).node)) }, else: .p(.safe("Correct the parameters above to see the report.")))
        )
    }

    private func pagination(_ report: Report) -> Pagination {
        Pagination(total: report.rows.count, page: page, path: Paths.sitesReport,
                   query: [("on", form.value("on"))] + (form.value("organisation").isEmpty ? [] : [("organisation", form.value("organisation"))]))
    }

    /// "As of 2 December 2026, every organisation: 228 sites; 40 of 61 open sites with a plan are on track (66%)."
    static func headline(_ report: Report, asOf: String, organisation: String?) -> String {
        let onTrack = report.rows.compactMap { row -> Bool? in
            guard let index = report.fields.firstIndex(of: "on_track"), index < row.count, case .boolean(let flag) = row[index] else { return nil }
            return flag
        }
        let sites = "\(report.rows.count) \(report.rows.count == 1 ? "site" : "sites")"
        let share = onTrack.isEmpty ? "" : String(format: " (%.0f%%)", Double(onTrack.filter { $0 }.count) * 100 / Double(onTrack.count))
        let tracked = onTrack.isEmpty ? "none is open with a target and planned period" : "\(onTrack.filter { $0 }.count) of \(onTrack.count) open with a target and planned period are on track\(share)"
        return "As of \(asOf), \(organisation ?? "every organisation"): \(sites); \(tracked)."
    }

    private func tableRow(_ values: [String: Report.Value]) -> Node<HTML.TableContext> {
        func text(_ field: String) -> String { values[field].map { $0.csv.isEmpty ? "—" : $0.csv } ?? "—" }
        let cpmsID = Int(text("cpms_id")) ?? 0
        let site = text("site_ods")
        let rtt: String = {
            guard case .fraction(let value)? = values["rtt"] else { return "—" }
            let percent = Int((value * 100).rounded())
            return percent > 0 ? "+\(percent)%" : "\(percent)%"
        }()
        let light = text("traffic_light")
        let onTrack: String = {
            guard case .boolean(let flag)? = values["on_track"] else { return "—" }
            return flag ? "Yes" : "No"
        }()
        let studyName = values["short_name"].flatMap { $0.csv.isEmpty ? nil : $0.csv } ?? String(cpmsID)
        let siteName = values["site_name"].flatMap { $0.csv.isEmpty ? nil : $0.csv } ?? site
        let targetDate = values["forecast_target_date"].flatMap { Day(iso: $0.csv)?.longText } ?? "—"
        return .tr(
            .td(.a(.href(Paths.study(cpmsID)), .safe(studyName)), .span(.class("hint"), .safe("CPMS \(cpmsID)"))),
            .td(.a(.href(Paths.site(cpmsID, site)), .safe(siteName)), .span(.class("hint"), .safe(site))),
            .td(.safe(SiteRole(rawValue: text("role"))?.label ?? text("role"))),
            .td(.class("number"), .safe(text("recruited_to_date"))),
            .td(.class("number"), .safe(text("site_target"))),
            .td(.class("number"), .safe(rtt)),
            .td(.safe(onTrack)),
            .td(.unwrap(TrafficLight(rawValue: light), { .span(.class("light \($0.rawValue)"), .safe($0.rawValue.capitalized)) }, else: .safe("—"))),
            .td(.class("number"), .safe(text("hlo9_days"))),
            .td(.class("number"), .safe(met(text("kpi_open60_days"), within: rules.kpiOpenDays))),
            .td(.class("number"), .safe(met(text("kpi_first30_days"), within: rules.kpiFirstParticipantDays))),
            .td(.class("number"), .safe(met(text("kpi150_days"), within: rules.kpiSetUpDays))),
            .td(.class("nowrap"), .safe(targetDate))
        )
    }

    /// Days with a word saying whether the national target was met, so colour is never the only signal.
    private func met(_ days: String, within limit: Int) -> String {
        guard let value = Int(days) else { return days }
        if value < 0 { return "\(value) dates to check" }
        return SiteMeasures.met(value, within: limit) ? "\(value) met" : "\(value) missed"
    }
}
