import PaceCore
import Plot

/// The main sections, for the navigation bar's "you are here".
enum Section: String, CaseIterable {
    case home, dashboard, attention, dataQuality, studies, organisations, people, reports, importData, rules, users, audit

    var label: String {
        switch self {
        case .home: "Portfolio"
        case .dashboard: "Dashboard"
        case .attention: "Needs attention"
        case .dataQuality: "Data quality"
        case .people: "People"
        case .studies: "Studies"
        case .organisations: "Organisations"
        case .reports: "Reports"
        case .importData: "Import"
        case .rules: "Metric rules"
        case .users: "Users"
        case .audit: "Audit trail"
        }
    }

    var path: String {
        switch self {
        case .home: Paths.home
        case .dashboard: Paths.dashboard
        case .attention: Paths.attention
        case .dataQuality: Paths.dataQuality
        case .people: Paths.people
        case .studies: Paths.studies
        case .organisations: Paths.organisations
        case .reports: Paths.sitesReport
        case .importData: Paths.importData
        case .rules: Paths.metricRules
        case .users: Paths.users
        case .audit: Paths.auditTrail
        }
    }

    /// What a person needs to see the section in the navigation (the routes check again).
    var permission: Permission {
        switch self {
        case .home, .studies: .signedIn
        case .dashboard, .attention, .dataQuality, .organisations, .people, .reports, .rules: .readPortfolio
        case .importData: .changePortfolio
        case .users: .administer
        case .audit: .readAuditTrail
        }
    }
}

/// The frame every page shares: skip link, header with navigation, main content, footer.
struct Layout {
    let title: String
    let section: Section?
    let hostName: String

    func render(_ content: Node<HTML.BodyContext>...) -> HTML {
        let viewer = PageContext.current
        let sections = Section.allCases.filter { viewer.allows($0.permission) }
        return HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", text: "\(title) – Pace"),
                .stylesheet(Paths.stylesheet)
            ),
            .body(
                .a(.class("skip-link"), .href("#main"), .safe("Skip to main content")),
                .header(
                    .class("site"),
                    .div(
                        .class("bar"),
                        .a(.class("brand"), .href(Paths.home), .safe("Pace")),
                        .if(viewer.account != nil, .nav(
                            .attribute(named: "aria-label", value: "Main"),
                            .ul(.forEach(sections) { item in
                                .li(.a(
                                    .href(item.path),
                                    .attribute(named: "aria-current", value: item == section ? "page" : nil),
                                    .safe(item.label)
                                ))
                            })
                        )),
                        .span(.class("host"), .safe(hostName)),
                        .unwrap(viewer.account) { account in
                            .div(
                                .class("person"),
                                .a(.href(Paths.password), .safe(account.name), .span(.class("role"), .safe(" (\(account.role.title))"))),
                                FormField.form(Paths.signOut, class: "sign-out", FormField.submit("Sign out"))
                            )
                        }
                    )
                ),
                .main(.id("main"), .attribute(named: "tabindex", value: "-1"), .group(content)),
                .footer(.class("site"), .safe("Pace – research delivery for NHS organisations. Participant IDs are study pseudonyms only."))
            )
        )
    }
}
