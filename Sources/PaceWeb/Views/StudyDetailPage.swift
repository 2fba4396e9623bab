import PaceCore
import PaceStore
import Plot

/// One study: its identifiers, partners, themes and every site with recruitment against target.
struct StudyDetailPage {
    let detail: StudyDetail
    let organisations: [Organisation]
    let partnerForm: FormState
    var performance: PerformanceSection? = nil
    /// The study's audit events, newest first: who changed which record and milestone, when.
    var history: [AuditEvent] = []
    var rules = MetricRules.national
    var today = Day.today()
    /// Sites open to recruitment today, and those still in play (for the summary).
    var openSites: Set<String> = []
    var activeSites: Set<String> = []

    func render(hostName: String) -> HTML {
        let study = detail.study
        return Layout(title: study.shortName, section: .studies, hostName: hostName, breadcrumbs: [Crumb("Studies", Paths.studies)]).render(
            .h1(.safe(study.shortName)),
            .unwrap(study.title) { .p(.class("lede"), .safe($0)) },
            summaryCard,
            .div(
                .class("grid-2"),
                .div(.class("card"), .h2(.safe("Study record")), .dl(
                    .class("facts"),
                    Show.fact("CPMS ID", String(study.cpmsID)),
                    Show.fact("IRAS ID", Show.text(study.irasID)),
                    Show.fact("Status", Show.text(study.status?.label)),
                    Show.fact("Route", study.route.label),
                    Show.fact("Design", Show.text(study.design?.label)),
                    Show.fact("CTIMP", study.ctimp.map { $0 ? "Yes" : "No" } ?? "—"),
                    Show.fact("Phase", Show.text(study.phase)),
                    Show.fact("Managing specialty", Show.text(study.managingSpecialty)),
                    Show.fact("Chief investigator", Show.text(study.chiefInvestigator)),
                    Show.fact("UK sample size", Show.number(study.sampleSize)),
                    Show.fact("Planned opening", Show.day(study.plannedOpen)),
                    Show.fact("Actual opening", Show.day(study.actualOpen)),
                    Show.fact("Planned closure", Show.day(study.plannedClose)),
                    Show.fact("Actual closure", Show.day(study.actualClose))
                )),
                .div(
                    .class("card"),
                    .h2(.safe("Partners")),
                    detail.partners.isEmpty ? .p(.safe("No partners recorded.")) : .ul(.forEach(detail.partners) { partner in
                        // Only the portfolio's readers may open an organisation's page; a monitor reads the name.
                        .li(PageContext.current.allows(.readPortfolio) ? .a(.href(Paths.organisation(partner.organisation.odsCode)), .safe(partner.organisation.name)) : .safe(partner.organisation.name),
                            .safe(" – \(partner.role.label)"))
                    }),
                    .h2(.safe("Themes")),
                    study.themes.isEmpty ? .p(.safe("No themes recorded.")) : .p(.forEach(study.themes) { theme in
                        .a(.class("tag"), .href(Paths.studies + "?theme=" + percentEncoded(theme)), .safe(theme))
                    }),
                    .if(PageContext.current.allows(.changePortfolio), FormField.form(
                        Paths.studyPartners(study.cpmsID), label: "Add a partner",
                        .h2(.safe("Add a partner")),
                        FormField.errorSummary(partnerForm, labels: ["ods_code": "Organisation", "role": "Role"]),
                        FormField.select("ods_code", "Organisation", form: partnerForm, options: organisations.map { ($0.odsCode, "\($0.name) (\($0.odsCode))") }, required: true),
                        FormField.select("role", "Role", form: partnerForm, options: FormField.codeOptions(PartnerRole.self), required: true),
                        FormField.submit("Add partner")
                    ))
                )
            ),
            .unwrap(performance) { $0.node },
            .h2(.safe("Sites")),
            detail.sites.isEmpty ? .p(.safe("No sites yet.")) : Show.tableRegion("Sites", .table(
                .thead(.tr(
                    .th(.safe("Site")), .th(.safe("Role")), .th(.safe("Selected")), .th(.safe("Open")),
                    .th(.safe("First participant")), .th(.class("number"), .safe("Recruited")), .th(.class("number"), .safe("Target"))
                )),
                .tbody(.forEach(detail.sites) { summary in
                    let site = summary.site
                    return .tr(
                        .td(.a(.href(Paths.site(site.cpmsID, site.siteODS)), .safe(summary.organisationName)), .div(.class("muted"), .safe(site.siteODS))),
                        .td(.safe(site.role.label)),
                        .td(.class("nowrap"), .safe(Show.day(site.dateSiteSelected))),
                        .td(.class("nowrap"), .safe(Show.day(site.dateSiteOpen))),
                        .td(.class("nowrap"), .safe(Show.day(site.firstParticipantRecruited))),
                        .td(.class("number"), .safe(String(summary.recruited)),
                            .unwrap(site.siteTarget.flatMap { $0 > 0 ? $0 : nil }) { target in
                                .element(named: "progress", nodes: [
                                    .attribute(named: "max", value: escapedAttribute(String(target))),
                                    .attribute(named: "value", value: escapedAttribute(String(min(summary.recruited, target)))),
                                    .attribute(named: "aria-label", value: escapedAttribute("\(summary.organisationName): \(summary.recruited) of \(target) recruited")),
                                    .attribute(named: "class", value: "inline"),
                                ])
                            }),
                        .td(.class("number"), .safe(Show.number(site.siteTarget)))
                    )
                })
            )),
            .if(PageContext.current.allows(.changePortfolio), .div(
                .class("actions"),
                .a(.class("button"), .href(Paths.editStudy(study.cpmsID)), .safe("Edit study")),
                .a(.class("button secondary"), .href(Paths.newSite(study.cpmsID)), .safe("Add a site")),
                .a(.href(Paths.studyRemoval(study.cpmsID)), .safe("Remove this study"))
            )),
            .p(.a(.class("button secondary"), .href(Paths.studyRecords(study.cpmsID)), .safe("GCP records: delegation log, safety events, deviations, monitoring, documents"))),
            .h2(.id("history"), .safe("History")),
            .p(.class("hint"), .safe("Changes to this study, its partners, sites and recruitment from the audit trail, newest first (the latest \(history.count); times in UTC).")),
            HistoryList(events: history).node
        )
    }

