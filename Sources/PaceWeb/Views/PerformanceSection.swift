import PaceCore
import Plot

/// The charts a study or site page shows: recruitment against the straight-line target with the
/// forecast, and (for a site) its set-up intervals against the national targets.
struct PerformanceSection {
    let curve: RecruitmentCurve
    let curveTitle: String
    let intervals: [SetUpInterval]?

    /// One site's performance on `day`.
    init(site record: SiteRecord, on day: Day, rules: MetricRules) {
        curve = RecruitmentCurve(site: record.site, history: record.history, on: day, rules: rules)
        curveTitle = "Recruitment at this site against its target"
        intervals = record.intervals(on: day, rules: rules)
    }

    /// A study's recruiting sites as one.
    init(study records: [SiteRecord], on day: Day, rules: MetricRules) {
        let (site, history) = RecruitmentCurve.combined(records.map(\.site), histories: records.map(\.history))
        curve = RecruitmentCurve(site: site, history: history, on: day, rules: rules)
        curveTitle = "Recruitment across all sites against their combined target"
        intervals = nil
    }

    var node: Node<HTML.BodyContext> {
        .section(
            .class("card performance"),
            .attribute(named: "aria-labelledby", value: "performance-heading"),
            .h2(.id("performance-heading"), .safe("Time and target")),
            RecruitmentChart(curve: curve, id: "recruitment-chart", title: curveTitle).node,
            .unwrap(intervals) { SetUpTimeline(intervals: $0, id: "set-up-chart").node }
        )
    }
}
