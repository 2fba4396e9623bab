import FluentKit
import PaceCore
import PaceStore
import Testing

@Suite(.serialized)
struct MetricRuleTests {
    @Test(arguments: TestDatabases.locations)
    func aChangedRuleTakesEffectInReportsAndIsRecorded(location: DatabaseLocation) async throws {
        let asOf = try #require(Day(iso: "2026-11-27"))
        let portfolio = DemoPortfolio(seed: 4, asOf: asOf, studyCount: 30)
        try await TestDatabases.with(location, suite: "rules") { database in
            let register = Register(database: database)
            try await register.load(portfolio, by: .commandLine("test"))
            #expect(try await register.metricRules() == .national)
            let quarter = FinancialQuarter(containing: asOf).previous
            let before = try await register.pidInitiatingReport(quarter: quarter, organisation: "RT5")

            #expect(try await register.changeMetricRule("pid_initiating_days", to: " 100 ", reason: "local stretch target", by: .commandLine("test")))
            #expect(try await register.metricRules().pidInitiatingDays == 100)
            let after = try await register.pidInitiatingReport(quarter: quarter, organisation: "RT5")
            #expect(after == PIDReports.initiating(try await register.siteRecords(organisation: "RT5"), quarter: quarter, organisation: "RT5",
                                                   rules: MetricRules(pidInitiatingDays: 100)))
            #expect(after != before)

            // Setting the value in force records nothing.
            #expect(try await register.changeMetricRule("pid_initiating_days", to: "100", reason: "again", by: .commandLine("test")) == false)
            let changes = try await register.metricRuleChanges()
            #expect(changes.count == 1)
            #expect(changes.first.map { ($0.rule, $0.oldValue, $0.newValue, $0.changedBy, $0.reason) } ?? ("", "", "", "", "")
                    == ("pid_initiating_days", "70", "100", "cli:test", "local stretch target"))
            let listed = try await register.storedMetricRules()
            #expect(listed.map(\.definition.key) == MetricRuleDefinition.all.map(\.key))
            #expect(listed.first { $0.definition.key == "pid_initiating_days" }?.changedBy == "cli:test")
        }
    }

    @Test(arguments: TestDatabases.locations)
    func badChangesAreRefusedAndChangeNothing(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "rules_bad") { database in
            let register = Register(database: database)
            await #expect(throws: FieldProblem.self) { try await register.changeMetricRule("pid_initiating_days", to: "seventy", reason: "typo", by: .commandLine("test")) }
            await #expect(throws: FieldProblem.self) { try await register.changeMetricRule("no_such_rule", to: "1", reason: "why", by: .commandLine("test")) }
            await #expect(throws: FieldProblem.self) { try await register.changeMetricRule("kpi_open_days", to: "45", reason: "  ", by: .commandLine("test")) }
            do {
                try await register.changeMetricRule("traffic_light_amber_from", to: "1.5", reason: "above green", by: .commandLine("test"))
                Issue.record("amber above green was accepted")
            } catch let problem as FieldProblem {
                #expect(problem.column == "traffic_light_amber_from")
            }
            #expect(try await register.metricRules() == .national)
            #expect(try await register.metricRuleChanges().isEmpty)
        }
    }
}
