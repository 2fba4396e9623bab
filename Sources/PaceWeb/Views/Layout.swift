import Plot

/// The main sections, for the navigation bar's "you are here".
enum Section: String, CaseIterable {
    case home, dashboard, studies, organisations, reports, importData, rules

    var label: String {
        switch self {
        case .home: "Portfolio"
        case .dashboard: "Dashboard"
        case .studies: "Studies"
        case .organisations: "Organisations"
        case .reports: "Reports"
        case .importData: "Import"
        case .rules: "Metric rules"
        }
    }

    var path: String {
        switch self {
        case .home: Paths.home
        case .dashboard: Paths.dashboard
        case .studies: Paths.studies
        case .organisations: Paths.organisations
        case .reports: Paths.sitesReport
        case .importData: Paths.importData
        case .rules: Paths.metricRules
        }
    }
}

/// The frame every page shares: skip link, header with navigation, main content, footer.
struct Layout {
    let title: String
    let section: Section?
    let hostName: String

    func render(_ content: Node<HTML.BodyContext>...) -> HTML {
        HTML(
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
                        .nav(
                            .attribute(named: "aria-label", value: "Main"),
                            .ul(.forEach(Section.allCases) { item in
                                .li(.a(
                                    .href(item.path),
                                    .attribute(named: "aria-current", value: item == section ? "page" : nil),
                                    .safe(item.label)
                                ))
                            })
                        ),
                        .span(.class("host"), .safe(hostName))
                    )
                ),
                .main(.id("main"), .attribute(named: "tabindex", value: "-1"), .group(content)),
                .footer(.class("site"), .safe("Pace – research delivery for NHS organisations. Participant IDs are study pseudonyms only."))
            )
        )
    }
}
