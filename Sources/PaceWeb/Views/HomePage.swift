import PaceCore
import PaceStore
import Plot

/// The portfolio home page: where the studies stand and what needs attention.
struct HomePage {
    let summary: PortfolioSummary
    let hostODS: String

    func render(hostName: String) -> HTML {
        Layout(title: "Portfolio", section: .home, hostName: hostName).render(
            .h1(.safe("Research portfolio")),
            .p(.class("lede"), .safe("\(summary.host?.name ?? hostODS) · financial year \(summary.financialYear)")),
            .div(
                .class("tiles"),
                tile("In set-up", summary.inSetUp, Paths.studies + "?phase=set-up"),
                tile("Open", summary.open, Paths.studies + "?phase=open"),
                tile("Closed", summary.closed, Paths.studies + "?phase=closed"),
                .div(.class("tile"), .span(.class("figure"), .safe(String(summary.hostRecruitedThisYear))),
                     .safe("recruited at \(hostODS) in \(summary.financialYear)")),
                .div(.class("tile"), .span(.class("figure"), .safe(String(summary.recruitedThisYear))),
                     .safe("recruited at all sites in \(summary.financialYear)"))
            ),
            .h2(.safe("Studies needing attention")),
            summary.attention.isEmpty
                ? .p(.safe("Nothing needs attention: no site at \(hostODS) is past a set-up target or has gone a month without recruiting."))
                : Show.tableRegion("Studies needing attention", .table(
                    .caption(.safe("\(summary.attention.count) sites at \(hostODS)")),
                    .thead(.tr(.th(.safe("Study")), .th(.safe("Site")), .th(.safe("Why")))),
                    .tbody(.forEach(summary.attention) { item in
                        .tr(
                            .td(.a(.href(Paths.study(item.cpmsID)), .safe("\(item.shortName) (CPMS \(item.cpmsID))"))),
                            .td(.a(.href(Paths.site(item.cpmsID, item.siteODS)), .safe(summary.host.flatMap { $0.odsCode == item.siteODS ? $0.name : nil } ?? item.siteODS))),
                            .td(.safe(item.reason))
                        )
                    })
                )),
            .if(PageContext.current.allows(.changePortfolio), .div(.class("actions"),
                 .a(.class("button"), .href(Paths.newStudy), .safe("Add a study")),
                 .a(.class("button secondary"), .href(Paths.importData), .safe("Import CSV files"))))
        )
    }

    private func tile(_ label: String, _ count: Int, _ href: String) -> Node<HTML.BodyContext> {
        .div(.class("tile"), .a(.href(href), .span(.class("figure"), .safe(String(count))), .safe("\(label) studies")))
    }
}
