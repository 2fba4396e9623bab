/// A realistic, deterministic portfolio for a mental-health and community trust (host RT5), used by
/// `pace demo` and by tests. The same seed and as-of day always give the same portfolio.
public struct DemoPortfolio: Sendable {
    public struct PartnerLink: Sendable, Hashable {
        public let cpmsID: Int
        public let odsCode: String
        public let role: PartnerRole
    }

    public var organisations: [Organisation] = []
    public var studies: [Study] = []
    public var sites: [Site] = []
    public var participants: [Participant] = []
    public var counts: [RecruitmentCount] = []
    public var partners: [PartnerLink] = []
    public var setUpSteps: [SetUpStep] = []
    public var amendments: [Amendment] = []

    public static let hostODS = "RT5"

    public static let themes = [
        "Building Community Resilience and Enabling Independence",
        "Data2Health",
        "Ethnicity & Health Inequalities",
        "Managing Multimorbidity",
        "Mental Health and Wellbeing",
        "Translating and Implementing Sustainable Service Improvement",
        "Leicester Centre for Mental Health Research",
    ]

    static let organisationList: [Organisation] = [
        Organisation(odsCode: "RT5", name: "Leicestershire Partnership NHS Trust", type: .nhsTrust, subtype: "mental-health"),
        Organisation(odsCode: "RWE", name: "University Hospitals of Leicester NHS Trust", type: .nhsTrust, subtype: "acute"),
        Organisation(odsCode: "RHA", name: "Nottinghamshire Healthcare NHS Foundation Trust", type: .nhsTrust, subtype: "mental-health"),
        Organisation(odsCode: "RXM", name: "Derbyshire Healthcare NHS Foundation Trust", type: .nhsTrust, subtype: "mental-health"),
        Organisation(odsCode: "RP1", name: "Northamptonshire Healthcare NHS Foundation Trust", type: .nhsTrust, subtype: "mental-health"),
        Organisation(odsCode: "RY5", name: "Lincolnshire Community Health Services NHS Trust", type: .nhsTrust, subtype: "community"),
        Organisation(odsCode: "ULEIC", name: "University of Leicester", type: .university),
        Organisation(odsCode: "DMU", name: "De Montfort University", type: .university),
        Organisation(odsCode: "LBORO", name: "Loughborough University", type: .university),
        Organisation(odsCode: "UNOTT", name: "University of Nottingham", type: .university),
        Organisation(odsCode: "NORTHRX", name: "Northfield Therapeutics Ltd", type: .commercial, subtype: "pharmaceutical"),
        Organisation(odsCode: "CALDER", name: "Calder Pharma UK Ltd", type: .commercial, subtype: "pharmaceutical"),
        Organisation(odsCode: "MINDTRK", name: "MindTrack Digital Health Ltd", type: .commercial, subtype: "medtech"),
        Organisation(odsCode: "ARDENCRO", name: "Arden Clinical Research Ltd", type: .commercial, subtype: "cro"),
        Organisation(odsCode: "NIHR", name: "National Institute for Health and Care Research", type: .funder),
        Organisation(odsCode: "MQCHAR", name: "Mental Health Research Charity", type: .funder, subtype: "charity"),
        Organisation(odsCode: "LCMHR", name: "Leicester Centre for Mental Health Research", type: .collaboration),
        Organisation(odsCode: "ARCEM", name: "NIHR ARC East Midlands", type: .collaboration),
        Organisation(odsCode: "C82001", name: "Westcotes Medical Practice", type: .gpPractice, subtype: "primary-care"),
        Organisation(odsCode: "C82002", name: "Charnwood Surgery", type: .gpPractice, subtype: "primary-care"),
        Organisation(odsCode: "C82003", name: "Hinckley Road Health Centre", type: .gpPractice, subtype: "primary-care"),
    ]

