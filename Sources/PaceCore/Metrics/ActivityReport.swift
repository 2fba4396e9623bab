/// The UK activity measures month by month (domain.md §5, "UK KPI: activity"): participants recruited,
/// studies recruiting, and new studies (a study's first site opening at the organisation, or anywhere
/// when no organisation is named), with the average monthly recruitment over the period.
public enum ActivityReport {
    public static let fields = ["month", "participants", "recruiting_studies", "new_studies"]

    /// One site's recruitment in one calendar month.
    public struct SiteMonth: Sendable, Equatable {
        public let cpmsID: Int
        public let month: Day
        public let recruited: Int

        public init(cpmsID: Int, month: Day, recruited: Int) {
            self.cpmsID = cpmsID
            self.month = month.startOfMonth
            self.recruited = recruited
        }
    }

    /// A month written `YYYY-MM` (or any day in it, `YYYY-MM-DD`), as its first day.
    public static func month(_ text: String) -> Day? {
        (Day(iso: text + "-01") ?? Day(iso: text))?.startOfMonth
    }

    /// The calendar months from `first`'s month to `last`'s, both included.
    public static func months(from first: Day, to last: Day) -> [Day] {
        var months: [Day] = []
        var month = first.startOfMonth
        while month <= last {
            months.append(month)
            month = month.endOfMonth.adding(days: 1)
        }
        return months
    }

    /// `openings` holds each site's opening day; a study is new in the month of its earliest one.
    public static func report(_ siteMonths: [SiteMonth], openings: [(cpmsID: Int, day: Day)], from first: Day, to last: Day, organisation: String?) -> Report {
        let months = months(from: first, to: last)
        var participants: [Day: Int] = [:]
        var recruiting: [Day: Set<Int>] = [:]
        for entry in siteMonths where entry.recruited > 0 {
            participants[entry.month, default: 0] += entry.recruited
            recruiting[entry.month, default: []].insert(entry.cpmsID)
        }
        var firstOpening: [Int: Day] = [:]
        for opening in openings {
            firstOpening[opening.cpmsID] = min(firstOpening[opening.cpmsID] ?? opening.day, opening.day)
        }
        var newStudies: [Day: Int] = [:]
        for day in firstOpening.values { newStudies[day.startOfMonth, default: 0] += 1 }
        let rows = months.map { month -> [Report.Value] in
            [.day(month), .integer(participants[month] ?? 0), .integer(recruiting[month]?.count ?? 0), .integer(newStudies[month] ?? 0)]
        }
        var parameters = [("from", String(first.startOfMonth.iso.prefix(7))), ("to", String(last.startOfMonth.iso.prefix(7)))]
        if let organisation { parameters.append(("organisation", organisation)) }
        return Report(name: "activity", parameters: parameters, fields: fields, rows: rows)
    }

    /// The same from full records, for checking the database's roll-ups against the rules.
    public static func report(_ records: [SiteRecord], from first: Day, to last: Day, organisation: String?) -> Report {
        let months = months(from: first, to: last)
        let siteMonths = records.flatMap { record in
            months.map { month in
                SiteMonth(cpmsID: record.study.cpmsID, month: month,
                          recruited: record.history.recruited(from: month, through: month.endOfMonth))
            }
        }
        let openings = records.compactMap { record in record.site.dateSiteOpen.map { (record.study.cpmsID, $0) } }
        return report(siteMonths, openings: openings, from: first, to: last, organisation: organisation)
    }

    /// Participants per month over the report's months.
    public static func averageMonthly(_ report: Report) -> Double {
        let totals = report.rows.compactMap { row -> Int? in
            if case .integer(let value) = row[1] { return value }
            return nil
        }
        return totals.isEmpty ? 0 : Double(totals.reduce(0, +)) / Double(totals.count)
    }
}
