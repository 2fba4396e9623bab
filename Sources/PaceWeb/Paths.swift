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
    static let script = "/assets/pace.js"
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
        return withQuery(signIn, [("next", next)])
    }

    /// A path on this site that a browser cannot resolve anywhere else: it starts with one `/`, and
    /// holds no backslash (browsers read `\` as `/`), no control character or space (browsers drop
    /// tab and line breaks, so `/\t/host` becomes `//host`, and CR LF would split a header), and no
    /// percent sequence that decodes to one of those.
    static func isLocal(_ path: String) -> Bool {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), path.utf8.count <= 2_000 else { return false }
        let refused: (UInt8) -> Bool = { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") || $0 >= 0x80 }
        guard !path.utf8.contains(where: refused) else { return false }
        guard let decoded = path.removingPercentEncoding else { return false }
        return !decoded.hasPrefix("//") && !decoded.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }
    }

    /// A path with a query: every key and value percent-encoded. The one way Pace writes a link or a
    /// redirect that carries data, so nothing typed into a query can leave the URL it is written in.
    /// (In a page it still goes through `escapedAttribute`, which turns `&` into `&amp;`.)
    static func withQuery(_ path: String, _ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { percentEncoded($0.0) + "=" + percentEncoded($0.1) }.joined(separator: "&")
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
    /// A request path fit for a log line: the API addresses a participant by pseudonym, which must
    /// never reach a log (domain.md §4), so the segment after `participants/` is masked.
    static func forLog(_ path: String) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for index in segments.indices.dropLast() where segments[index] == "participants" {
            segments[index + 1] = "…"
        }
        return segments.joined(separator: "/")
    }

    static let importConfirm = "/import/confirm"
    static let dataQuality = "/data-quality"

    static func participantCorrection(_ cpmsID: Int, _ odsCode: String, _ rowID: Int) -> String { "\(participants(cpmsID, odsCode))/\(rowID)/correct" }
    static func participantRemoval(_ cpmsID: Int, _ odsCode: String, _ rowID: Int) -> String { "\(participants(cpmsID, odsCode))/\(rowID)/remove" }
    static func countCorrection(_ cpmsID: Int, _ odsCode: String, _ start: Day) -> String { "\(counts(cpmsID, odsCode))/\(start.iso)/correct" }
    static func countRemoval(_ cpmsID: Int, _ odsCode: String, _ start: Day) -> String { "\(counts(cpmsID, odsCode))/\(start.iso)/remove" }
    static func siteRemoval(_ cpmsID: Int, _ odsCode: String) -> String { "\(site(cpmsID, odsCode))/remove" }
    static let setUp = "/set-up"
    static let setUpStepKinds = "/set-up/steps"
    static let setUpTimeReport = "/reports/set-up-time"
    static let amendmentsReport = "/reports/amendments"
    static func siteSetUp(_ cpmsID: Int, _ odsCode: String) -> String { "\(site(cpmsID, odsCode))/set-up" }
    static func setUpStep(_ cpmsID: Int, _ odsCode: String, _ step: String) -> String { "\(siteSetUp(cpmsID, odsCode))/\(percentEncoded(step))" }
    static func editSetUpStep(_ cpmsID: Int, _ odsCode: String, _ step: String) -> String { "\(setUpStep(cpmsID, odsCode, step))/edit" }
    static func removeSetUpStep(_ cpmsID: Int, _ odsCode: String, _ step: String) -> String { "\(setUpStep(cpmsID, odsCode, step))/remove" }
    static func siteAmendments(_ cpmsID: Int, _ odsCode: String) -> String { "\(site(cpmsID, odsCode))/amendments" }
    static func amendment(_ cpmsID: Int, _ odsCode: String, _ reference: String) -> String { "\(siteAmendments(cpmsID, odsCode))/\(percentEncoded(reference))" }
    static func editAmendment(_ cpmsID: Int, _ odsCode: String, _ reference: String) -> String { "\(amendment(cpmsID, odsCode, reference))/edit" }
    static func removeAmendment(_ cpmsID: Int, _ odsCode: String, _ reference: String) -> String { "\(amendment(cpmsID, odsCode, reference))/remove" }
    static func studyRemoval(_ cpmsID: Int) -> String { "\(study(cpmsID))/remove" }
    static func organisationRemoval(_ odsCode: String) -> String { "\(organisation(odsCode))/remove" }
}

/// Percent-encodes a query key or value (RFC 3986 unreserved characters pass through).
func percentEncoded(_ text: String) -> String {
    var result = ""
    for byte in text.utf8 {
        let isUnreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
        if isUnreserved {
            result.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }
    return result
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
