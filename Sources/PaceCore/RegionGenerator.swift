/// A deterministic, realistic portfolio for a whole region, streamed record by record so that millions
/// of participants never sit in memory: NHS trusts of several kinds, GP practices as Participant
/// Identification Centres, universities and companies as sponsors, studies over five financial years,
/// sites that set up fast or late, and recruitment that is sometimes on track and sometimes not.
public struct RegionGenerator: Sendable {
    public let organisations: Int
    public let studies: Int
    public let participants: Int
    public let seed: UInt64
    public let asOf: Day

    public init(organisations: Int, studies: Int, participants: Int, seed: UInt64, asOf: Day) {
        self.organisations = max(organisations, 8)
        self.studies = max(studies, 1)
        self.participants = max(participants, 0)
        self.seed = seed
        self.asOf = asOf
    }

    static let trustSubtypes = ["acute", "mental health", "community", "specialist", "ambulance"]

    /// The organisations: about 55% NHS trusts, 25% GP practices, 10% universities, 10% companies.
    public func forEachOrganisation(_ body: (Organisation) throws -> Void) rethrows {
        for index in 0..<organisations {
            try body(organisation(index))
        }
    }

    func organisation(_ index: Int) -> Organisation {
        let code = RegionGenerator.code(index)
        switch index % 20 {
        case 0...10:
            let subtype = RegionGenerator.trustSubtypes[index % RegionGenerator.trustSubtypes.count]
            return Organisation(odsCode: "R" + code, name: "Region \(subtype.capitalized) NHS Trust \(code)", type: .nhsTrust, subtype: subtype)
        case 11...15: return Organisation(odsCode: "C" + code, name: "Practice \(code)", type: .gpPractice)
        case 16, 17: return Organisation(odsCode: "U" + code, name: "University \(code)", type: .university)
        default: return Organisation(odsCode: "X" + code, name: "Company \(code) Ltd", type: .commercial)
        }
    }

