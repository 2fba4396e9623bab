/// The UK set-up KPIs over a period: how many sites the measure applies to, how many met it.
///
/// A site counts in the period in which its measure ends: open-60 on its opening day, first-30 and the
/// 150-day measure on its first participant. The 150-day measure applies to commercial CTIMPs only
/// (domain.md §5); sites that identify but never recruit (PIC) are left out of the recruitment measures.
/// Beside them, the activity indicators DHSC publishes: open studies on track, average monthly
/// recruitment and new studies; and with `byMonth`, every indicator for each calendar month as well.
public enum KPIReport {
    /// The contract's columns, then the indicator's name, its figure (`value`: the share met, or the
    /// number), the month (empty for the whole window) and the number DHSC gives the indicator.
    public static let fields = ["kpi", "eligible", "met", "percent", "kpi_name", "value", "month", "dhsc_kpi"]

    public enum KPI: String, CaseIterable, Sendable {
        case open60 = "open-60"
        case first30 = "first-30"
        case setUp150 = "kpi-150"

        /// The indicator in words, with the days the rules set.
        public func name(_ rules: MetricRules) -> String {
            switch self {
            case .open60: "Open within \(rules.kpiOpenDays) days of HRA approval"
            case .first30: "First participant within \(rules.kpiFirstParticipantDays) days of opening"
            case .setUp150: "Commercial CTIMPs: first participant within \(rules.kpiSetUpDays) days of regulatory submission"
            }
        }

        /// How Pace computes it from a site's dates (docs/decisions.md says where it differs from DHSC's method).
        public func definition(_ rules: MetricRules) -> String {
            switch self {
            case .open60:
                "Sites that opened in the period: met when the site opened no more than \(rules.kpiOpenDays) days after its HRA approval letter. Ambition \(percentText(rules.kpiOpenAmbition))."
            case .first30:
                "Recruiting sites whose first participant was recruited in the period: met when that was no more than \(rules.kpiFirstParticipantDays) days after the site opened. Participant Identification Centres are left out. Ambition \(percentText(rules.kpiFirstParticipantAmbition))."
            case .setUp150:
                "Commercial contract CTIMPs whose first participant at the site was recruited in the period: met when that was no more than \(rules.kpiSetUpDays) days after the application for regulatory approval. Ambition \(percentText(rules.kpiSetUpAmbition))."
            }
        }

        public var dhscNumber: Int {
            switch self {
            case .setUp150: 1
            case .open60: 3
            case .first30: 4
            }
        }
    }

    /// The activity indicators DHSC publishes beside the set-up KPIs.
    public enum Activity: String, CaseIterable, Sendable {
        case onTrack = "on-track"
        case monthlyRecruitment = "average-monthly-recruitment"
        case newStudies = "new-studies"

        public var name: String {
            switch self {
            case .onTrack: "Open studies on track to time and target"
            case .monthlyRecruitment: "Average monthly recruitment"
            case .newStudies: "New studies"
            }
        }

        public func definition(_ rules: MetricRules) -> String {
            switch self {
            case .onTrack:
                "Recruiting sites open on the period's last day with a target and a planned recruitment period: on track when recruitment is at least the pro-rata share of the target (RTT of 0 or more), or the sponsor's agreed intention is \"\(rules.onTrackIntention)\". Ambition \(percentText(rules.onTrackAmbition))."
            case .monthlyRecruitment:
                "Participants recruited in the period (consent date, at the consenting site) divided by the calendar months it covers, a part month counting as its share of the month's days."
            case .newStudies:
                "Studies whose first site here opened in the period."
            }
        }

        public var dhscNumber: Int {
            switch self {
            case .onTrack: 5
            case .monthlyRecruitment: 6
            case .newStudies: 7
            }
        }
    }