    static let names = ["CALM", "BRIDGE", "HOPE", "STEP", "PATH", "REACH", "LINK", "SAFE", "THRIVE", "ANCHOR", "BEACON", "COMPASS",
                        "ECHO", "FOCUS", "HARBOUR", "KITE", "LANTERN", "MOSAIC", "NEST", "ORBIT", "PRISM", "QUEST", "RIPPLE", "SPARK"]
    static let suffixes = ["", "-2", "-D", "-PSY", "-MH", "-C", "-ED", "-Y"]
    static let conditions = ["depression", "psychosis", "bipolar disorder", "dementia", "eating disorders", "anxiety", "self-harm",
                             "ADHD", "autism", "schizophrenia", "perinatal mental illness", "insomnia", "frailty", "multimorbidity"]
    static let interventions = ["a digital self-help programme", "peer support", "cognitive behavioural therapy", "a new oral treatment",
                                "collaborative care", "exercise", "a long-acting injectable", "family intervention", "a sleep intervention",
                                "community rehabilitation", "a smartphone monitoring app"]
    static let specialties = ["Mental Health", "Mental Health", "Mental Health", "Dementias and Neurodegeneration", "Children", "Primary Care", "Public Health"]
    static let investigators = ["Prof A. Patel", "Dr S. Khan", "Prof R. Morgan", "Dr E. Walsh", "Dr J. Okafor", "Prof L. Chen",
                                "Dr M. Singh", "Dr H. Brooks", "Prof D. Evans", "Dr K. Nowak", "Dr P. Mistry", "Dr C. Lewis"]
    static let delayReasons: [(String, DelayAttribution)] = [
        ("A – Permissions delayed/denied", .provider), ("D – Sponsor delays", .sponsor),
        ("E – Staff availability issues", .provider), ("G – No patients consented", .neither), ("H – Contracting delays", .both),
    ]

