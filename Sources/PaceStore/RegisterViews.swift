import PaceCore

/// What the register's list and detail queries return: PaceCore records plus the figures pages show.
public struct StudySummary: Sendable, Codable, Equatable {
    public let study: Study
    /// Recruited across every site of the study.
    public let recruited: Int
    /// How the host organisation takes part, if it is a site.
    public let hostRole: SiteRole?
}

public struct StudyPage: Sendable, Codable, Equatable {
    public let studies: [StudySummary]
    public let total: Int
    public let page: Int
    public let perPage: Int

    public var pageCount: Int { Swift.max(1, (total + perPage - 1) / perPage) }

    /// No studies: what a list shows while its filter cannot be read.
    public static let none = StudyPage(studies: [], total: 0, page: 1, perPage: 25)
}

public struct StudyFilter: Sendable, Equatable {
    public var phase: StudyStatus.Phase?
    public var status: StudyStatus?
    public var route: StudyRoute?
    public var design: StudyDesign?
    public var theme: String?
    /// Studies in which this organisation is a partner or a site.
    public var partnerODS: String?
    /// Studies in which the host organisation takes part in this role.
    public var hostRole: SiteRole?
    public var search: String?
    /// Only these studies (CPMS IDs), for people who see only their own; nil means every study.
    public var onlyStudies: Set<Int>?
    public var page = 1
    public var perPage = 25

    public static let perPageLimit = 200

    public init() {}
}

public struct Partner: Sendable, Codable, Equatable {
    public let organisation: Organisation
    public let role: PartnerRole
}

public struct SiteSummary: Sendable, Codable, Equatable {
    public let site: Site
    public let organisationName: String
    public let recruited: Int
}

public struct StudyDetail: Sendable, Codable, Equatable {
    public let study: Study
    public let partners: [Partner]
    public let sites: [SiteSummary]
}

public struct SiteDetail: Sendable, Codable, Equatable {
    public let site: Site
    public let organisation: Organisation
    public let studyShortName: String
    public let recruited: Int
    public let participants: [Participant]
    /// Each listed participant's row number, in the same order: pages link to a participant by it,
    /// because a pseudonym never goes into an address.
    public let participantRowIDs: [Int]
    public let participantCount: Int
    public let counts: [RecruitmentCount]
    /// Recruitment by month (first day of month → number recruited), oldest first.
    public let monthly: [MonthlyRecruitment]
}

public struct MonthlyRecruitment: Sendable, Codable, Equatable {
    public let month: Day
    public let recruited: Int
}

public struct OrganisationSummary: Sendable, Codable, Equatable {
    public let organisation: Organisation
    public let studies: Int
}

/// One study an organisation takes part in, and how.
public struct OrganisationStudy: Sendable, Codable, Equatable {
    public let cpmsID: Int
    public let shortName: String
    public let status: StudyStatus?
    public let roles: [String]
}

public struct AttentionItem: Sendable, Codable, Equatable {
    public let cpmsID: Int
    public let shortName: String
    public let siteODS: String
    public let reason: String
}

public struct PortfolioSummary: Sendable, Codable, Equatable {
    public let host: Organisation?
    public let inSetUp: Int
    public let open: Int
    public let closed: Int
    public let noStatus: Int
    public let financialYear: String
    public let recruitedThisYear: Int
    public let hostRecruitedThisYear: Int
    public let attention: [AttentionItem]
}
