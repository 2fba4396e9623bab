import PaceCore
import PaceStore
import Plot

/// Every threshold behind the national measures, where each comes from, and the history of changes.
struct MetricRulesPage {
    let rules: [StoredMetricRule]
    let changes: [MetricRuleChange]
    var changed: String? = nil

    func render(hostName: String) -> HTML {
        let mayChange = PageContext.current.allows(.changeMetricRules)
        return Layout(title: "Metric rules", section: .rules, hostName: hostName).render(
            .h1(.safe("Metric rules")),
            .p(.class("lede"), .safe("The thresholds every report, dashboard and return uses. They start at the national definitions; a change takes effect in every report at once and is recorded below.")),
            .if(!mayChange, .p(.safe("The R&D managers change these rules, with a reason."))),
            .unwrap(changed) { key in
                Banner.status("Changed \(MetricRuleDefinition.named(key)?.name ?? key).")
            },
            Show.tableRegion("Rules in force", .table(
                .caption(.safe("Rules in force")),
                .thead(.tr(.th(.safe("Rule")), .th(.class("number"), .safe("Value")), .th(.safe("Meaning")), .th(.safe("Source")), .th(.safe("Last set")), .if(mayChange, .th(.safe("Change"))))),
                .tbody(.forEach(rules) { rule in
                    .tr(
                        .th(.attribute(named: "scope", value: "row"), .safe(rule.definition.name), .br(), .code(.safe(rule.definition.key))),
                        .td(.class("number"), .safe(rule.value)),
                        .td(.safe(rule.definition.meaning)),
                        .td(.safe(rule.definition.source)),
                        .td(.safe(rule.changedBy), .br(), .span(.class("hint"), .safe(rule.changedAt))),
                        .if(mayChange, .td(.a(.href(Paths.metricRule(rule.definition.key)), .safe("Change"), .span(.class("visually-hidden"), .safe(" " + rule.definition.name)))))
                    )
                })
            )),
            .h2(.safe("Changes")),
            changes.isEmpty ? .p(.safe("No rule has been changed from the national defaults.")) : Show.tableRegion("Changes to the rules", .table(
                .caption(.safe("Most recent first")),
                .thead(.tr(.th(.safe("When (UTC)")), .th(.safe("Rule")), .th(.class("number"), .safe("From")), .th(.class("number"), .safe("To")), .th(.safe("By")), .th(.safe("Reason")))),
                .tbody(.forEach(changes) { change in
                    .tr(
                        .td(.class("nowrap"), .safe(change.changedAt)),
                        .td(.safe(MetricRuleDefinition.named(change.rule)?.name ?? change.rule)),
                        .td(.class("number"), .safe(change.oldValue)), .td(.class("number"), .safe(change.newValue)),
                        .td(.safe(change.changedBy)), .td(.safe(change.reason))
                    )
                })
            ))
        )
    }
}

/// The form that changes one rule: the new value and why.
struct MetricRuleFormPage {
    let rule: StoredMetricRule
    let form: FormState

    func render(hostName: String) -> HTML {
        let definition = rule.definition
        let hint = switch definition.kind {
        case .days: "Calendar days, e.g. 70"
        case .fraction: "A decimal share of the pro-rata target, e.g. 0.8 for 80%"
        case .text: "Compared without regard to capital letters"
        case .participants: "A whole number of participants, e.g. 100"
        case .share: "A decimal share, e.g. 0.9 for 90%"
        }
        return Layout(title: "Change \(definition.name)", section: .rules, hostName: hostName, breadcrumbs: [Crumb("Metric rules", Paths.metricRules)]).render(
            .h1(.safe("Change \(definition.name)")),
            .p(.class("lede"), .safe(definition.meaning)),
            .p(.safe("National source: \(definition.source). In force now: \(rule.value).")),
            FormField.errorSummary(form, labels: [definition.key: "New value", "reason": "Reason", "rule": "Rule"]),
            FormField.form(
                Paths.metricRule(definition.key),
                .div(FormField.input(definition.key, "New value", form: form, hint: hint, required: true)),
                .div(FormField.input("reason", "Reason for the change", form: form, hint: "Recorded with the change, e.g. the national guidance that changed it", required: true)),
                .div(.class("actions"), FormField.submit("Change the rule"), .a(.href(Paths.metricRules), .safe("Cancel")))
            )
        )
    }
}
