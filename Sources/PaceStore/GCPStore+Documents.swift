import FluentKit
import Foundation
import PaceCore
import SQLKit

/// Versioned essential documents, and all of a study's records together.
extension GCPStore {
    public func documents(cpmsID: Int) async throws -> [EssentialDocument] {
        try await database.sql().raw("SELECT d.* FROM documents d JOIN studies s ON s.id = d.study_id WHERE s.cpms_id = \(bind: cpmsID) ORDER BY d.name, d.dated_on DESC, d.id DESC").all().map { row in
            EssentialDocument(id: try row.integer("id") ?? 0, cpmsID: cpmsID, name: try row.text("name") ?? "", version: try row.text("version") ?? "",
                              datedOn: try row.day("dated_on") ?? Day(ordinal: 0), status: try row.code("status", EssentialDocument.Status.self) ?? .draft,
                              approver: try row.text("approver"))
        }
    }

    /// Adds a version of a document. An approved version supersedes the earlier approved ones, which stay on record.
    public func add(_ document: EssentialDocument, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let studyID = try await sql.raw("SELECT id FROM studies WHERE cpms_id = \(bind: document.cpmsID)").first()?.integer("id") else {
                throw FieldProblem(column: "cpms_id", message: "There is no study with CPMS ID \(document.cpmsID).")
            }
            let existing = try await GCPStore(database: transaction).documents(cpmsID: document.cpmsID).filter { $0.name == document.name }
            if existing.contains(where: { $0.version == document.version }) {
                throw FieldProblem(column: "version", message: "Version \(document.version) of \(document.name) is already recorded; give the new version its own number.")
            }
            var events: [AuditEntry] = []
            if document.status == .approved {
                for earlier in existing where earlier.status == .approved {
                    try await sql.raw("UPDATE documents SET status = 'superseded' WHERE id = \(bind: earlier.id)").run()
                    events.append(AuditEntry(action: .change, recordType: "document", recordKey: "\(document.cpmsID)/document/\(earlier.id)",
                                             changes: [FieldChange(field: "status", old: "approved", new: "superseded")]))
                }
            }
            guard let id = try await sql.raw("""
                INSERT INTO documents (study_id, name, version, dated_on, status, approver)
                VALUES (\(bind: studyID), \(bind: document.name), \(bind: document.version), \(bind: document.datedOn.iso), \(bind: document.status.rawValue), \(bind: document.approver))
                RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            events.insert(AuditEntry(action: .create, recordType: "document", recordKey: "\(document.cpmsID)/document/\(id)",
                                     changes: FieldChange.between(old: nil, new: document.auditFields, columns: EssentialDocument.auditColumns)), at: 0)
            try await AuditTrail.append(events, context, sql)
        }
    }

    public func records(cpmsID: Int) async throws -> StudyGCPRecords {
        StudyGCPRecords(
            delegations: try await delegations(cpmsID: cpmsID), safetyEvents: try await safetyEvents(cpmsID: cpmsID),
            safetyLimitHours: try await safetyLimitHours(cpmsID: cpmsID), deviations: try await deviations(cpmsID: cpmsID),
            visits: try await visits(cpmsID: cpmsID), documents: try await documents(cpmsID: cpmsID)
        )
    }
}