    /// The months a period covers, a part month as its share of the month's days: 1 April to 2 December
    /// is 8 + 2/31 months, so two days of December do not count as a whole month of recruitment.
    public static func monthsCovered(from start: Day, to end: Day) -> Double {
        ActivityReport.months(from: start, to: end).reduce(0) { total, month in
            let first = max(start, month)
            let last = min(end, month.endOfMonth)
            return total + Double(first.days(to: last) + 1) / Double(month.days(to: month.endOfMonth) + 1)
        }
    }

    static func percentText(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    /// A share met as 0–100, or nil when no site fell due.
    public static func percent(met: Int, of eligible: Int) -> Double? {
        eligible == 0 ? nil : Double(met) * 100 / Double(eligible)
    }

    /// One stretch the report gives figures for: a calendar month, or (with no month) the whole period.
    /// `setUp` holds the sites whose set-up measures may end in it; `activity` the sites with what they
    /// recruited in it and through its last day (full histories, or snapshots for exactly this window).
    public struct Window: Sendable {
        public let from: Day
        public let to: Day
        public let month: Day?
        public let setUp: [SiteRecord]
        public let activity: [SiteRecord]
        /// Each study's first opening in scope, when `activity` holds only the sites active in the window.
        public let firstOpenings: [Int: Day]?

        public init(from: Day, to: Day, month: Day?, setUp: [SiteRecord], activity: [SiteRecord], firstOpenings: [Int: Day]? = nil) {
            self.from = from
            self.to = to
            self.month = month
            self.setUp = setUp
            self.activity = activity
            self.firstOpenings = firstOpenings
        }
    }

    /// The calendar months of a period, each cut to the period: what `byMonth` reports on.
    public static func monthWindows(from start: Day, to end: Day) -> [(from: Day, to: Day, month: Day)] {
        ActivityReport.months(from: start, to: end).map { (max(start, $0), min(end, $0.endOfMonth), $0) }
    }

    /// The indicators for the period from full records, and with `byMonth` for each calendar month in it first.
    public static func report(_ records: [SiteRecord], from start: Day, to end: Day, rules: MetricRules = .national, byMonth: Bool = false) -> Report {
        let months = byMonth ? monthWindows(from: start, to: end).map { Window(from: $0.from, to: $0.to, month: $0.month, setUp: records, activity: records) } : []
        return report(months + [Window(from: start, to: end, month: nil, setUp: records, activity: records)], from: start, to: end, rules: rules, byMonth: byMonth)
    }

    public static func report(_ windows: [Window], from start: Day, to end: Day, rules: MetricRules, byMonth: Bool) -> Report {
        let rows = windows.flatMap { Self.rows($0, rules: rules) }
        var parameters = [("from", start.iso), ("to", end.iso)]
        if byMonth { parameters.append(("by", "month")) }
        return Report(name: "kpis", parameters: parameters, fields: fields, rows: rows)
    }

    static func rows(_ window: Window, rules: MetricRules) -> [[Report.Value]] {
        let (start, end, month) = (window.from, window.to, window.month)
        let counts = counts(window.setUp, from: start, to: end, rules: rules)
        let monthValue = month.map(Report.Value.day) ?? .null
        var rows = KPI.allCases.map { kpi -> [Report.Value] in
            let (total, achieved) = counts[kpi] ?? (0, 0)
            let share = percent(met: achieved, of: total).map(Report.Value.fraction) ?? .null
            return [.text(kpi.rawValue), .integer(total), .integer(achieved), share, .text(kpi.name(rules)), share, monthValue, .integer(kpi.dhscNumber)]
        }
        let activity = activity(window.activity, from: start, to: end, rules: rules, firstOpenings: window.firstOpenings)
        let onTrackShare = percent(met: activity.onTrack, of: activity.open).map(Report.Value.fraction) ?? .null
        rows.append([.text(Activity.onTrack.rawValue), .integer(activity.open), .integer(activity.onTrack), onTrackShare, .text(Activity.onTrack.name), onTrackShare, monthValue, .integer(Activity.onTrack.dhscNumber)])
        rows.append([.text(Activity.monthlyRecruitment.rawValue), .null, .null, .null, .text(Activity.monthlyRecruitment.name), .fraction(activity.monthlyRecruitment), monthValue, .integer(Activity.monthlyRecruitment.dhscNumber)])
        rows.append([.text(Activity.newStudies.rawValue), .null, .null, .null, .text(Activity.newStudies.name), .integer(activity.newStudies), monthValue, .integer(Activity.newStudies.dhscNumber)])
        return rows
    }

    /// The activity indicators for a window: open sites (with a target and plan) and how many are on
    /// track on its last day, participants per calendar month, and studies whose first site opened in it.
    public static func activity(_ records: [SiteRecord], from start: Day, to end: Day, rules: MetricRules,
                                firstOpenings given: [Int: Day]? = nil) -> (open: Int, onTrack: Int, monthlyRecruitment: Double, newStudies: Int) {
        var open = 0
        var onTrack = 0
        var recruited = 0
        var firstOpening: [Int: Day] = [:]
        for record in records {
            if let opened = record.site.dateSiteOpen { firstOpening[record.study.cpmsID] = min(firstOpening[record.study.cpmsID] ?? opened, opened) }
            guard record.site.role.recruits else { continue }
            recruited += record.history.recruited(from: start, through: end)
            guard record.isOpen(on: end), let judged = record.measures(on: end, rules: rules).onTrack else { continue }
            open += 1
            if judged { onTrack += 1 }
        }
        let months = monthsCovered(from: start, to: end)
        let newStudies = (given ?? firstOpening).values.filter { start <= $0 && $0 <= end }.count
        return (open, onTrack, months == 0 ? 0 : Double(recruited) / months, newStudies)
    }

    /// Each KPI's eligible and met sites in the period, in one pass over the records.
    public static func counts(_ records: [SiteRecord], from start: Day, to end: Day, rules: MetricRules = .national) -> [KPI: (eligible: Int, met: Int)] {
        let period = start...end
        var eligible: [KPI: Int] = [:]
        var met: [KPI: Int] = [:]
        func count(_ kpi: KPI, days: Int?, endedOn day: Day?, within limit: Int) {
            guard let days, let day, period.contains(day) else { return }
            eligible[kpi, default: 0] += 1
            if SiteMeasures.met(days, within: limit) { met[kpi, default: 0] += 1 }
        }
        for record in records {
            let site = record.site
            let first = record.history.firstDay ?? site.firstParticipantRecruited
            count(.open60, days: SiteMeasures.days(site.hraApproval, site.dateSiteOpen), endedOn: site.dateSiteOpen, within: rules.kpiOpenDays)
            guard site.role.recruits else { continue }
            count(.first30, days: SiteMeasures.days(site.dateSiteOpen, first), endedOn: first, within: rules.kpiFirstParticipantDays)
            if record.study.route == .commercial && record.study.ctimp == true {
                count(.setUp150, days: SiteMeasures.days(site.regulatorySubmission, first), endedOn: first, within: rules.kpiSetUpDays)
            }
        }
        return Dictionary(uniqueKeysWithValues: KPI.allCases.map { ($0, (eligible[$0] ?? 0, met[$0] ?? 0)) })
    }
}

/// The Research Activity League Table for a financial year: each organisation's participants and
/// recruiting studies, ranked within its type and subtype; ties share a rank and the next rank skips.
public enum LeagueTable {
    public static let fields = ["ods_code", "name", "type", "subtype", "participants", "recruiting_studies", "rank_participants", "rank_studies"]

