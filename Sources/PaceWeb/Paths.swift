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

    static func study(_ cpmsID: Int) -> String { "/studies/\(cpmsID)" }
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
