/// The UK set-up KPIs over a period: how many sites the measure applies to, how many met it.
///
/// A site counts in the period in which its measure ends: open-60 on its opening day, first-30 and the
/// 150-day measure on its first participant. The 150-day measure applies to commercial CTIMPs only
/// (domain.md §5); sites that identify but never recruit (PIC) are left out of the recruitment measures.
public enum KPIReport {
    public static let fields = ["kpi", "eligible", "met", "percent", "kpi_name"]

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
    }

    /// A share met as 0–100, or nil when no site fell due.
    public static func percent(met: Int, of eligible: Int) -> Double? {
        eligible == 0 ? nil : Double(met) * 100 / Double(eligible)
    }

    public static func report(_ records: [SiteRecord], from start: Day, to end: Day, rules: MetricRules = .national) -> Report {
        let counts = counts(records, from: start, to: end, rules: rules)
        let rows = KPI.allCases.map { kpi -> [Report.Value] in
            let (total, achieved) = counts[kpi] ?? (0, 0)
            return [.text(kpi.rawValue), .integer(total), .integer(achieved), percent(met: achieved, of: total).map(Report.Value.fraction) ?? .null, .text(kpi.name(rules))]
        }
        return Report(name: "kpis", parameters: [("from", start.iso), ("to", end.iso)], fields: fields, rows: rows)
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
