import FluentKit
import Foundation
import PaceCore
import SQLKit

/// Protocol deviations.
extension GCPStore {
    public func deviations(cpmsID: Int) async throws -> [Deviation] {
        try await database.sql().raw(SQLQueryString("SELECT r.*, s.cpms_id, o.ods_code FROM deviations r" + Self.siteJoin) + " WHERE s.cpms_id = \(bind: cpmsID) ORDER BY r.occurred_on DESC, r.id DESC").all().map { row in
            Deviation(
                id: try row.integer("id") ?? 0, cpmsID: cpmsID, siteODS: try row.text("ods_code") ?? "", occurredOn: try row.day("occurred_on") ?? Day(ordinal: 0),
                description: try row.text("description") ?? "", important: try row.boolean("important") ?? false,
                correctiveAction: try row.text("corrective_action"), preventiveAction: try row.text("preventive_action")
            )
        }
    }

    public func add(_ deviation: Deviation, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let siteID = try await Self.siteID(deviation.cpmsID, deviation.siteODS, sql)
            guard let id = try await sql.raw("""
                INSERT INTO deviations (site_id, occurred_on, description, important, corrective_action, preventive_action)
                VALUES (\(bind: siteID), \(bind: deviation.occurredOn.iso), \(bind: deviation.description), \(bind: deviation.important), \(bind: deviation.correctiveAction), \(bind: deviation.preventiveAction))
                RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "deviation", "\(deviation.cpmsID)/\(deviation.siteODS)/deviation/\(id)", old: nil, new: deviation.auditFields, columns: Deviation.auditColumns, context, sql)
        }
    }
}
