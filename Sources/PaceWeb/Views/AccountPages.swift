import PaceCore
import PaceStore
import Plot

/// A person's own password.
struct PasswordPage {
    let account: Account
    let form: FormState
    let changed: Bool

    func render(hostName: String) -> HTML {
        Layout(title: "Your account", section: nil, hostName: hostName).render(
            .h1(.safe("Your account")),
            .p(.class("lede"), .safe("\(account.name), \(account.email): \(account.role.title).")),
            .p(.a(.href(Paths.tokens), .safe("API tokens for scripts and other systems"))),
            .if(changed, .p(.class("notice"), .attribute(named: "role", value: "status"), .safe("Your password has been changed; your other sessions have ended."))),
            .h2(.safe("Change your password")),
            FormField.errorSummary(form, labels: ["current_password": "Current password", "new_password": "New password", "confirm_password": "New password again"]),
            FormField.form(
                Paths.password,
                .div(FormField.input("current_password", "Current password", form: FormState(problems: form.problems), type: .password, required: true, extra: [.attribute(named: "autocomplete", value: "current-password")])),
                .div(FormField.input("new_password", "New password", form: FormState(problems: form.problems), type: .password, hint: "At least \(Passwords.minimumLength) characters", required: true, extra: [.attribute(named: "autocomplete", value: "new-password")])),
                .div(FormField.input("confirm_password", "New password again", form: FormState(problems: form.problems), type: .password, required: true, extra: [.attribute(named: "autocomplete", value: "new-password")])),
                .div(.class("actions"), FormField.submit("Change password"))
            )
        )
    }
}

/// A person's API tokens: created here, shown once, revocable.
struct TokensPage {
    let tokens: [APITokenSummary]
    let newToken: String?
    let form: FormState

    func render(hostName: String) -> HTML {
        Layout(title: "API tokens", section: nil, hostName: hostName, breadcrumbs: [Crumb("Your account", Paths.password)]).render(
            .h1(.safe("API tokens")),
            .p(.class("lede"), .safe("A token lets a script call the Pace API as you, with your role. Send it as 'Authorization: Bearer TOKEN'. Pace keeps only a hash of it.")),
            .unwrap(newToken) { token in
                .div(.class("notice"), .attribute(named: "role", value: "status"),
                     .p(.safe("Your new token is below. Copy it now: it will not be shown again.")),
                     .p(.code(.class("token"), .safe(token))))
            },
            tokens.isEmpty ? .p(.safe("You have no API tokens.")) : Show.tableRegion("API tokens", .table(
                .thead(.tr(.th(.safe("Name")), .th(.safe("Created (UTC)")), .th(.safe("Last used (UTC)")), .th(.safe("State")))),
                .tbody(.forEach(tokens) { token in
                    .tr(
                        .td(.safe(token.name)), .td(.safe(token.createdAt)), .td(.safe(token.lastUsedAt ?? "never")),
                        .td(token.revokedAt.map { .safe("Revoked \($0)") } ?? FormField.form(Paths.revokeToken(token.id), class: "inline", label: "Revoke \(token.name)", FormField.submit("Revoke")))
                    )
                })
            )),
            .h2(.safe("Create a token")),
            FormField.errorSummary(form, labels: ["name": "Name"]),
            FormField.form(
                Paths.tokens,
                .div(FormField.input("name", "Name", form: form, hint: "What will use it, e.g. monthly CPMS upload script", required: true)),
                .div(.class("actions"), FormField.submit("Create token"))
            )
        )
    }
}