    /// One site's recruitment in the year.
    public struct SiteTotal: Sendable, Equatable {
        public let odsCode: String
        public let cpmsID: Int
        public let recruited: Int

        public init(odsCode: String, cpmsID: Int, recruited: Int) {
            self.odsCode = odsCode
            self.cpmsID = cpmsID
            self.recruited = recruited
        }
    }

    public static func report(_ records: [SiteRecord], organisations: [Organisation], year: FinancialYear) -> Report {
        let totals = records.map { record in
            SiteTotal(odsCode: record.site.siteODS, cpmsID: record.study.cpmsID, recruited: record.history.recruited(from: year.firstDay, through: year.lastDay))
        }
        let sites = Set(records.map(\.site.siteODS))
        return report(totals: totals, organisations: organisations.filter { sites.contains($0.odsCode) }, year: year)
    }

    /// `organisations` are those ranked: every organisation that is a site of some study.
    public static func report(totals: [SiteTotal], organisations ranked: [Organisation], year: FinancialYear) -> Report {
        var participants: [String: Int] = [:]
        var studies: [String: Set<Int>] = [:]
        for total in totals {
            participants[total.odsCode, default: 0] += total.recruited
            if total.recruited > 0 { studies[total.odsCode, default: []].insert(total.cpmsID) }
        }
        let participantRanks = ranks(ranked, by: { participants[$0.odsCode] ?? 0 })
        let studyRanks = ranks(ranked, by: { studies[$0.odsCode]?.count ?? 0 })
        let rows = ranked.sorted { lhs, rhs in
            (lhs.type.rawValue, lhs.subtype ?? "", participantRanks[lhs.odsCode] ?? 0, lhs.odsCode)
                < (rhs.type.rawValue, rhs.subtype ?? "", participantRanks[rhs.odsCode] ?? 0, rhs.odsCode)
        }.map { organisation -> [Report.Value] in
            [
                .text(organisation.odsCode), .text(organisation.name), .text(organisation.type.rawValue), .optional(organisation.subtype),
                .integer(participants[organisation.odsCode] ?? 0), .integer(studies[organisation.odsCode]?.count ?? 0),
                rank(participantRanks[organisation.odsCode], when: participants[organisation.odsCode] ?? 0),
                rank(studyRanks[organisation.odsCode], when: studies[organisation.odsCode]?.count ?? 0),
            ]
        }
        return Report(name: "league-table", parameters: [("year", year.description)], fields: fields, rows: rows)
    }

