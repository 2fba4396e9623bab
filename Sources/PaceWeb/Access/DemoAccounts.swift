import FluentKit
import PaceCore
import PaceStore

/// One account for each role on the demo portfolio, so a new user can see what each role sees.
public enum DemoAccounts {
    public struct Created: Sendable {
        public let email: String
        public let role: Role
        public let note: String
    }

    /// Creates the accounts when there are none yet; answers what it created.
    public static func create(on database: any Database, portfolio: DemoPortfolio, password: String, cost: Int = 12, by context: AuditContext) async throws -> [Created] {
        let accounts = Accounts(database: database)
        guard try await accounts.isEmpty() else { return [] }
        // The same open studies that carry the demo's GCP records, so each role has something to see.
        let teamStudies = Array(portfolio.openHostStudies(on: Day.today()).prefix(2))
        let monitored = teamStudies.first ?? portfolio.studies.first?.cpmsID ?? 1
        let until = Day.today().adding(days: 90)
        let people: [(AccountForm, String)] = [
            (AccountForm(email: "admin@pace.example", name: "Alex Admin", role: Role.admin.rawValue), "user accounts"),
            (AccountForm(email: "manager@pace.example", name: "Morgan Manager", role: Role.rdManager.rawValue), "the whole portfolio"),
            (AccountForm(email: "team@pace.example", name: "Taylor Team", role: Role.studyTeam.rawValue, studies: teamStudies.map(String.init).joined(separator: ",")), "studies \(teamStudies.map(String.init).joined(separator: " and "))"),
            (AccountForm(email: "viewer@pace.example", name: "Vic Viewer", role: Role.viewer.rawValue), "reads everything"),
            (AccountForm(email: "monitor@pace.example", name: "Mo Monitor", role: Role.monitor.rawValue, studies: String(monitored), accessUntil: until.iso), "study \(monitored) until \(until.iso)"),
        ]
        let hash = try Passwords.hash(password, cost: cost)
        var created: [Created] = []
        for (form, note) in people {
            try await accounts.create(form, passwordHash: hash, by: context)
            created.append(Created(email: form.email, role: Role(rawValue: form.role) ?? .viewer, note: note))
        }
        return created
    }
}
