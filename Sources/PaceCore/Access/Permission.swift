/// What a page, form or API call needs. Every route names one; the access policy decides.
public enum Permission: String, Sendable, Hashable, CaseIterable {
    /// Anyone, signed in or not: the sign-in page, the stylesheet and the health check.
    case open
    /// Any current account: the home page, signing out, the person's own password and tokens.
    case signedIn
    /// The whole portfolio: every study, organisation, report and the dashboard.
    case readPortfolio
    /// One study and its sites (the route names the study).
    case readStudy
    /// Recording participants and counts at one study's sites.
    case recordRecruitment
    /// Recording safety events, when they were reported, and deviations for one study: research nurses
    /// in the study team do, at their own trust's sites.
    case recordStudyEvents
    /// Creating and changing studies, sites, organisations, imports and GCP records.
    case changePortfolio
    /// Accounts: who may sign in, with which role and studies.
    case administer
    /// The thresholds behind every measure: the R&D office owns its measures, so its managers change
    /// them (with a reason), not the administrators who manage accounts.
    case changeMetricRules
    /// Reading the audit trail: the R&D office and administrators.
    case readAuditTrail

    /// Whether the route names a study the decision depends on.
    public var needsStudy: Bool { self == .readStudy || self == .recordRecruitment || self == .recordStudyEvents }
}

/// The one place Pace decides who may do what.
public enum AccessPolicy {
    /// `atHostSite` says whether the site a recording is for belongs to the host trust (nil: not known,
    /// which a study team is refused: a research team records only at its own trust's sites).
    public static func allows(_ account: Account?, _ permission: Permission, study: Int? = nil, atHostSite: Bool? = nil, on today: Day) -> Bool {
        if permission == .open { return true }
        guard let account, account.isCurrent(on: today) else { return false }
        switch permission {
        case .open, .signedIn:
            return true
        case .readPortfolio:
            return [.admin, .rdManager, .viewer].contains(account.role)
        case .readStudy:
            if [.admin, .rdManager, .viewer].contains(account.role) { return true }
            return study.map(account.studies.contains) ?? false
        case .recordRecruitment:
            if account.role == .rdManager { return true }
            return account.role == .studyTeam && (study.map(account.studies.contains) ?? false) && atHostSite == true
        case .recordStudyEvents:
            if account.role == .rdManager { return true }
            return account.role == .studyTeam && (study.map(account.studies.contains) ?? false)
        case .changePortfolio:
            return account.role == .rdManager
        case .administer:
            return account.role == .admin
        case .changeMetricRules:
            return account.role == .rdManager
        case .readAuditTrail:
            return account.role == .admin || account.role == .rdManager
        }
    }

    /// The studies an account sees in lists: nil means every study.
    public static func visibleStudies(_ account: Account) -> Set<Int>? {
        account.role.isStudyScoped ? account.studies : nil
    }
}
