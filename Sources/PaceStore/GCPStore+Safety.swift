import FluentKit
import Foundation
import PaceCore
import SQLKit

/// Serious adverse events and each study's reporting limit.
extension GCPStore {
    public func safetyEvents(cpmsID: Int? = nil) async throws -> [SafetyEvent] {
        var query = SQLQueryString("SELECT r.*, s.cpms_id, o.ods_code FROM safety_events r" + Self.siteJoin)
        if let cpmsID { query = query + " WHERE s.cpms_id = \(bind: cpmsID)" }
        return try await database.sql().raw(query + " ORDER BY r.aware_at DESC, r.id DESC").all().map { row in
            SafetyEvent(
                id: try row.integer("id") ?? 0, cpmsID: try row.integer("cpms_id") ?? 0, siteODS: try row.text("ods_code") ?? "",
                participantID: try row.text("participant_id") ?? "", onsetOn: try row.day("onset_on") ?? Day(ordinal: 0),
                awareAt: try row.text("aware_at").flatMap(LocalTime.fromStored) ?? .distantPast,
                reportedAt: try row.text("reported_at").flatMap(LocalTime.fromStored), summary: try row.text("summary")
            )
        }
    }

    public func add(_ event: SafetyEvent, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let siteID = try await Self.siteID(event.cpmsID, event.siteODS, sql)
            guard let id = try await sql.raw("""
                INSERT INTO safety_events (site_id, participant_id, onset_on, aware_at, reported_at, summary)
                VALUES (\(bind: siteID), \(bind: event.participantID), \(bind: event.onsetOn.iso), \(bind: LocalTime.stored(event.awareAt)), \(bind: event.reportedAt.map(LocalTime.stored)), \(bind: event.summary))
                RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "safety-event", "\(event.cpmsID)/\(event.siteODS)/safety-event/\(id)", old: nil, new: event.auditFields, columns: SafetyEvent.auditColumns, context, sql)
        }
    }

    /// Records when an event was reported to the sponsor.
    public func recordReport(eventID: Int, cpmsID: Int, at date: Date, now: Date, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let event = try await GCPStore(database: transaction).safetyEvents(cpmsID: cpmsID).first(where: { $0.id == eventID }) else {
                throw FieldProblem(column: "event", message: "There is no such safety event in this study.")
            }
            guard event.reportedAt == nil else { throw FieldProblem(column: "reported_at", message: "The report time is already recorded.") }
            guard date >= event.awareAt else { throw FieldProblem(column: "reported_at", message: "is before the team became aware") }
            guard date <= now.addingTimeInterval(60) else { throw FieldProblem(column: "reported_at", message: "is in the future") }
            try await sql.raw("UPDATE safety_events SET reported_at = \(bind: LocalTime.stored(date)) WHERE id = \(bind: eventID)").run()
            try await Self.audit(.change, "safety-event", "\(cpmsID)/\(event.siteODS)/safety-event/\(eventID)", old: [""], new: [LocalTime.stored(date)], columns: ["reported_at"], context, sql)
        }
    }

    public func safetyLimitHours(cpmsID: Int) async throws -> Int {
        try await database.sql().raw("SELECT l.report_limit_hours FROM study_safety_limits l JOIN studies s ON s.id = l.study_id WHERE s.cpms_id = \(bind: cpmsID)")
            .first()?.integer("report_limit_hours") ?? Self.defaultSafetyLimitHours
    }

    public func safetyLimits() async throws -> [Int: Int] {
        var limits: [Int: Int] = [:]
        for row in try await database.sql().raw("SELECT s.cpms_id, l.report_limit_hours FROM study_safety_limits l JOIN studies s ON s.id = l.study_id").all() {
            if let id = try row.integer("cpms_id"), let hours = try row.integer("report_limit_hours") { limits[id] = hours }
        }
        return limits
    }

    public func setSafetyLimit(cpmsID: Int, hours: Int, by context: AuditContext) async throws {
        guard (1...720).contains(hours) else { throw FieldProblem(column: "report_limit_hours", message: "must be a whole number of hours from 1 to 720") }
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let studyID = try await sql.raw("SELECT id FROM studies WHERE cpms_id = \(bind: cpmsID)").first()?.integer("id") else {
                throw FieldProblem(column: "cpms_id", message: "There is no study with CPMS ID \(cpmsID).")
            }
            let old = try await GCPStore(database: transaction).safetyLimitHours(cpmsID: cpmsID)
            guard old != hours else { return }
            try await sql.raw("DELETE FROM study_safety_limits WHERE study_id = \(bind: studyID)").run()
            try await sql.raw("INSERT INTO study_safety_limits (study_id, report_limit_hours) VALUES (\(bind: studyID), \(bind: hours))").run()
            try await Self.audit(.change, "safety-limit", String(cpmsID), old: [String(old)], new: [String(hours)], columns: ["report_limit_hours"], context, sql)
        }
    }
}
