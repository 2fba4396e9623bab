import PaceCore

/// Every page's address, built in one place so links and routes cannot drift apart.
enum Paths {
    static let home = "/"
    static let studies = "/studies"
    static let newStudy = "/studies/new"
    static let organisations = "/organisations"
    static let newOrganisation = "/organisations/new"
    static let importData = "/import"
    static let stylesheet = "/assets/pace.css"
    static let health = "/health"
    static let api = "/api/v1"
    static let sitesReport = "/reports/sites"
    static let sitesReportAPI = "/api/v1/reports/sites"
    static let dashboard = "/dashboard"
    static let boardReport = "/reports/board"
    static let metricRules = "/admin/metric-rules"
    static func metricRule(_ key: String) -> String { "/admin/metric-rules/\(key)" }

    static let signIn = "/sign-in"
    static let signOut = "/sign-out"
    static let password = "/account/password"
    static let tokens = "/account/tokens"
    static func revokeToken(_ id: Int) -> String { "/account/tokens/\(id)/revoke" }
    static let users = "/admin/users"
    static let newUser = "/admin/users/new"
    static func user(_ id: Int) -> String { "/admin/users/\(id)" }
    static let auditTrail = "/admin/audit"
    static let auditAPI = "/api/v1/audit-events"

    /// The sign-in page, returning afterwards to a page on this site only (never another host).
    static func signIn(next: String?) -> String {
        guard let next, isLocal(next), next != signIn else { return signIn }
        return signIn + "?next=" + percentEncoded(next)
    }

    static func isLocal(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.hasPrefix("/\\")
    }

    static func study(_ cpmsID: Int) -> String { "/studies/\(cpmsID)" }
    static func studyRecords(_ cpmsID: Int) -> String { "/studies/\(cpmsID)/records" }
    static func studyRecords(_ cpmsID: Int, _ kind: GCPRecordKind) -> String { "/studies/\(cpmsID)/records/\(kind.rawValue)" }
    static let people = "/people"
    static func person(_ id: Int) -> String { "/people/\(id)" }
    static func personTraining(_ id: Int) -> String { "/people/\(id)/training" }
    static let duties = "/people/duties"
    static let attention = "/attention"
    static func editStudy(_ cpmsID: Int) -> String { "/studies/\(cpmsID)/edit" }
    static func studyPartners(_ cpmsID: Int) -> String { "/studies/\(cpmsID)/partners" }
    static func newSite(_ cpmsID: Int) -> String { "/studies/\(cpmsID)/sites/new" }
    static func sites(_ cpmsID: Int) -> String { "/studies/\(cpmsID)/sites" }
    static func site(_ cpmsID: Int, _ odsCode: String) -> String { "/studies/\(cpmsID)/sites/\(odsCode)" }
    static func editSite(_ cpmsID: Int, _ odsCode: String) -> String { "/studies/\(cpmsID)/sites/\(odsCode)/edit" }
    static func participants(_ cpmsID: Int, _ odsCode: String) -> String { "/studies/\(cpmsID)/sites/\(odsCode)/participants" }
    static func counts(_ cpmsID: Int, _ odsCode: String) -> String { "/studies/\(cpmsID)/sites/\(odsCode)/counts" }
    static func organisation(_ odsCode: String) -> String { "/organisations/\(odsCode)" }
}
