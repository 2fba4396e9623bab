/// The `sites` report: every site's recruitment and measures on one day.
public enum SitesReport {
    public static let fields = [
        "cpms_id", "site_ods", "role", "recruited_to_date", "site_target", "rtt", "on_track", "traffic_light",
        "hlo9_days", "kpi_open60_days", "kpi_first30_days", "kpi150_days", "forecast_target_date",
        // Added after the contract's columns, so a reader sees names beside the codes.
        "short_name", "site_name",
    ]

    /// `studyNames` and `organisationNames` give the names written beside the CPMS ID and ODS code.
    public static func report(
        _ sites: [(site: Site, history: RecruitmentHistory)], on day: Day, organisation: String?, rules: MetricRules = .national,
        studyNames: [Int: String] = [:], organisationNames: [String: String] = [:]
    ) -> Report {
        var parameters = [("on", day.iso)]
        if let organisation { parameters.append(("organisation", organisation)) }
        let rows = sites.map { entry -> [Report.Value] in
            let site = entry.site
            let measures = SiteMeasures(site: site, history: entry.history, on: day, rules: rules)
            return [
                .integer(site.cpmsID), .text(site.siteODS), .text(site.role.rawValue), .integer(measures.recruitedToDate),
                .optional(site.siteTarget), .optional(measures.rtt), .optional(measures.onTrack), .optional(measures.trafficLight?.rawValue),
                .optional(measures.hlo9Days), .optional(measures.kpiOpen60Days), .optional(measures.kpiFirst30Days),
                .optional(measures.kpi150Days), .optional(measures.forecastTargetDate),
                .optional(studyNames[site.cpmsID]), .optional(organisationNames[site.siteODS]),
            ]
        }
        return Report(name: "sites", parameters: parameters, fields: fields, rows: rows)
    }
}
