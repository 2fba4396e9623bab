import FluentKit
import Foundation
import PaceCore
import SQLKit

/// Monitoring visits and their actions.
extension GCPStore {
    public func visits(cpmsID: Int? = nil) async throws -> [MonitoringVisit] {
        let sql = try database.sql()
        var query = SQLQueryString("SELECT r.*, s.cpms_id, o.ods_code FROM monitoring_visits r" + Self.siteJoin)
        if let cpmsID { query = query + " WHERE s.cpms_id = \(bind: cpmsID)" }
        var visits = try await sql.raw(query + " ORDER BY r.visited_on DESC, r.id DESC").all().map { row in
            MonitoringVisit(id: try row.integer("id") ?? 0, cpmsID: try row.integer("cpms_id") ?? 0, siteODS: try row.text("ods_code") ?? "",
                            visitedOn: try row.day("visited_on") ?? Day(ordinal: 0), monitor: try row.text("monitor") ?? "", findings: try row.text("findings"))
        }
        let ids = Set(visits.map(\.id))
        var actions: [Int: [MonitoringAction]] = [:]
        for row in try await sql.raw("SELECT * FROM monitoring_actions ORDER BY due_on, id").all() {
            let action = MonitoringAction(id: try row.integer("id") ?? 0, visitID: try row.integer("visit_id") ?? 0, action: try row.text("action") ?? "",
                                          dueOn: try row.day("due_on") ?? Day(ordinal: 0), doneOn: try row.day("done_on"))
            if ids.contains(action.visitID) { actions[action.visitID, default: []].append(action) }
        }
        for index in visits.indices { visits[index].actions = actions[visits[index].id] ?? [] }
        return visits
    }

    @discardableResult
    public func add(_ visit: MonitoringVisit, by context: AuditContext) async throws -> Int {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let siteID = try await Self.siteID(visit.cpmsID, visit.siteODS, sql)
            guard let id = try await sql.raw("""
                INSERT INTO monitoring_visits (site_id, visited_on, monitor, findings) VALUES (\(bind: siteID), \(bind: visit.visitedOn.iso), \(bind: visit.monitor), \(bind: visit.findings)) RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "monitoring-visit", "\(visit.cpmsID)/\(visit.siteODS)/monitoring-visit/\(id)", old: nil, new: visit.auditFields, columns: MonitoringVisit.auditColumns, context, sql)
            return id
        }
    }

    /// Adds an action to a visit of this study.
    public func add(_ action: MonitoringAction, cpmsID: Int, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let visit = try await GCPStore(database: transaction).visits(cpmsID: cpmsID).first(where: { $0.id == action.visitID }) else {
                throw FieldProblem(column: "visit", message: "There is no such monitoring visit in this study.")
            }
            if action.dueOn < visit.visitedOn { throw FieldProblem(column: "due_on", message: "is before the visit") }
            guard let id = try await sql.raw("""
                INSERT INTO monitoring_actions (visit_id, action, due_on, done_on) VALUES (\(bind: visit.id), \(bind: action.action), \(bind: action.dueOn.iso), \(bind: action.doneOn?.iso)) RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "monitoring-action", "\(cpmsID)/\(visit.siteODS)/monitoring-visit/\(visit.id)/action/\(id)", old: nil, new: action.auditFields, columns: MonitoringAction.auditColumns, context, sql)
        }
    }

    /// Marks an action done.
    public func complete(actionID: Int, cpmsID: Int, on day: Day, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let visits = try await GCPStore(database: transaction).visits(cpmsID: cpmsID)
            guard let visit = visits.first(where: { $0.actions.contains { $0.id == actionID } }),
                  let action = visit.actions.first(where: { $0.id == actionID }) else {
                throw FieldProblem(column: "action", message: "There is no such action in this study.")
            }
            guard action.doneOn == nil else { throw FieldProblem(column: "done_on", message: "The action is already done.") }
            try await sql.raw("UPDATE monitoring_actions SET done_on = \(bind: day.iso) WHERE id = \(bind: actionID)").run()
            try await Self.audit(.change, "monitoring-action", "\(cpmsID)/\(visit.siteODS)/monitoring-visit/\(visit.id)/action/\(actionID)", old: [""], new: [day.iso], columns: ["done_on"], context, sql)
        }
    }
}