    /// Three letters and digits from the index, always unique for the index.
    static func code(_ index: Int) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
        var value = index
        var text = ""
        for _ in 0..<4 {
            text.append(alphabet[value % alphabet.count])
            value /= alphabet.count
        }
        return String(text.reversed())
    }

    var trusts: [Int] { (0..<organisations).filter { $0 % 20 <= 10 } }
    var practices: [Int] { (0..<organisations).filter { (11...15).contains($0 % 20) } }
    /// Universities and companies; a region too small to have any (under 17 organisations) has its
    /// trusts sponsor, as NHS trusts do for much non-commercial research.
    var sponsors: [Int] {
        let universitiesAndCompanies = (0..<organisations).filter { $0 % 20 >= 16 }
        return universitiesAndCompanies.isEmpty ? trusts : universitiesAndCompanies
    }

    /// One study with its sites, in study order; participants are allotted by `forEachParticipant`.
    public struct GeneratedStudy: Sendable {
        public let study: Study
        public let sites: [Site]
    }

    public func forEachStudy(_ body: (GeneratedStudy) throws -> Void) rethrows {
        var random = SeededRandom(seed: seed)
        let trusts = trusts, practices = practices, sponsors = sponsors
        let earliest = FinancialYear(containing: asOf).firstDay.adding(days: -4 * 365)
        let span = earliest.days(to: asOf)
        for index in 0..<studies {
            let cpmsID = 100_000 + index
            let commercial = random.chance(0.25)
            let interventional = commercial || random.chance(0.5)
            let selected = earliest.adding(days: random.int(0...max(1, span - 30)))
            var study = Study(cpmsID: cpmsID, shortName: "REGION-\(index)", route: commercial ? .commercial : .nonCommercial)
            study.design = interventional ? .interventional : .observational
            study.ctimp = interventional && random.chance(commercial ? 0.7 : 0.3)
            study.sponsorODS = organisation(sponsors[random.int(0...(sponsors.count - 1))]).odsCode
            var sites: [Site] = []
            var used = Set<Int>()
            for _ in 0..<random.int(1...4) {
                let trust = trusts[random.int(0...(trusts.count - 1))]
                guard used.insert(trust).inserted else { continue }
                sites.append(site(cpmsID: cpmsID, ods: organisation(trust).odsCode, role: .recruiting, selected: selected, &random))
            }
            if random.chance(0.3), let practice = practices.isEmpty ? nil : practices[random.int(0...(practices.count - 1))] {
                sites.append(site(cpmsID: cpmsID, ods: organisation(practice).odsCode, role: .pic, selected: selected, &random))
            }
            study.plannedOpen = sites.compactMap(\.plannedRecruitmentStart).min()
            study.actualOpen = sites.compactMap(\.dateSiteOpen).min()
            let open = sites.contains { SiteMeasures.isOpen($0, on: asOf) }
            let closed = !sites.isEmpty && sites.allSatisfy { $0.closedToRecruitment != nil }
            study.status = closed ? .closedInFollowUp : open ? .openWithRecruitment : .inSetup
            try body(GeneratedStudy(study: study, sites: sites))
        }
    }

    private func site(cpmsID: Int, ods: String, role: SiteRole, selected: Day, _ random: inout SeededRandom) -> Site {
        var site = Site(cpmsID: cpmsID, siteODS: ods, role: role)
        site.dateSiteInvited = selected.adding(days: -random.int(5...40))
        site.dateSiteSelected = selected.adding(days: random.int(0...20))
        let late = random.chance(0.25)
        site.hraApproval = selected.adding(days: random.int(10...50))
        site.dateSiteConfirmed = site.hraApproval?.adding(days: random.int(5...(late ? 120 : 40)))
        site.dateSiteOpen = site.dateSiteConfirmed?.adding(days: random.int(0...10))
        site.regulatorySubmission = selected.adding(days: -random.int(10...60))
        // Milestones still to come are not known yet: an actual date is never after the as-of day.
        let happened = { (day: Day?) in day.flatMap { $0 > asOf ? nil : $0 } }
        site.dateSiteInvited = happened(site.dateSiteInvited)
        site.dateSiteSelected = happened(site.dateSiteSelected)
        site.regulatorySubmission = happened(site.regulatorySubmission)
        site.hraApproval = happened(site.hraApproval)
        site.dateSiteConfirmed = happened(site.dateSiteConfirmed)
        site.dateSiteOpen = happened(site.dateSiteOpen)
        guard role.recruits, let open = site.dateSiteOpen else { return site }
        site.siteTarget = random.int(5...150)
        site.plannedRecruitmentStart = open
        let end = open.adding(days: random.int(180...900))
        site.plannedRecruitmentEnd = end
        if end <= asOf { site.closedToRecruitment = end }
        return site
    }

    /// Every participant, site by site: each recruiting site that has opened gets a share of the total in
    /// proportion to its target and a pace of its own (so some sites are ahead and some behind).
    public func forEachParticipant(_ body: (Participant) throws -> Void) throws {
        var weights: [(site: Site, weight: Double)] = []
        forEachStudy { generated in
            for site in generated.sites where site.role.recruits && site.dateSiteOpen != nil && !recordsCounts(site) {
                let pace = Double(RegionGenerator.hash(seed, site.cpmsID, site.siteODS) % 1000) / 1000 * 1.4 + 0.3
                weights.append((site, Double(site.siteTarget ?? 10) * pace))
            }
        }
        let totalWeight = weights.reduce(0) { $0 + $1.weight }
        guard totalWeight > 0, participants > 0 else { return }
        var allotted = 0
        var random = SeededRandom(seed: seed &+ 7)
        for (index, entry) in weights.enumerated() {
            let share = index == weights.count - 1 ? participants - allotted
                : min(participants - allotted, Int((Double(participants) * entry.weight / totalWeight).rounded()))
            allotted += share
            guard share > 0, let open = entry.site.dateSiteOpen else { continue }
            let last = min(entry.site.closedToRecruitment ?? asOf, asOf)
            let days = max(0, open.days(to: last))
            for number in 0..<share {
                let consent = open.adding(days: random.int(0...days))
                let roll = random.int(0...99)
                let status: ParticipantStatus = roll < 90 ? .recruited : roll < 94 ? .withdrawn : roll < 98 ? .failedScreening : .consented
                var participant = Participant(cpmsID: entry.site.cpmsID, siteODS: entry.site.siteODS, participantID: "P\(entry.site.cpmsID)-\(entry.site.siteODS)-\(number)", status: status)
                participant.consentDate = consent
                if status.countsAsRecruited { participant.recruitedDate = min(last, consent.adding(days: random.int(0...7))) }
                if status == .withdrawn { participant.withdrawnDate = min(asOf, (participant.recruitedDate ?? consent).adding(days: random.int(1...60))) }
                try body(participant)
            }
        }
    }

    /// About one recruiting site in ten records recruitment as monthly counts instead of participants.
    func recordsCounts(_ site: Site) -> Bool {
        RegionGenerator.hash(seed &+ 3, site.cpmsID, site.siteODS) % 10 == 0
    }

    /// Monthly counts for the sites that record in aggregate: one per calendar month from opening to
    /// closing (or the as-of day), at a pace of the site's own around its planned rate.
    public func forEachMonthlyCount(_ body: (RecruitmentCount) throws -> Void) throws {
        var counting: [Site] = []
        forEachStudy { generated in
            counting += generated.sites.filter { $0.role.recruits && $0.dateSiteOpen != nil && recordsCounts($0) }
        }
        var random = SeededRandom(seed: seed &+ 11)
        for site in counting {
            guard let open = site.dateSiteOpen, let target = site.siteTarget,
                  let start = site.plannedRecruitmentStart, let end = site.plannedRecruitmentEnd else { continue }
            let last = min(site.closedToRecruitment ?? asOf, asOf)
            let pace = Double(RegionGenerator.hash(seed, site.cpmsID, site.siteODS) % 1000) / 1000 * 1.4 + 0.3
            let perMonth = Double(target) / Double(max(30, start.days(to: end))) * 30 * pace
            var month = open.startOfMonth
            while month <= last {
                let from = max(month, open), to = min(month.endOfMonth, last)
                let expected = perMonth * Double(from.days(to: to) + 1) / Double(month.days(to: month.endOfMonth) + 1)
                let count = random.int(0...max(0, Int((expected * 2).rounded())))
                try body(RecruitmentCount(cpmsID: site.cpmsID, siteODS: site.siteODS, periodStart: from, periodEnd: to, count: count))
                month = month.endOfMonth.adding(days: 1)
            }
        }
    }

    /// A stable number from a site, so its pace does not depend on the order of generation.
    static func hash(_ seed: UInt64, _ cpmsID: Int, _ ods: String) -> UInt64 {
        var value = seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: cpmsID)
        for byte in ods.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return value
    }
}
