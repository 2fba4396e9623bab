import PaceCore
import Plot

/// Everything the R&D office should check before a national return, each with a link to the record to fix.
struct DataQualityPage {
    let findings: [DataQualityFinding]

    func render(hostName: String) -> HTML {
        let mayFix = PageContext.current.allows(.changePortfolio)
        return Layout(title: "Data quality", section: .dataQuality, hostName: hostName).render(
            .h1(.safe("Data quality")),
            .p(.class("lede"), .safe(findings.isEmpty
                ? "Nothing to check: every site's dates are in order and no recruitment is counted twice."
                : "\(findings.count) things to check before the next national return. Pace refuses these for new records; these were recorded before the checks, or confirmed by hand.")),
            .group(DataQualityFinding.Kind.allCases.map { kind in
                let items = findings.filter { $0.kind == kind }
                return .section(
                    .class("card"),
                    .h2(.safe("\(kind.rawValue) (\(items.count))")),
                    .p(.class("hint"), .safe(kind.advice)),
                    items.isEmpty ? .p(.safe("None.")) : .ul(.class("attention"), .forEach(items) { item in
                        .li(
                            .a(.href(link(item, mayFix: mayFix)), .safe("\(item.studyShortName) at \(item.siteODS)")),
                            .safe(" (CPMS \(item.cpmsID)): \(item.detail)")
                        )
                    })
                )
            })
        )
    }

    /// Where to fix it: the count, the site's milestones, or the site page.
    private func link(_ item: DataQualityFinding, mayFix: Bool) -> String {
        guard mayFix else { return Paths.site(item.cpmsID, item.siteODS) }
        if let start = item.periodStart { return Paths.countCorrection(item.cpmsID, item.siteODS, start) }
        switch item.kind {
        case .datesOutOfOrder, .futureDates, .firstParticipantMismatch, .quietOpenSites: return Paths.editSite(item.cpmsID, item.siteODS)
        case .recruitmentBeforeOpening, .countedTwice, .confirmedLargeCounts: return Paths.site(item.cpmsID, item.siteODS)
        }
    }
}
