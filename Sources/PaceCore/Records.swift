/// A partner or host organisation, keyed by its ODS code (or another stable code for non-NHS bodies).
public struct Organisation: Sendable, Hashable, Codable {
    public var odsCode: String
    public var name: String
    public var type: OrganisationType
    /// Free text used to compare like with like in league tables, e.g. `mental-health`.
    public var subtype: String?

    public init(odsCode: String, name: String, type: OrganisationType, subtype: String? = nil) {
        self.odsCode = odsCode
        self.name = name
        self.type = type
        self.subtype = subtype
    }
}

/// The national study record, keyed by CPMS ID.
public struct Study: Sendable, Hashable, Codable {
    public var cpmsID: Int
    public var irasID: String?
    public var shortName: String
    public var title: String?
    public var route: StudyRoute
    public var design: StudyDesign?
    public var ctimp: Bool?
    public var phase: String?
    public var managingSpecialty: String?
    public var chiefInvestigator: String?
    public var sampleSize: Int?
    public var plannedOpen: Day?
    public var actualOpen: Day?
    public var plannedClose: Day?
    public var actualClose: Day?
    public var status: StudyStatus?
    public var sponsorODS: String?
    public var themes: [String]

    public init(
        cpmsID: Int, irasID: String? = nil, shortName: String, title: String? = nil, route: StudyRoute,
        design: StudyDesign? = nil, ctimp: Bool? = nil, phase: String? = nil, managingSpecialty: String? = nil,
        chiefInvestigator: String? = nil, sampleSize: Int? = nil, plannedOpen: Day? = nil, actualOpen: Day? = nil,
        plannedClose: Day? = nil, actualClose: Day? = nil, status: StudyStatus? = nil, sponsorODS: String? = nil,
        themes: [String] = []
    ) {
        self.cpmsID = cpmsID
        self.irasID = irasID
        self.shortName = shortName
        self.title = title
        self.route = route
        self.design = design
        self.ctimp = ctimp
        self.phase = phase
        self.managingSpecialty = managingSpecialty
        self.chiefInvestigator = chiefInvestigator
        self.sampleSize = sampleSize
        self.plannedOpen = plannedOpen
        self.actualOpen = actualOpen
        self.plannedClose = plannedClose
        self.actualClose = actualClose
        self.status = status
        self.sponsorODS = sponsorODS
        self.themes = themes
    }
}

/// One organisation's participation in one study, with its set-up milestones (domain.md §3).
public struct Site: Sendable, Hashable, Codable {
    public var cpmsID: Int
    public var siteODS: String
    public var role: SiteRole
    public var localPI: String?
    public var siteTarget: Int?
    public var plannedRecruitmentStart: Day?
    public var plannedRecruitmentEnd: Day?
    public var dateSiteInvited: Day?
    public var dateSiteSelected: Day?
    public var regulatorySubmission: Day?
    public var hraApproval: Day?
    public var dateSiteConfirmedBySponsor: Day?
    public var dateSiteConfirmed: Day?
    public var dateSiteOpen: Day?
    public var firstParticipantRecruited: Day?
    public var lastParticipantRecruited: Day?
    public var closedToRecruitment: Day?
    public var nonConfirmationStatus: String?
    public var delayReason: String?
    public var delayAttribution: DelayAttribution?
    public var sponsorIntention: String?

    public init(cpmsID: Int, siteODS: String, role: SiteRole) {
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.role = role
    }

    /// The milestones in the order a site passes them, for timelines.
    public var milestones: [(milestone: Milestone, day: Day?)] {
        Milestone.allCases.map { ($0, self[milestone: $0]) }
    }

    public subscript(milestone milestone: Milestone) -> Day? {
        switch milestone {
        case .invited: dateSiteInvited
        case .selected: dateSiteSelected
        case .regulatorySubmission: regulatorySubmission
        case .hraApproval: hraApproval
        case .confirmedBySponsor: dateSiteConfirmedBySponsor
        case .confirmed: dateSiteConfirmed
        case .open: dateSiteOpen
        case .firstParticipant: firstParticipantRecruited
        case .lastParticipant: lastParticipantRecruited
        case .closedToRecruitment: closedToRecruitment
        }
    }
}

public enum Milestone: String, Sendable, CaseIterable {
    case invited = "date_site_invited"
    case selected = "date_site_selected"
    case regulatorySubmission = "regulatory_submission"
    case hraApproval = "hra_approval"
    case confirmedBySponsor = "date_site_confirmed_by_sponsor"
    case confirmed = "date_site_confirmed"
    case open = "date_site_open"
    case firstParticipant = "first_participant_recruited"
    case lastParticipant = "last_participant_recruited"
    case closedToRecruitment = "closed_to_recruitment"

    public var label: String {
        switch self {
        case .invited: "Site invited"
        case .selected: "Site selected"
        case .regulatorySubmission: "Regulatory submission"
        case .hraApproval: "HRA approval"
        case .confirmedBySponsor: "Confirmed by sponsor"
        case .confirmed: "Capacity and capability confirmed"
        case .open: "Site open"
        case .firstParticipant: "First participant recruited"
        case .lastParticipant: "Last participant recruited"
        case .closedToRecruitment: "Closed to recruitment"
        }
    }

    /// The milestone's date as a form asks for it.
    public var dateLabel: String {
        switch self {
        case .invited: "Date the site was invited"
        case .selected: "Date the site was selected"
        case .regulatorySubmission: "Date of the regulatory submission"
        case .hraApproval: "Date of HRA approval"
        case .confirmedBySponsor: "Date the sponsor confirmed the site"
        case .confirmed: "Date capacity and capability were confirmed"
        case .open: "Date the site opened"
        case .firstParticipant: "Date the first participant was recruited"
        case .lastParticipant: "Date the last participant was recruited"
        case .closedToRecruitment: "Date the site closed to recruitment"
        }
    }
}

/// A pseudonymised participant at the site that consented them.
public struct Participant: Sendable, Hashable, Codable {
    public var cpmsID: Int
    public var siteODS: String
    public var participantID: String
    public var status: ParticipantStatus
    public var consentDate: Day?
    public var recruitedDate: Day?
    public var withdrawnDate: Day?
    public var identifiedByODS: String?

    public init(
        cpmsID: Int, siteODS: String, participantID: String, status: ParticipantStatus, consentDate: Day? = nil,
        recruitedDate: Day? = nil, withdrawnDate: Day? = nil, identifiedByODS: String? = nil
    ) {
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.participantID = participantID
        self.status = status
        self.consentDate = consentDate
        self.recruitedDate = recruitedDate
        self.withdrawnDate = withdrawnDate
        self.identifiedByODS = identifiedByODS
    }

    /// The day this participant counts towards the target, or nil if they never count.
    public var recruitmentDay: Day? {
        status.countsAsRecruited ? (recruitedDate ?? consentDate) : nil
    }
}

/// Aggregate recruitment for a period, for studies that do not keep participant-level records.
public struct RecruitmentCount: Sendable, Hashable, Codable {
    public var cpmsID: Int
    public var siteODS: String
    public var periodStart: Day
    public var periodEnd: Day
    public var count: Int
    /// A person has checked a count above the plausible limit and says it is right.
    public var confirmed: Bool

    public init(cpmsID: Int, siteODS: String, periodStart: Day, periodEnd: Day, count: Int, confirmed: Bool = false) {
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.count = count
        self.confirmed = confirmed
    }
}
