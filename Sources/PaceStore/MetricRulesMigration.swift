import FluentKit
import PaceCore
import SQLKit

/// The thresholds behind the national measures as rows, seeded with the national defaults, and the
/// history of every change an R&D manager makes to them.
struct CreateMetricRules: AsyncMigration {
    var name: String { "Pace.CreateMetricRules" }

    func prepare(on database: any Database) async throws {
        try await database.schema("metric_rules")
            .field("rule", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("changed_at", .string, .required)
            .field("changed_by", .string, .required)
            .create()

        try await database.schema("metric_rule_changes")
            .field("id", .int, .identifier(auto: true))
            .field("rule", .string, .required)
            .field("old_value", .string, .required)
            .field("new_value", .string, .required)
            .field("changed_at", .string, .required)
            .field("changed_by", .string, .required)
            .field("reason", .string, .required)
            .create()

        let sql = try database.sql()
        let seededAt = MetricRuleStore.timestamp()
        for (key, value) in MetricRules.national.stored.sorted(by: { $0.key < $1.key }) {
            try await sql.raw("INSERT INTO metric_rules (rule, value, changed_at, changed_by) VALUES (\(bind: key), \(bind: value), \(bind: seededAt), 'national default')").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("metric_rule_changes").delete()
        try await database.schema("metric_rules").delete()
    }
}
