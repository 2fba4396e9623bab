import ArgumentParser
import Foundation
import PaceCore
import PaceStore
import PaceWeb

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List or change the thresholds behind every measure (PID 70 days, the UK KPIs, traffic lights, forecast window).",
        subcommands: [ListRules.self, SetRule.self],
        defaultSubcommand: ListRules.self
    )
}

struct ListRules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print each rule, its value, and who last set it.")

    func run() async throws {
        let configuration = try loadConfiguration()
        let rules = try await withDatabase(configuration) { database in
            try await Register(database: database).storedMetricRules()
        }
        for rule in rules {
            print("\(rule.definition.key)\t\(rule.value)\t\(rule.definition.name)\t(\(rule.changedBy) \(rule.changedAt))")
        }
    }
}

struct SetRule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change one rule; every report uses the new value at once and the change is recorded.",
        discussion: "RULE is one of: \(MetricRuleDefinition.all.map(\.key).joined(separator: ", "))."
    )

    @Argument(help: "The rule's key.")
    var rule: String

    @Argument(help: "The new value.")
    var value: String

    @Option(help: "Why the rule changes (recorded with it).")
    var reason: String

    func run() async throws {
        let configuration = try loadConfiguration()
        do {
            let changed = try await withDatabase(configuration) { database in
                try await Register(database: database).changeMetricRule(rule, to: value, reason: reason, by: .operatingSystemUser)
            }
            print(changed ? "\(rule) is now \(value)." : "\(rule) was already \(value); nothing changed.")
        } catch let problem as FieldProblem {
            throw ValidationError("\(problem.column): \(problem.message)")
        }
    }
}
