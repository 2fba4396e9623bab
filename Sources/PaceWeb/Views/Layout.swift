import PaceCore
import Plot

/// The main sections, for the navigation bar's "you are here".
enum Section: String, CaseIterable {
    case home, dashboard, attention, dataQuality, studies, setUp, organisations, people, reports, importData, rules, users, audit

    var label: String {
        switch self {
        case .home: "Portfolio"
        case .dashboard: "Dashboard"
        case .attention: "Needs attention"
        case .dataQuality: "Data quality"
        case .people: "People"
        case .studies: "Studies"
        case .setUp: "Set-up"
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
        case .setUp: Paths.setUp
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
        case .studies: .signedIn
        // A study team's or monitor's home is their list of studies, so they are offered that alone.
        case .home, .dashboard, .attention, .dataQuality, .setUp, .organisations, .people, .reports, .rules: .readPortfolio
        case .importData: .changePortfolio
        case .users: .administer
        case .audit: .readAuditTrail
        }
    }
}

/// One step of the breadcrumb trail above a page's heading.
struct Crumb: Sendable {
    let label: String
    let path: String

    init(_ label: String, _ path: String) {
        self.label = label
        self.path = path
    }
}

/// The frame every page shares: skip link, the NHS.UK-style header with the service name and a
/// navigation that becomes a menu on a phone, breadcrumbs, the banner after a save, the footer.
struct Layout {
    let title: String
    let section: Section?
    let hostName: String
    var breadcrumbs: [Crumb] = []

    func render(_ content: Node<HTML.BodyContext>...) -> HTML {
        let viewer = PageContext.current
        let sections = Section.allCases.filter { viewer.allows($0.permission) }
        return HTML(
            .lang(.english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .element(named: "title", text: "\(title) – Pace"),
                .stylesheet(Paths.stylesheet),
                .script(.src(Paths.script), .attribute(named: "defer", value: "defer"))
            ),
            .body(
                .a(.class("skip-link"), .href("#main"), .safe("Skip to main content")),
                .header(
                    .class("site"),
                    .div(
                        .class("bar"),
                        .a(.class("brand"), .href(Paths.home),
                           .attribute(named: "aria-label", value: escapedAttribute("Pace, research delivery at \(hostName): home")),
                           .span(.class("mark"), .safe("Pace")),
                           .span(.class("service"), .safe("Research delivery"), .span(.class("host"), .safe(hostName)))),
                        .unwrap(viewer.account) { account in
                            .div(
                                .class("person"),
                                .a(.href(Paths.password), .safe(account.name), .span(.class("role"), .safe(" (\(account.role.title))"))),
                                FormField.form(Paths.signOut, class: "sign-out", FormField.submit("Sign out"))
                            )
                        }
                    ),
                    .if(viewer.account != nil, .nav(
                        .class("main-nav"), .id("main-nav"),
                        .attribute(named: "aria-label", value: "Main"),
                        .div(
                            .class("nav-inner"),
                            // Shown by the script on a phone; without it the list is simply always open.
                            .button(.type(.button), .class("menu-toggle"), .attribute(named: "hidden", value: "hidden"),
                                    .attribute(named: "aria-expanded", value: "false"), .attribute(named: "aria-controls", value: "main-nav-list"),
                                    .safe("Menu")),
                            .ul(.id("main-nav-list"), .forEach(sections) { item in
                                .li(.a(
                                    .href(item.path),
                                    .attribute(named: "aria-current", value: item == section ? "page" : nil),
                                    .safe(item.label)
                                ))
                            })
                        )
                    ))
                ),
                .if(!breadcrumbs.isEmpty, .nav(
                    .class("breadcrumbs"), .attribute(named: "aria-label", value: "Breadcrumb"),
                    .ol(.forEach(breadcrumbs) { crumb in .li(.a(.href(escapedAttribute(crumb.path)), .safe(crumb.label))) }),
                    .unwrap(breadcrumbs.last) { parent in
                        .a(.class("back"), .href(escapedAttribute(parent.path)), .safe("Back to \(parent.label)"))
                    }
                )),
                .main(
                    .id("main"), .attribute(named: "tabindex", value: "-1"),
                    .unwrap(viewer.notice) { Banner.saved($0) },
                    .group(content)
                ),
                .footer(.class("site"), .div(.class("page"), .p(.safe("Pace – research delivery for NHS organisations. Participant IDs are study pseudonyms only."))))
            )
        )
    }
}

/// The NHS.UK notification banner that confirms a save on the page the person lands on.
enum Banner {
    static func saved(_ message: String) -> Node<HTML.BodyContext> {
        .div(
            .class("notice"), .attribute(named: "role", value: "status"),
            .attribute(named: "aria-labelledby", value: "notice-title"),
            .h2(.class("notice-title"), .id("notice-title"), .safe("Success")),
            .div(.class("notice-body"), .p(.safe(message)))
        )
    }

    /// A confirmation shown by the page itself (not carried over a redirect).
    static func status(_ message: String) -> Node<HTML.BodyContext> { saved(message) }
}
