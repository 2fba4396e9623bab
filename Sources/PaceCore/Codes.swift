/// A closed vocabulary whose values travel as short codes in CSV files, forms and the API.
public protocol DomainCode: RawRepresentable<String>, CaseIterable, Sendable, Hashable, Codable {
    /// What a person reads on a page.
    var label: String { get }
}

extension DomainCode {
    public static var codeList: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}

public enum OrganisationType: String, DomainCode {
    case nhsTrust = "nhs-trust"
    case university
    case commercial
    case gpPractice = "gp-practice"
    case funder
    case collaboration
    case other

    public var label: String {
        switch self {
        case .nhsTrust: "NHS trust"
        case .university: "University"
        case .commercial: "Commercial"
        case .gpPractice: "GP practice"
        case .funder: "Funder"
        case .collaboration: "Collaboration"
        case .other: "Other"
        }
    }
}

public enum StudyRoute: String, DomainCode {
    case commercial
    case nonCommercial = "non-commercial"

    public var label: String {
        switch self {
        case .commercial: "Commercial"
        case .nonCommercial: "Non-commercial"
        }
    }
}

public enum StudyDesign: String, DomainCode {
    case interventional
    case observational
    case other

    public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// How an organisation takes part in a study as a site.
public enum SiteRole: String, DomainCode {
    case recruiting
    case pic
    case both

    public var label: String {
        switch self {
        case .recruiting: "Recruiting site"
        case .pic: "Participant Identification Centre"
        case .both: "Recruiting site and PIC"
        }
    }

    public var recruits: Bool { self != .pic }
}

/// The part an organisation plays in a study other than as a site (national portfolio vocabulary).
public enum PartnerRole: String, DomainCode {
    case sponsor
    case cro
    case ctu
    case funder
    case collaborator

    public var label: String {
        switch self {
        case .sponsor: "Sponsor"
        case .cro: "Contract research organisation"
        case .ctu: "Clinical trials unit"
        case .funder: "Funder"
        case .collaborator: "Collaborator / co-applicant"
        }
    }
}

public enum ParticipantStatus: String, DomainCode {
    case consented
    case recruited
    case failedScreening = "failed-screening"
    case withdrawn

    public var label: String {
        switch self {
        case .consented: "Consented"
        case .recruited: "Recruited"
        case .failedScreening: "Failed screening"
        case .withdrawn: "Withdrawn"
        }
    }

    /// Withdrawn participants still count as recruited on their recruitment date (domain.md §4).
    public var countsAsRecruited: Bool { self == .recruited || self == .withdrawn }
}

public enum DelayAttribution: String, DomainCode {
    case provider
    case sponsor
    case both
    case neither

    public var label: String {
        switch self {
        case .provider: "NHS provider"
        case .sponsor: "Sponsor"
        case .both: "Both"
        case .neither: "Neither"
        }
    }
}

/// The national study status values (CPMS).
public enum StudyStatus: String, DomainCode {
    case preSetup = "Pre-setup"
    case inSetup = "In Setup"
    case pendingPermission = "In Setup – Pending NHS Permission"
    case approvalReceived = "In Setup – Approval Received"
    case openToRecruitment = "Open to Recruitment"
    case openWithRecruitment = "Open, With Recruitment"
    case closedInFollowUp = "Closed to Recruitment – In Follow Up"
    case closedNoFollowUp = "Closed to Recruitment – No Follow Up"
    case closedFollowUpComplete = "Closed – Follow Up Complete"
    case suspended = "Suspended"
    case withdrawnDuringSetup = "Withdrawn During Setup"

    public var label: String { rawValue }

    /// Accepts the national wording with a hyphen or an en dash and in any letter case.
    public init?(lenient text: String) {
        func normalised(_ value: String) -> String {
            value.replacingAll("–", with: "-").lowercased()
        }
        let wanted = normalised(text)
        guard let match = StudyStatus.allCases.first(where: { normalised($0.rawValue) == wanted }) else { return nil }
        self = match
    }

    public enum Phase: String, Sendable, CaseIterable {
        case setUp = "set-up"
        case open
        case closed
    }

    /// The portfolio's three headline groups.
    public var phase: Phase {
        switch self {
        case .preSetup, .inSetup, .pendingPermission, .approvalReceived: .setUp
        case .openToRecruitment, .openWithRecruitment, .suspended: .open
        case .closedInFollowUp, .closedNoFollowUp, .closedFollowUpComplete, .withdrawnDuringSetup: .closed
        }
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
