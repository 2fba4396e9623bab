import PaceCore
import Testing

struct MetricRuleDefinitionTests {
    @Test func theStoredFormOfTheNationalRulesReadsBackAsTheNationalRules() {
        let stored = MetricRules.national.stored
        #expect(stored["pid_initiating_days"] == "70")
        #expect(stored["traffic_light_green_from"] == "1")
        #expect(stored["traffic_light_amber_from"] == "0.8")
        #expect(stored.count == MetricRuleDefinition.all.count)
        #expect(MetricRules(stored: stored) == .national)
    }

    @Test func storedValuesOverrideTheDefaultsAndBadOrUnknownOnesAreIgnored() {
        let rules = MetricRules(stored: ["pid_initiating_days": "90", "traffic_light_amber_from": "0.75", "kpi_open_days": "soon", "no_such_rule": "1"])
        #expect(rules.pidInitiatingDays == 90)
        #expect(rules.amberFrom == 0.75)
        #expect(rules.kpiOpenDays == 60)
    }

    @Test(arguments: [
        ("pid_initiating_days", " 71 ", "71"), ("forecast_window_days", "3650", "3650"),
        ("traffic_light_green_from", "0.95", "0.95"), ("traffic_light_green_from", "1.00", "1"),
        ("on_track_intention", "  On track as agreed ", "On track as agreed"),
    ])
    func goodValuesAreNormalised(key: String, text: String, expected: String) throws {
        let definition = try #require(MetricRuleDefinition.named(key))
        #expect(try definition.checked(text).get() == expected)
    }

    @Test(arguments: [
        ("pid_initiating_days", "0"), ("pid_initiating_days", "-5"), ("pid_initiating_days", "3651"), ("pid_initiating_days", "70.5"),
        ("pid_initiating_days", ""), ("traffic_light_amber_from", "nan"), ("traffic_light_amber_from", "inf"),
        ("traffic_light_amber_from", "0"), ("traffic_light_amber_from", "80%"), ("on_track_intention", "   "),
        ("on_track_intention", "line\u{0}break"),
    ])
    func badValuesAreRefusedNamingTheRule(key: String, text: String) throws {
        let definition = try #require(MetricRuleDefinition.named(key))
        guard case .failure(let problem) = definition.checked(text) else {
            Issue.record("\(key)=\(text) was accepted")
            return
        }
        #expect(problem.column == key)
        #expect(problem.message.contains("is not allowed"))
    }

    @Test func amberAboveGreenIsInconsistent() throws {
        let amber = try #require(MetricRuleDefinition.named("traffic_light_amber_from"))
        #expect(MetricRules.national.setting(amber, to: "1.2").consistencyProblems.map(\.column) == ["traffic_light_amber_from"])
        #expect(MetricRules.national.setting(amber, to: "1").consistencyProblems.isEmpty)
    }

    @Test func changedThresholdsChangeTheMeasures() throws {
        // Half the time gone, 45% of target recruited: RTT −0.1, amber nationally, green from 0.9.
        var site = Site(cpmsID: 1, siteODS: "RT5", role: .recruiting)
        site.siteTarget = 100
        site.plannedRecruitmentStart = Day(iso: "2026-01-01")
        site.plannedRecruitmentEnd = Day(iso: "2026-01-21")
        site.dateSiteOpen = Day(iso: "2026-01-01")
        let day = try #require(Day(iso: "2026-01-11"))
        let history = RecruitmentHistory([(day, 45)])
        #expect(SiteMeasures(site: site, history: history, on: day).trafficLight == .amber)
        let green = try #require(MetricRuleDefinition.named("traffic_light_green_from"))
        let relaxed = MetricRules.national.setting(green, to: "0.9")
        #expect(SiteMeasures(site: site, history: history, on: day, rules: relaxed).trafficLight == .green)
    }
}
