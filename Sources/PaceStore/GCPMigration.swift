import FluentKit
import PaceCore
import SQLKit

/// Good Clinical Practice records: people and their training, delegation logs, safety events,
/// deviations, monitoring visits with their actions, and versioned essential documents.
struct CreateGCPRecords: AsyncMigration {
    var name: String { "Pace.CreateGCPRecords" }

    func prepare(on database: any Database) async throws {
        try await database.schema("people")
            .field("id", .int, .identifier(auto: true))
            .field("name", .string, .required)
            .field("email", .string)
            .field("job_title", .string)
            .create()
        try await database.schema("training_records")
            .field("id", .int, .identifier(auto: true))
            .field("person_id", .int, .required, .references("people", "id"))
            .field("course", .string, .required)
            .field("completed_on", .string, .required)
            .field("provider", .string)
            .create()
        try await database.schema("delegation_duties")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .create()
        try await database.schema("delegations")
            .field("id", .int, .identifier(auto: true))
            .field("site_id", .int, .required, .references("sites", "id"))
            .field("person_id", .int, .required, .references("people", "id"))
            .field("duties", .string, .required)
            .field("start_on", .string, .required)
            .field("end_on", .string)
            .field("pi_signed_on", .string)
            .create()
        try await database.schema("safety_events")
            .field("id", .int, .identifier(auto: true))
            .field("site_id", .int, .required, .references("sites", "id"))
            .field("participant_id", .string, .required)
            .field("onset_on", .string, .required)
            .field("aware_at", .string, .required)
            .field("reported_at", .string)
            .field("summary", .string)
            .create()
        try await database.schema("study_safety_limits")
            .field("study_id", .int, .identifier(auto: false), .references("studies", "id"))
            .field("report_limit_hours", .int, .required)
            .create()
        try await database.schema("deviations")
            .field("id", .int, .identifier(auto: true))
            .field("site_id", .int, .required, .references("sites", "id"))
            .field("occurred_on", .string, .required)
            .field("description", .string, .required)
            .field("important", .bool, .required)
            .field("corrective_action", .string)
            .field("preventive_action", .string)
            .create()
        try await database.schema("monitoring_visits")
            .field("id", .int, .identifier(auto: true))
            .field("site_id", .int, .required, .references("sites", "id"))
            .field("visited_on", .string, .required)
            .field("monitor", .string, .required)
            .field("findings", .string)
            .create()
        try await database.schema("monitoring_actions")
            .field("id", .int, .identifier(auto: true))
            .field("visit_id", .int, .required, .references("monitoring_visits", "id"))
            .field("action", .string, .required)
            .field("due_on", .string, .required)
            .field("done_on", .string)
            .create()
        try await database.schema("documents")
            .field("id", .int, .identifier(auto: true))
            .field("study_id", .int, .required, .references("studies", "id"))
            .field("name", .string, .required)
            .field("version", .string, .required)
            .field("dated_on", .string, .required)
            .field("status", .string, .required)
            .field("approver", .string)
            .unique(on: "study_id", "name", "version")
            .create()

        let sql = try database.sql()
        for duty in DelegationDuty.standard {
            try await sql.raw("INSERT INTO delegation_duties (code, name) VALUES (\(bind: duty.code), \(bind: duty.name))").run()
        }
        // Databases made before the training rule existed get its national default like the others.
        let key = "gcp_training_renewal_days"
        if try await sql.raw("SELECT 1 AS one FROM metric_rules WHERE rule = \(bind: key)").first() == nil {
            try await sql.raw("INSERT INTO metric_rules (rule, value, changed_at, changed_by) VALUES (\(bind: key), \(bind: String(MetricRules.national.gcpTrainingRenewalDays)), \(bind: MetricRuleStore.timestamp()), 'national default')").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["documents", "monitoring_actions", "monitoring_visits", "deviations", "study_safety_limits", "safety_events", "delegations", "delegation_duties", "training_records", "people"] {
            try await database.schema(table).delete()
        }
    }
}