    /// Builds the portfolio as it would stand on `asOf`: about `studyCount` studies selected over the four
    /// financial years up to that day.
    public init(seed: UInt64 = 2026, asOf: Day, studyCount: Int = 80) {
        var random = SeededRandom(seed: seed)
        organisations = DemoPortfolio.organisationList
        let trusts = organisations.filter { $0.type == .nhsTrust && $0.odsCode != DemoPortfolio.hostODS }.map(\.odsCode)
        let practices = organisations.filter { $0.type == .gpPractice }.map(\.odsCode)
        let universities = organisations.filter { $0.type == .university }.map(\.odsCode)
        let companies = ["NORTHRX", "CALDER", "MINDTRK"]
        let firstDay = FinancialYear(startYear: FinancialYear(containing: asOf).startYear - 3).firstDay
        let span = firstDay.days(to: asOf)

        for index in 0..<studyCount {
            let cpmsID = 40_000 + index * 137 + random.int(0...99)
            let commercial = random.chance(0.3)
            let design: StudyDesign = commercial || random.chance(0.45) ? .interventional : (random.chance(0.9) ? .observational : .other)
            let name = DemoPortfolio.names[index % DemoPortfolio.names.count] + DemoPortfolio.suffixes[(index / DemoPortfolio.names.count) % DemoPortfolio.suffixes.count]
            let condition = random.pick(DemoPortfolio.conditions)
            let title = design == .interventional
                ? "A randomised controlled trial of \(random.pick(DemoPortfolio.interventions)) for people with \(condition)"
                : "An observational cohort study of care pathways for people with \(condition)"
            // Studies are spread over the four years, with the last tenth selected in the past two months
            // so that the portfolio always has studies in set-up.
            let recent = index >= studyCount - max(1, studyCount / 10)
            let selected = recent
                ? asOf.adding(days: -random.int(0...60))
                : firstDay.adding(days: Int(Double(span) * Double(index) / Double(studyCount)) + random.int(0...20))
            var study = Study(
                cpmsID: cpmsID, irasID: String(300_000 + cpmsID % 20_000 * 7), shortName: name, title: title,
                route: commercial ? .commercial : .nonCommercial, design: design,
                ctimp: design == .interventional ? commercial && random.chance(0.7) : false,
                phase: commercial && design == .interventional ? random.pick(["II", "III", "IV"]) : nil,
                managingSpecialty: random.pick(DemoPortfolio.specialties), chiefInvestigator: random.pick(DemoPortfolio.investigators),
                sampleSize: nil, sponsorODS: commercial ? random.pick(companies) : random.pick(universities)
            )
            var themes: [String] = []
            if !commercial {
                themes.append(DemoPortfolio.themes[random.int(0...5)])
                if study.managingSpecialty == "Mental Health" && random.chance(0.6) { themes.append(DemoPortfolio.themes[6]) }
            }
            study.themes = themes

            let hostRole: SiteRole = random.chance(0.15) ? .pic : (random.chance(0.1) ? .both : .recruiting)
            var studyTotal = 0
            var siteODSs = [DemoPortfolio.hostODS]
            for _ in 0..<random.int(1...3) {
                let other = random.pick(trusts)
                if !siteODSs.contains(other) { siteODSs.append(other) }
            }
            if hostRole == .recruiting && random.chance(0.3) { siteODSs.append(random.pick(practices)) }
            var studyOpen: Day?
            var studyClose: Day?
            var anyRecruited = false
            let withdrawnInSetup = random.chance(0.03)
            for (position, ods) in siteODSs.enumerated() {
                let isHost = position == 0
                let role: SiteRole = isHost ? hostRole : (practices.contains(ods) ? .pic : .recruiting)
                var site = Site(cpmsID: cpmsID, siteODS: ods, role: role)
                site.localPI = random.pick(DemoPortfolio.investigators)
                let siteSelected = selected.adding(days: isHost ? 0 : random.int(-20...40))
                site.dateSiteInvited = siteSelected.adding(days: -random.int(7...45))
                guard siteSelected <= asOf else { continue }
                site.dateSiteSelected = siteSelected
                site.regulatorySubmission = siteSelected.adding(days: -random.int(40...90))
                site.hraApproval = siteSelected.adding(days: -random.int(0...25))
                let fast = random.chance(0.65)
                // Recently selected studies are still waiting on the sponsor's paperwork.
                let sponsorConfirmed = siteSelected.adding(days: random.int(5...(fast ? 20 : 60)) + (recent ? 45 : 0))
                let confirmed = sponsorConfirmed.adding(days: random.int(3...(fast ? 15 : 50)))
                let open = confirmed.adding(days: random.int(0...(fast ? 10 : 30)))
                if sponsorConfirmed <= asOf { site.dateSiteConfirmedBySponsor = sponsorConfirmed }
                if confirmed <= asOf, !withdrawnInSetup { site.dateSiteConfirmed = confirmed }
                if withdrawnInSetup { site.nonConfirmationStatus = "Site declined to participate" }
                let target = role == .pic ? nil : random.int(1...12) * 10
                site.siteTarget = target
                let duration = random.int(12...24) * 30
                site.plannedRecruitmentStart = open
                site.plannedRecruitmentEnd = open.adding(days: duration)
                guard open <= asOf, !withdrawnInSetup else {
                    sites.append(site)
                    continue
                }
                site.dateSiteOpen = open
                studyOpen = min(studyOpen ?? open, open)
                let end = open.adding(days: duration + random.int(-30...30))
                if end <= asOf {
                    site.closedToRecruitment = end
                    studyClose = max(studyClose ?? end, end)
                }
                guard role.recruits, let target else {
                    sites.append(site)
                    continue
                }
                // Recruitment runs from the first participant to the close (or today) at a pace that
                // leaves some sites ahead of target and some well behind.
                let firstDelay = fast ? random.int(3...28) : random.int(35...130)
                let first = open.adding(days: firstDelay)
                let recruitUntil = min(end, asOf)
                guard first <= recruitUntil else {
                    sites.append(site)
                    continue
                }
                let pace = Double(target) / Double(duration) * [0.5, 0.8, 1.0, 1.2, 1.4][random.int(0...4)]
                let days = first.days(to: recruitUntil)
                let total = max(1, Int(Double(days) * pace))
                var recruitmentDays = (0..<total).map { _ in first.adding(days: random.int(0...max(0, days))) }.sorted()
                recruitmentDays[0] = first
                recruitmentDays.sort()
                site.firstParticipantRecruited = first
                if site.closedToRecruitment != nil { site.lastParticipantRecruited = recruitmentDays.last }
                if first.days(to: siteSelected.adding(days: 70)) < 0 {
                    let (reason, attribution) = random.pick(DemoPortfolio.delayReasons)
                    site.delayReason = reason
                    site.delayAttribution = attribution
                }
                anyRecruited = true
                studyTotal += target
                if isHost && random.chance(0.6) || !isHost && random.chance(0.3) {
                    for (number, day) in recruitmentDays.enumerated() {
                        let roll = random.int(1...100)
                        // The first participant really is recruited, so the site record's date agrees with the rows.
                        let status: ParticipantStatus = number == 0 || roll <= 88 ? .recruited : (roll <= 94 ? .withdrawn : .failedScreening)
                        let consent = day.adding(days: -random.int(0...10))
                        participants.append(Participant(
                            cpmsID: cpmsID, siteODS: ods, participantID: "\(name.prefix(4))-\(ods)-\(String(1_000 + number))",
                            status: status, consentDate: consent, recruitedDate: status == .failedScreening ? nil : day,
                            withdrawnDate: status == .withdrawn ? min(asOf, day.adding(days: random.int(10...120))) : nil,
                            identifiedByODS: isHost && siteODSs.count > 1 && practices.contains(siteODSs[siteODSs.count - 1]) && random.chance(0.4) ? siteODSs[siteODSs.count - 1] : nil
                        ))
                    }
                    // A few people consented recently and are still being screened.
                    if site.closedToRecruitment == nil {
                        for extra in 0..<random.int(0...2) {
                            participants.append(Participant(cpmsID: cpmsID, siteODS: ods, participantID: "\(name.prefix(4))-\(ods)-S\(extra + 1)",
                                                            status: .consented, consentDate: asOf.adding(days: -random.int(0...6))))
                        }
                    }
                } else {
                    var month = first.startOfMonth
                    while month <= recruitUntil {
                        let monthEnd = month.endOfMonth
                        let inMonth = recruitmentDays.filter { $0 >= month && $0 <= monthEnd }.count
                        if monthEnd <= asOf || inMonth > 0 {
                            counts.append(RecruitmentCount(cpmsID: cpmsID, siteODS: ods, periodStart: month, periodEnd: min(monthEnd, max(asOf, month)), count: inMonth))
                        }
                        month = monthEnd.adding(days: 1)
                    }
                }
                sites.append(site)
            }
            study.sampleSize = max(studyTotal, 20) * random.int(2...6)
            study.plannedOpen = selected.adding(days: 30)
            study.actualOpen = studyOpen
            study.plannedClose = study.plannedOpen?.adding(days: random.int(18...30) * 30)
            let allClosed = studyClose != nil && sites.filter { $0.cpmsID == cpmsID && $0.dateSiteOpen != nil }.allSatisfy { $0.closedToRecruitment != nil }
            if allClosed { study.actualClose = studyClose }
            study.status = {
                if withdrawnInSetup { return .withdrawnDuringSetup }
                if allClosed { return random.chance(0.5) ? .closedInFollowUp : .closedFollowUpComplete }
                if studyOpen != nil { return anyRecruited ? .openWithRecruitment : .openToRecruitment }
                return random.chance(0.5) ? .pendingPermission : .inSetup
            }()
            studies.append(study)
            if let sponsor = study.sponsorODS { partners.append(PartnerLink(cpmsID: cpmsID, odsCode: sponsor, role: .sponsor)) }
            if commercial && random.chance(0.4) { partners.append(PartnerLink(cpmsID: cpmsID, odsCode: "ARDENCRO", role: .cro)) }
            if !commercial { partners.append(PartnerLink(cpmsID: cpmsID, odsCode: random.chance(0.8) ? "NIHR" : "MQCHAR", role: .funder)) }
            if themes.contains(DemoPortfolio.themes[6]) { partners.append(PartnerLink(cpmsID: cpmsID, odsCode: "LCMHR", role: .collaborator)) }
            if !commercial && random.chance(0.3) { partners.append(PartnerLink(cpmsID: cpmsID, odsCode: "ARCEM", role: .collaborator)) }
        }
        var setUpRandom = SeededRandom(seed: seed &+ 14)
        setUpSteps = DemoSetUpWork.steps(sites: sites, studies: studies, asOf: asOf, random: &setUpRandom)
        amendments = DemoSetUpWork.amendments(sites: sites, asOf: asOf, random: &setUpRandom)
    }

    /// The portfolio as interchange CSV text, one file per kind (what `pace import` reads).
    public func csv(_ kind: InterchangeKind) -> String {
        let lines: [[String]]
        switch kind {
        case .organisations: lines = organisations.map(\.csvFields)
        case .studies: lines = studies.map(\.csvFields)
        case .sites: lines = sites.map(\.csvFields)
        case .participants: lines = participants.map(\.csvFields)
        case .recruitmentCounts: lines = counts.map(\.csvFields)
        case .setUpSteps: lines = setUpSteps.map(\.csvFields)
        case .amendments: lines = amendments.map(\.csvFields)
        }
        return ([kind.columnNames] + lines).map(CSVWriter.line).joined()
    }
}

extension DemoPortfolio {
    /// The host's open recruiting studies (CPMS IDs, ascending): the demo's team, monitor and GCP records use these.
    public func openHostStudies(on today: Day) -> [Int] {
        Array(Set(sites.filter {
            $0.siteODS == Self.hostODS && $0.role.recruits && $0.dateSiteOpen.map { $0 < today } == true && $0.closedToRecruitment == nil
        }.map(\.cpmsID))).sorted()
    }
}
