import FluentKit
import Foundation
import PaceCore
import SQLKit

/// A study's GCP records, as its page and the API show them.
public struct StudyGCPRecords: Sendable {
    public let delegations: [Delegation]
    public let safetyEvents: [SafetyEvent]
    public let safetyLimitHours: Int
    public let deviations: [Deviation]
    public let visits: [MonitoringVisit]
    public let documents: [EssentialDocument]
}

/// Reads and writes GCP records. Every write appends its audit event in the same transaction, keyed
/// under the study's CPMS ID so the study's history shows it.
public struct GCPStore: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public static let defaultSafetyLimitHours = 24
    static let siteJoin = " JOIN sites x ON x.id = r.site_id JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id"

    // MARK: Helpers

    static func siteID(_ cpmsID: Int, _ odsCode: String, _ sql: any SQLDatabase) async throws -> Int {
        guard let id = try await sql.raw("""
            SELECT x.id FROM sites x JOIN studies s ON s.id = x.study_id JOIN organisations o ON o.id = x.organisation_id
            WHERE s.cpms_id = \(bind: cpmsID) AND o.ods_code = \(bind: odsCode)
            """).first()?.integer("id") else {
            throw FieldProblem(column: "site_ods", message: "\(odsCode) is not a site of CPMS \(cpmsID).")
        }
        return id
    }

    static func audit(_ action: AuditAction, _ type: String, _ key: String, old: [String]?, new: [String], columns: [String], _ context: AuditContext, _ sql: any SQLDatabase) async throws {
        let entry = AuditEntry(action: action, recordType: type, recordKey: key, changes: FieldChange.between(old: old, new: new, columns: columns))
        try await AuditTrail.append([entry], context, sql)
    }
}
