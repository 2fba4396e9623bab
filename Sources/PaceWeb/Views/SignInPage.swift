import Plot

/// The sign-in form: the one page (with /health) that anyone may see.
struct SignInPage {
    let form: FormState
    let next: String?
    let csrfToken: String
    let notice: String?

    func render(hostName: String) -> HTML {
        Layout(title: "Sign in", section: nil, hostName: hostName).render(
            .h1(.safe("Sign in to Pace")),
            .unwrap(notice) { .p(.class("notice"), .attribute(named: "role", value: "status"), .safe($0)) },
            FormField.errorSummary(form, labels: ["email": "Email", "password": "Password"]),
            FormField.form(
                Paths.signIn(next: next), csrfToken: csrfToken,
                .div(FormField.input("email", "Email", form: form, type: .email, required: true, extra: [.attribute(named: "autocomplete", value: "username")])),
                .div(FormField.input("password", "Password", form: FormState(problems: form.problems), type: .password, required: true, extra: [.attribute(named: "autocomplete", value: "current-password")])),
                .div(.class("actions"), FormField.submit("Sign in"))
            ),
            .p(.class("hint"), .safe("Accounts are set up by your R&D office. After \(5) wrong passwords in a row an account is locked for 15 minutes."))
        )
    }
}
