/// A person who signs in to Pace, as the access rules see them.
public struct Account: Sendable, Hashable {
    public let id: Int
    public let email: String
    public let name: String
    public let role: Role
    /// The studies (CPMS IDs) a study-team member or monitor is assigned to; empty for other roles.
    public let studies: Set<Int>
    /// The last day a monitor may sign in (nil: no end).
    public let accessUntil: Day?
    public let isActive: Bool

    public init(id: Int, email: String, name: String, role: Role, studies: Set<Int> = [], accessUntil: Day? = nil, isActive: Bool = true) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.studies = studies
        self.accessUntil = accessUntil
        self.isActive = isActive
    }

    /// Whether the account may be used at all on `today`: active, and a monitor's access not yet ended.
    public func isCurrent(on today: Day) -> Bool {
        guard isActive else { return false }
        if let accessUntil, today > accessUntil { return false }
        return true
    }
}
