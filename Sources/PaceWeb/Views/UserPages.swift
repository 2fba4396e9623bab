import PaceCore
import PaceStore
import Plot

/// Every account, for the administrator.
struct UserListPage {
    let accounts: [StoredAccount]

    func render(hostName: String) -> HTML {
        Layout(title: "Users", section: .users, hostName: hostName).render(
            .h1(.safe("Users")),
            .p(.class("lede"), .safe("Who may sign in, with which role. Every change here is written to the audit trail.")),
            Show.tableRegion("Accounts", .table(
                .thead(.tr(.th(.safe("Name")), .th(.safe("Email")), .th(.safe("Role")), .th(.safe("Studies")), .th(.safe("Access until")), .th(.safe("State")))),
                .tbody(.forEach(accounts) { stored in
                    let account = stored.account
                    return .tr(
                        .td(.a(.href(Paths.user(account.id)), .safe(account.name))), .td(.safe(account.email)), .td(.safe(account.role.title)),
                        .td(.safe(account.studies.sorted().map(String.init).joined(separator: ", "))),
                        .td(.safe(account.accessUntil.map(Show.longDate) ?? "")),
                        .td(.safe(!account.isActive ? "Closed" : (stored.lockedUntil.map { $0 > .now } ?? false) ? "Locked" : "Active"))
                    )
                })
            )),
            .div(.class("actions"), .a(.class("button"), .href(Paths.newUser), .safe("Add a user")))
        )
    }
}

/// Adding or changing an account.
struct UserFormPage {
    /// nil when adding a new account.
    let account: Account?
    let form: FormState

    static let labels = ["email": "Email", "name": "Name", "role": "Role", "studies": "Studies", "access_until": "Access until", "password": "First password", "is_active": "Account open"]

    func render(hostName: String) -> HTML {
        let title = account.map { "Change \($0.name)" } ?? "Add a user"
        return Layout(title: title, section: .users, hostName: hostName, breadcrumbs: [Crumb("Users", Paths.users)]).render(
            .h1(.safe(title)),
            FormField.errorSummary(form, labels: Self.labels),
            FormField.form(
                account.map { Paths.user($0.id) } ?? Paths.users,
                account == nil
                    ? .div(FormField.input("email", "Email", form: form, type: .email, required: true))
                    : .p(.safe("Email: \(account?.email ?? "")")),
                .div(FormField.input("name", "Name", form: form, required: true)),
                .div(FormField.select("role", "Role", form: form, options: Role.allCases.map { ($0.rawValue, $0.title) }, blank: nil, required: true)),
                .div(FormField.input("studies", "Studies", form: form, hint: "CPMS IDs, separated by commas: required for a study team (their studies) and a monitor (one study)")),
                .div(FormField.date("access_until", "Access until", form: form, hint: "A monitor's last day of access, e.g. the close-out visit")),
                account == nil
                    ? .div(FormField.input("password", "First password", form: FormState(problems: form.problems), type: .password, hint: "At least \(Passwords.minimumLength) characters; give it to the person separately and ask them to change it", required: true, extra: [.attribute(named: "autocomplete", value: "new-password")]))
                    : .div(FormField.select("is_active", "Account open", form: form, options: [("yes", "Open"), ("no", "Closed: cannot sign in")], blank: nil)),
                .div(.class("actions"), FormField.submit(account == nil ? "Add user" : "Save changes"), .a(.href(Paths.users), .safe("Cancel")))
            )
        )
    }
}
