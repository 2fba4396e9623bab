/// The quarterly PID return laid out as trusts publish it (domain.md §5), for a spreadsheet: a byte-order
/// mark so spreadsheets read the en dashes in delay codes as UTF-8, Yes/No, and cells that a spreadsheet
/// would take for a formula made plain text.
public enum PublishedPIDReturn {
    public static let initiatingColumns = [
        "Research Ethics Committee reference", "IRAS number", "Name of trial", "Date site invited", "Date site selected",
        "HRA approval date", "Date site confirmed by sponsor", "Date site confirmed", "Non-confirmation status",
        "Date site ready to start", "Date of first participant recruited", "Benchmark met", "Reason for delay",
        "Delay attributed to", "Comments",
    ]

    public static let deliveringColumns = [
        "IRAS number", "Name of trial", "Agreed target", "Agreed recruitment end date", "Number recruited", "Target met", "Trial status",
    ]

    /// Pace keeps no Research Ethics Committee reference or comments yet, so those columns stay empty.
    public static func initiating(_ records: [SiteRecord], quarter: FinancialQuarter, rules: MetricRules = .national) -> String {
        let rows = PIDReports.initiatingEntries(records, quarter: quarter, rules: rules).map { entry -> [String] in
            let site = entry.record.site
            let study = entry.record.study
            return [
                "", study.irasID ?? "", study.title ?? study.shortName, day(site.dateSiteInvited), entry.selected.iso,
                day(site.hraApproval), day(site.dateSiteConfirmedBySponsor), day(site.dateSiteConfirmed), site.nonConfirmationStatus ?? "",
                day(site.dateSiteOpen), day(entry.firstParticipant), entry.met ? "Yes" : "No", site.delayReason ?? "",
                site.delayAttribution.map(attribution) ?? "", "",
            ]
        }
        return sheet(initiatingColumns, rows)
    }

    public static func delivering(_ records: [SiteRecord], quarter: FinancialQuarter) -> String {
        let window = PIDReports.window(endingWith: quarter)
        let rows = records.compactMap { record -> [String]? in
            let site = record.site
            guard record.study.route == .commercial, site.role.recruits, let closed = site.closedToRecruitment, window.contains(closed) else { return nil }
            let recruited = site.plannedRecruitmentEnd.map { record.history.recruited(through: $0) }
            var met = ""
            if let target = site.siteTarget, let recruited { met = recruited >= target ? "Yes" : "No" }
            return [
                record.study.irasID ?? "", record.study.title ?? record.study.shortName, site.siteTarget.map(String.init) ?? "",
                day(site.plannedRecruitmentEnd), recruited.map(String.init) ?? "", met, record.study.status?.rawValue ?? "",
            ]
        }
        return sheet(deliveringColumns, rows)
    }

    static func attribution(_ attribution: DelayAttribution) -> String {
        switch attribution {
        case .provider: "NHS provider"
        case .sponsor: "Sponsor"
        case .both: "Both"
        case .neither: "Neither"
        }
    }

    static func day(_ day: Day?) -> String { day?.iso ?? "" }

    /// A cell a spreadsheet would run as a formula gets a leading apostrophe, which spreadsheets hide.
    static func plain(_ cell: String) -> String {
        guard let first = cell.first, "=+-@".contains(first) else { return cell }
        return "'" + cell
    }

    static func sheet(_ columns: [String], _ rows: [[String]]) -> String {
        "\u{FEFF}" + ([columns] + rows.map { $0.map(plain) }).map(CSVWriter.line).joined()
    }
}
