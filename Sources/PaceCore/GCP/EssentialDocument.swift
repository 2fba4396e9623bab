import Foundation

/// One version of an essential document in the investigator site file. A new version is a new row;
/// earlier versions stay, marked superseded.
public struct EssentialDocument: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable, DomainCode {
        case draft, approved, superseded
        public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    public var id: Int
    public var cpmsID: Int
    public var name: String
    public var version: String
    public var datedOn: Day
    public var status: Status
    public var approver: String?

    public init(id: Int = 0, cpmsID: Int, name: String, version: String, datedOn: Day, status: Status, approver: String? = nil) {
        self.id = id
        self.cpmsID = cpmsID
        self.name = name
        self.version = version
        self.datedOn = datedOn
        self.status = status
        self.approver = approver
    }

    public init?(reading row: inout RowReader, cpmsID: Int) {
        let name = row.text("name", required: true, maxLength: 200)
        let version = row.text("version", required: true, maxLength: 30)
        let dated = row.day("dated_on", required: true)
        let status = row.code("status", Status.self, required: true)
        let approver = row.text("approver", maxLength: 100)
        if status == .approved && approver == nil { row.problem("approver", "is required for an approved document") }
        if status == .superseded { row.problem("status", "is set by Pace when a newer version is added") }
        guard let name, let version, let dated, let status, row.problems.isEmpty else { return nil }
        self.init(cpmsID: cpmsID, name: name, version: version, datedOn: dated, status: status, approver: approver)
    }

    public var auditFields: [String] { [name, version, datedOn.iso, status.rawValue, approver ?? ""] }
    public static let auditColumns = ["name", "version", "dated_on", "status", "approver"]
}
