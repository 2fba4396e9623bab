import PaceCore
import Plot

/// How each UK indicator is computed from Pace's data, with the days and ambitions the stored rules set.
enum KPIDefinitions {
    static func node(_ rules: MetricRules) -> Node<HTML.BodyContext> {
        .div(.class("card"), .h2(.id("definitions"), .safe("How each indicator is computed")),
             .dl(.class("facts"),
                 Show.fact("KPI 1: \(KPIReport.KPI.setUp150.name(rules))", KPIReport.KPI.setUp150.definition(rules)),
                 Show.fact("KPI 2: combined review within 60 days", "Measured nationally from the HRA's and MHRA's own dates for each study; a site holds none of them, so Pace does not compute it."),
                 .forEach([KPIReport.KPI.open60, .first30]) { kpi in
                     Show.fact("KPI \(kpi.dhscNumber): \(kpi.name(rules))", kpi.definition(rules))
                 },
                 .forEach(KPIReport.Activity.allCases) { indicator in
                     Show.fact("KPI \(indicator.dhscNumber): \(indicator.name)", indicator.definition(rules))
                 }),
             .p(.class("hint"), .safe("The days and ambitions are metric rules the R&D managers can change. A site counts in the month its measure ends: the day it opened, or the day of its first participant.")))
    }
}