    /// A sentence placing one organisation among its own type and subtype, e.g. "RT5 ranks 3rd of 12
    /// nhs-trust (mental health) organisations by participants and 2nd by recruiting studies."
    public static func standing(of odsCode: String, in report: Report) -> String? {
        guard let row = report.rows.first(where: { $0.first == .text(odsCode) }) else { return nil }
        let peers = report.rows.filter { $0[2] == row[2] && $0[3] == row[3] }.count
        guard case .integer(let byParticipants) = row[6], case .integer(let byStudies) = row[7] else { return nil }
        let group = row[2].csv + (row[3] == .null ? "" : " (\(row[3].csv))")
        return "\(row[1].csv) ranks \(ordinal(byParticipants)) of \(peers) \(group) organisations by participants and \(ordinal(byStudies)) by recruiting studies."
    }

    public static func ordinal(_ number: Int) -> String {
        let suffix = (11...13).contains(number % 100) ? "th" : ["th", "st", "nd", "rd", "th", "th", "th", "th", "th", "th"][number % 10]
        return "\(number)\(suffix)"
    }

    /// Competition ranking (1, 2, 2, 4) within each type and subtype.
    /// An organisation that recruited nobody (or ran no recruiting study) is not ranked: an empty rank,
    /// not a shared first place among the zeros.
    static func rank(_ rank: Int?, when score: Int) -> Report.Value {
        score > 0 ? rank.map(Report.Value.integer) ?? .null : .null
    }

    static func ranks(_ organisations: [Organisation], by score: (Organisation) -> Int) -> [String: Int] {
        var result: [String: Int] = [:]
        let groups = Dictionary(grouping: organisations) { "\($0.type.rawValue)|\($0.subtype ?? "")" }
        for group in groups.values {
            let scores = group.map(score)
            for organisation in group {
                let mine = score(organisation)
                result[organisation.odsCode] = 1 + scores.filter { $0 > mine }.count
            }
        }
        return result
    }
}
