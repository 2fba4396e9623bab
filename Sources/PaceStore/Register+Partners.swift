import FluentKit
import PaceCore
import SQLKit

extension Register {
    /// Records that an organisation plays a part (sponsor, funder, …) in a study.
    public func addPartner(cpmsID: Int, odsCode: String, role: PartnerRole, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let references = try await References.load(sql, cpmsIDs: [cpmsID], odsCodes: [odsCode])
            let studyID = try references.study(cpmsID).get()
            let organisationID = try references.organisation(odsCode, column: "ods_code").get()
            try await upsert(sql, into: "study_organisations", rows: [TableRow([
                "study_id": .integer(studyID), "organisation_id": .integer(organisationID), "role": .code(role),
            ])], conflictKey: ["study_id", "organisation_id", "role"], update: [])
            let entry = AuditEntry(action: .create, recordType: "study-partner", recordKey: "\(cpmsID)/\(odsCode)/\(role.rawValue)", changes: [
                FieldChange(field: "ods_code", old: nil, new: odsCode), FieldChange(field: "role", old: nil, new: role.rawValue),
            ])
            try await AuditTrail.append([entry], context, sql)
        }
    }

    /// Loads a generated portfolio through the import path, so demo data passes every check real files do.
    public func load(_ portfolio: DemoPortfolio, by context: AuditContext) async throws {
        let importer = Importer(database: database)
        for kind in InterchangeKind.allCases {
            let text = portfolio.csv(kind)
            _ = try await importer.importFile(kind, named: "demo-\(kind.rawValue).csv", reader: CSVReader(text: text), sha256: { AuditTrail.sha256(text) }, by: context)
        }
        for partner in portfolio.partners where partner.role != .sponsor {
            try await addPartner(cpmsID: partner.cpmsID, odsCode: partner.odsCode, role: partner.role, by: context)
        }
    }

    /// True when the register holds no studies yet.
    public func isEmpty() async throws -> Bool {
        try await Importer.rowCount("studies", database.sql()) == 0
    }
}
