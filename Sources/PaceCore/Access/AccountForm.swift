/// An account as typed into the form or the command line, before it is checked.
public struct AccountForm: Sendable {
    public var email: String
    public var name: String
    public var role: String
    /// CPMS IDs separated by commas or spaces.
    public var studies: String
    /// yyyy-mm-dd, or empty.
    public var accessUntil: String

    public init(email: String, name: String, role: String, studies: String = "", accessUntil: String = "") {
        self.email = email
        self.name = name
        self.role = role
        self.studies = studies
        self.accessUntil = accessUntil
    }

    /// The account's details once every field has been checked.
    public struct Checked: Sendable {
        public let email: String
        public let name: String
        public let role: Role
        public let studies: Set<Int>
        public let accessUntil: Day?

        /// The fields an audit event records (never the password).
        public func auditFields(old: Account?) -> [FieldChange] {
            FieldChange.between(
                old: old.map { [$0.email, $0.name, $0.role.rawValue, Self.list($0.studies), $0.accessUntil?.iso ?? ""] },
                new: [email, name, role.rawValue, Self.list(studies), accessUntil?.iso ?? ""],
                columns: ["email", "name", "role", "studies", "access_until"]
            )
        }

        static func list(_ studies: Set<Int>) -> String {
            studies.sorted().map(String.init).joined(separator: ";")
        }
    }

    /// Throws a `FieldProblem` naming the first field that is wrong.
    public func checked() throws -> Checked {
        let email = self.email.trimmingSpaces.lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !email.contains(where: { $0 == " " || $0 == "<" || $0 == ">" }), !RowReader.containsControlCharacter(email) else {
            throw FieldProblem(column: "email", message: "Enter an email address, e.g. jane.smith@nhs.net.")
        }
        let name = self.name.trimmingSpaces
        guard (1...100).contains(name.count), !RowReader.containsControlCharacter(name) else {
            throw FieldProblem(column: "name", message: "Enter the person's name (up to 100 characters).")
        }
        guard let role = Role(rawValue: self.role.trimmingSpaces) else {
            throw FieldProblem(column: "role", message: "Choose a role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var studies = Set<Int>()
        for text in self.studies.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }) {
            guard let id = Identifiers.cpmsID(String(text)) else {
                throw FieldProblem(column: "studies", message: "'\(text.prefix(20))' is not a CPMS ID; list the studies' CPMS IDs separated by commas.")
            }
            studies.insert(id)
        }
        var accessUntil: Day?
        if !self.accessUntil.trimmingSpaces.isEmpty {
            guard let day = Day(iso: self.accessUntil.trimmingSpaces) else {
                throw FieldProblem(column: "access_until", message: "Enter the last day of access as yyyy-mm-dd, e.g. 2027-03-31.")
            }
            accessUntil = day
        }
        switch role {
        case .monitor:
            guard studies.count == 1 else {
                throw FieldProblem(column: "studies", message: "A monitor sees exactly one study: enter its CPMS ID.")
            }
            guard accessUntil != nil else {
                throw FieldProblem(column: "access_until", message: "A monitor's access must end: enter the last day, e.g. the close-out visit.")
            }
        case .studyTeam:
            guard !studies.isEmpty else {
                throw FieldProblem(column: "studies", message: "A study-team member needs at least one study: enter the CPMS IDs.")
            }
        case .admin, .rdManager, .viewer:
            // These roles see the whole portfolio; a study list would suggest a limit that does not apply.
            studies = []
        }
        return Checked(email: email, name: name, role: role, studies: studies, accessUntil: accessUntil)
    }
}
