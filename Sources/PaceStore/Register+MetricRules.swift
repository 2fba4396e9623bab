import FluentKit
import Foundation
import PaceCore
import SQLKit

/// A stored rule as the admin page lists it.
public struct StoredMetricRule: Sendable {
    public let definition: MetricRuleDefinition
    public let value: String
    public let changedAt: String
    public let changedBy: String
}

/// One change to a rule, for the history under the rules.
public struct MetricRuleChange: Sendable, Equatable {
    public let rule: String
    public let oldValue: String
    public let newValue: String
    public let changedAt: String
    public let changedBy: String
    public let reason: String
}

enum MetricRuleStore {
    /// UTC, to the second, sortable as text.
    static func timestamp(_ date: Date = Date()) -> String {
        LocalTime.stored(date)
    }
}

extension Register {
    /// The rules every report uses: the stored values over the national defaults.
    public func metricRules() async throws -> MetricRules {
        try await Self.metricRules(database.sql())
    }

    static func metricRules(_ sql: any SQLDatabase) async throws -> MetricRules {
        var stored: [String: String] = [:]
        for row in try await sql.raw("SELECT rule, value FROM metric_rules").all() {
            if let rule = try row.text("rule"), let value = try row.text("value") { stored[rule] = value }
        }
        return MetricRules(stored: stored)
    }

    /// Every rule with its value and who last set it, in the admin page's order.
    public func storedMetricRules() async throws -> [StoredMetricRule] {
        var rows: [String: (String, String, String)] = [:]
        for row in try await database.sql().raw("SELECT rule, value, changed_at, changed_by FROM metric_rules").all() {
            if let rule = try row.text("rule") {
                rows[rule] = (try row.text("value") ?? "", try row.text("changed_at") ?? "", try row.text("changed_by") ?? "")
            }
        }
        let rules = MetricRules(stored: rows.mapValues(\.0))
        return MetricRuleDefinition.all.map { definition in
            let row = rows[definition.key]
            return StoredMetricRule(definition: definition, value: definition.value(in: rules), changedAt: row?.1 ?? "", changedBy: row?.2 ?? "national default")
        }
    }

    /// The most recent changes first.
    public func metricRuleChanges(limit: Int = 100) async throws -> [MetricRuleChange] {
        try await database.sql().raw("""
            SELECT rule, old_value, new_value, changed_at, changed_by, reason FROM metric_rule_changes ORDER BY id DESC LIMIT \(unsafeRaw: String(max(1, limit)))
            """).all().map { row in
            MetricRuleChange(
                rule: try row.text("rule") ?? "", oldValue: try row.text("old_value") ?? "", newValue: try row.text("new_value") ?? "",
                changedAt: try row.text("changed_at") ?? "", changedBy: try row.text("changed_by") ?? "", reason: try row.text("reason") ?? ""
            )
        }
    }

    /// Sets one rule, recording the old and new value, who and why in the same transaction.
    /// Returns false when the value was already in force (nothing is recorded).
    @discardableResult
    public func changeMetricRule(_ key: String, to text: String, reason: String, by context: AuditContext) async throws -> Bool {
        guard let definition = MetricRuleDefinition.named(key) else {
            throw FieldProblem(column: "rule", message: "There is no rule called '\(key)'. The rules are: \(MetricRuleDefinition.all.map(\.key).joined(separator: ", ")).")
        }
        let value: String
        switch definition.checked(text) {
        case .success(let checked): value = checked
        case .failure(let problem): throw problem
        }
        let why = reason.trimmingSpaces
        guard Reason.problem(why) == nil else {
            throw FieldProblem(column: "reason", message: "Say why the rule changes (up to 500 characters), e.g. the national guidance that changed it.")
        }
        return try await database.writeTransaction { transaction in
            let current = try await Register(database: transaction).metricRules()
            let proposed = current.setting(definition, to: value)
            if let problem = proposed.consistencyProblems.first {
                throw FieldProblem(column: key, message: problem.message)
            }
            let old = definition.value(in: current)
            guard old != value else { return false }
            let sql = try transaction.sql()
            let now = MetricRuleStore.timestamp()
            let person = context.actor
            try await sql.raw("DELETE FROM metric_rules WHERE rule = \(bind: key)").run()
            try await sql.raw("INSERT INTO metric_rules (rule, value, changed_at, changed_by) VALUES (\(bind: key), \(bind: value), \(bind: now), \(bind: person))").run()
            try await sql.raw("""
                INSERT INTO metric_rule_changes (rule, old_value, new_value, changed_at, changed_by, reason)
                VALUES (\(bind: key), \(bind: old), \(bind: value), \(bind: now), \(bind: person), \(bind: why))
                """).run()
            let entry = AuditEntry(action: .change, recordType: "metric-rule", recordKey: key, changes: [FieldChange(field: "value", old: old, new: value)])
            try await AuditTrail.append([entry], context.because(why), sql)
            return true
        }
    }
}
