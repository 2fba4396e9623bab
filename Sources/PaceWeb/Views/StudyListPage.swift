import PaceCore
import PaceStore
import Plot

/// The study list with its filters; filters travel in the query string so a filtered list can be bookmarked.
struct StudyListPage {
    let page: StudyPage
    let query: [String: String]
    let themes: [String]
    let organisations: [Organisation]
    let hostODS: String
    /// A filter that could not be read: shown beside it, with no list until it is corrected.
    var problem: FieldProblem? = nil

    static let labels = ["q": "Search", "phase": "Stage", "status": "Status", "route": "Route", "design": "Design", "theme": "Theme",
                         "partner": "Partner", "role": "Our role", "page": "Page", "per_page": "Studies per page"]

    static let moreFilters = ["phase", "status", "route", "design", "theme", "partner", "role"]

    func render(hostName: String) -> HTML {
        let form = FormState(values: query, problems: problem.map { [$0] } ?? [])
        let phaseOptions = StudyStatus.Phase.allCases.map { (value: $0.rawValue, label: $0.rawValue.capitalized) }
        return Layout(title: problem == nil ? "Studies" : "Error: Studies", section: .studies, hostName: hostName).render(
            FormField.errorSummary(form, labels: Self.labels),
            .h1(.safe("Studies")),
            FormField.form(
                Paths.studies, method: "get", class: "filters", label: "Filter studies",
                .div(FormField.input("q", "Search", form: form, type: .search, hint: "Name, title, CPMS or IRAS ID")),
                // The other filters fold away on a phone, so the studies come first; the page's script
                // opens them on a wider screen, and they are open whenever one is in use.
                .element(named: "details", nodes: [
                    .class("more-filters"),
                    .attribute(named: "open", value: Self.moreFilters.contains { !(query[$0] ?? "").isEmpty } ? "open" : nil),
                    .element(named: "summary", nodes: [.safe("More filters")]),
                    .div(.class("filter-grid"),
                .div(FormField.select("phase", "Stage", form: form, options: phaseOptions, blank: "Any")),
                .div(FormField.select("status", "Status", form: form, options: StudyStatus.allCases.map { ($0.rawValue, $0.label) }, blank: "Any")),
                .div(FormField.select("route", "Route", form: form, options: FormField.codeOptions(StudyRoute.self), blank: "Any")),
                .div(FormField.select("design", "Design", form: form, options: FormField.codeOptions(StudyDesign.self), blank: "Any")),
                .div(FormField.select("theme", "Theme", form: form, options: themes.map { ($0, $0) }, blank: "Any")),
                .div(FormField.select("partner", "Partner", form: form, options: organisations.map { ($0.odsCode, $0.name) }, blank: "Any")),
                .div(FormField.select("role", "Our role", form: form, options: FormField.codeOptions(SiteRole.self), blank: "Any"))),
                ]),
                .div(FormField.submit("Filter"))
            ),
            .p(.attribute(named: "aria-live", value: "polite"), .safe(problem == nil ? "\(page.total) studies found" : "Correct the filter above to see the studies.")),
            problem != nil ? .empty : page.studies.isEmpty ? .p(.safe("No study matches these filters.")) : Show.tableRegion("Studies", .table(
                .thead(.tr(
                    .th(.safe("Study")), .th(.safe("CPMS ID")), .th(.safe("Status")), .th(.safe("Route")),
                    .th(.safe("Design")), .th(.safe("Our role")), .th(.class("number"), .safe("Recruited")), .th(.class("number"), .safe("Sample size"))
                )),
                .tbody(.forEach(page.studies) { summary in
                    let study = summary.study
                    return .tr(
                        .td(.a(.href(Paths.study(study.cpmsID)), .safe(study.shortName)),
                            .unwrap(study.title) { .div(.class("muted"), .safe($0)) }),
                        .td(.safe(String(study.cpmsID))),
                        .td(Show.statusTag(study.status)),
                        .td(.safe(study.route.label)),
                        .td(.safe(Show.text(study.design?.label))),
                        .td(.safe(Show.text(summary.hostRole?.label))),
                        .td(.class("number"), .safe(String(summary.recruited))),
                        .td(.class("number"), .safe(Show.number(study.sampleSize)))
                    )
                })
            )),
            pager,
            .if(PageContext.current.allows(.changePortfolio), .div(.class("actions"), .a(.class("button"), .href(Paths.newStudy), .safe("Add a study"))))
        )
    }

    private var pager: Node<HTML.BodyContext> {
        guard page.pageCount > 1 else { return .empty }
        func link(_ number: Int) -> String {
            var items = query.filter { $0.key != "page" && !$0.value.isEmpty }.map { ($0.key, $0.value) }
            items.append(("page", String(number)))
            return Paths.withQuery(Paths.studies, items.sorted { $0.0 < $1.0 })
        }
        return .nav(
            .class("pager"), .attribute(named: "aria-label", value: "Pages"),
            .if(page.page > 1, .a(.href(escapedAttribute(link(page.page - 1))), .attribute(named: "rel", value: "prev"), .safe("← Previous"))),
            .span(.safe("Page \(page.page) of \(page.pageCount)")),
            .if(page.page < page.pageCount, .a(.href(escapedAttribute(link(page.page + 1))), .attribute(named: "rel", value: "next"), .safe("Next →")))
        )
    }
}