    /// The study at a glance: status, recruitment against the sites' targets, the next step due at
    /// any site, and the steps already overdue.
    private var summaryCard: Node<HTML.BodyContext> {
        let sites = detail.sites
        let recruited = sites.reduce(0) { $0 + $1.recruited }
        let target = sites.filter(\.site.role.recruits).compactMap(\.site.siteTarget).reduce(0, +)
        let steps = sites.filter { activeSites.contains($0.site.siteODS) }.compactMap { summary -> (SiteSummary, NextStep)? in
            NextStep.of(summary.site, recruited: summary.recruited, rules: rules).map { (summary, $0) }
        }
        let due = steps.filter { $0.1.dueBy != nil }.sorted { ($0.1.dueBy ?? today) < ($1.1.dueBy ?? today) }
        let overdue = due.filter { $0.1.isOverdue(on: today) }
        let upcoming = due.first { !$0.1.isOverdue(on: today) }
        let open = sites.filter { openSites.contains($0.site.siteODS) }.count
        let inSetUp = sites.filter { activeSites.contains($0.site.siteODS) && !openSites.contains($0.site.siteODS) && $0.site.dateSiteOpen == nil }.count
        return .section(
            .class("card"), .attribute(named: "aria-labelledby", value: "summary-heading"),
            .h2(.id("summary-heading"), .safe("At a glance")),
            .dl(
                .class("facts"),
                .dt(.safe("Status")), .dd(Show.statusTag(detail.study.status)),
                Show.fact("Recruitment", target > 0 ? "\(recruited) of \(target) across the sites' targets (\(recruited * 100 / target)%)" : "\(recruited) recruited; no site target recorded"),
                Show.fact("Sites", "\(open) open to recruitment, \(inSetUp) in set-up, \(sites.count) in all"),
                Show.fact("Next due", upcoming.map { "\($0.1.label) at \($0.0.organisationName) by \(Show.day($0.1.dueBy))" } ?? "Nothing with a date"),
                .dt(.safe("Needs attention")),
                .dd(overdue.isEmpty ? .safe("Nothing overdue") : .ul(.forEach(overdue) { item in
                    .li(.a(.href(Paths.site(item.0.site.cpmsID, item.0.site.siteODS)), .safe(item.0.organisationName)),
                        .safe(": \(item.1.label.lowercased()) was due by \(Show.day(item.1.dueBy))"))
                }))
            )
        )
    }
}
