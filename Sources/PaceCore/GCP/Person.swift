import Foundation

/// A member of staff or a researcher (never a patient): who can be trained and delegated duties.
public struct Person: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var email: String?
    public var jobTitle: String?

    public init(id: Int = 0, name: String, email: String? = nil, jobTitle: String? = nil) {
        self.id = id
        self.name = name
        self.email = email
        self.jobTitle = jobTitle
    }

    public init?(reading row: inout RowReader) {
        let name = row.text("name", required: true, maxLength: 100)
        let email = row.text("email", maxLength: 254)
        if let email, !email.contains("@") { row.problem("email", "is not an email address") }
        let jobTitle = row.text("job_title", maxLength: 100)
        guard let name, row.problems.isEmpty else { return nil }
        self.init(name: name, email: email?.lowercased(), jobTitle: jobTitle)
    }

    public var auditFields: [String] { [name, email ?? "", jobTitle ?? ""] }
    public static let auditColumns = ["name", "email", "job_title"]
}
