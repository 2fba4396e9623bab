/// What a person may do in Pace. A person has one role; study-team members and monitors also have
/// the studies they are assigned to.
public enum Role: String, CaseIterable, Sendable, Codable, Hashable {
    /// Manages accounts and metric rules, and can read the whole portfolio.
    case admin
    /// The R&D office: reads and changes everything in the portfolio.
    case rdManager = "rd-manager"
    /// Reads and records recruitment for the studies they are assigned to, and nothing else.
    case studyTeam = "study-team"
    /// Reads the whole portfolio and changes nothing.
    case viewer
    /// A sponsor's monitor: reads one study until their access ends.
    case monitor

    public var title: String {
        switch self {
        case .admin: "Administrator"
        case .rdManager: "R&D manager"
        case .studyTeam: "Study team"
        case .viewer: "Viewer"
        case .monitor: "Sponsor's monitor"
        }
    }

    /// Roles whose reach is limited to assigned studies.
    public var isStudyScoped: Bool { self == .studyTeam || self == .monitor }
}
