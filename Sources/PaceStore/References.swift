import PaceCore
import SQLKit

/// The keys other records point at, loaded once per import so each row is checked without a query.
final class References {
    private(set) var studyIDs: [Int: Int] = [:]
    private(set) var organisationIDs: [String: Int] = [:]
    private(set) var sites: [SiteKey: SiteFacts] = [:]
    /// The stored rule above which a count needs a person's confirmation.
    var countConfirmationPerMonth = MetricRules.national.countConfirmationPerMonth
    /// The person importing has checked the file's large counts and confirms them all.
    var confirmsLargeCounts = false

    var siteFacts: Dictionary<SiteKey, SiteFacts>.Values { sites.values }

    /// What a recruitment row is checked against: where it belongs, whether the site recruits, and
    /// when it opened and how many it aims for (domain.md §3a).
    struct SiteFacts {
        let id: Int
        let role: SiteRole
        let open: Day?
        let target: Int?

        init(_ row: any SQLRow) throws {
            id = try row.decode(column: "id", as: Int.self)
            role = SiteRole(rawValue: try row.decode(column: "role", as: String.self)) ?? .recruiting
            open = try row.day("date_site_open")
            target = try row.integer("site_target")
        }
    }

    struct SiteKey: Hashable {
        let studyID: Int
        let organisationID: Int
    }

    static func load(_ sql: any SQLDatabase, studies: Bool, organisations: Bool, sites: Bool) async throws -> References {
        let references = References()
        if studies {
            for row in try await sql.raw("SELECT id, cpms_id FROM studies").all() {
                references.studyIDs[try row.decode(column: "cpms_id", as: Int.self)] = try row.decode(column: "id", as: Int.self)
            }
        }
        if organisations {
            for row in try await sql.raw("SELECT id, ods_code FROM organisations").all() {
                references.organisationIDs[try row.decode(column: "ods_code", as: String.self)] = try row.decode(column: "id", as: Int.self)
            }
        }
        if sites {
            for row in try await sql.raw("SELECT id, study_id, organisation_id, role, date_site_open, site_target FROM sites").all() {
                let key = SiteKey(studyID: try row.decode(column: "study_id", as: Int.self), organisationID: try row.decode(column: "organisation_id", as: Int.self))
                references.sites[key] = try SiteFacts(row)
            }
        }
        return references
    }

    /// Only the rows one record points at, so saving a single record costs a few indexed look-ups
    /// however large the register is.
    static func load(_ sql: any SQLDatabase, cpmsIDs: [Int], odsCodes: [String]) async throws -> References {
        let references = References()
        if !cpmsIDs.isEmpty {
            for row in try await sql.select().columns("id", "cpms_id").from("studies").where("cpms_id", .in, cpmsIDs).all() {
                references.studyIDs[try row.decode(column: "cpms_id", as: Int.self)] = try row.decode(column: "id", as: Int.self)
            }
        }
        if !odsCodes.isEmpty {
            for row in try await sql.select().columns("id", "ods_code").from("organisations").where("ods_code", .in, odsCodes).all() {
                references.organisationIDs[try row.decode(column: "ods_code", as: String.self)] = try row.decode(column: "id", as: Int.self)
            }
        }
        let studyIDs = Array(references.studyIDs.values)
        let organisationIDs = Array(references.organisationIDs.values)
        if !studyIDs.isEmpty && !organisationIDs.isEmpty {
            let rows = try await sql.select().columns("id", "study_id", "organisation_id", "role", "date_site_open", "site_target").from("sites")
                .where("study_id", .in, studyIDs).where("organisation_id", .in, organisationIDs).all()
            for row in rows {
                let key = SiteKey(studyID: try row.decode(column: "study_id", as: Int.self), organisationID: try row.decode(column: "organisation_id", as: Int.self))
                references.sites[key] = try SiteFacts(row)
            }
        }
        return references
    }

    func rememberStudy(cpmsID: Int, id: Int) {
        studyIDs[cpmsID] = id
    }

    func study(_ cpmsID: Int) -> Result<Int, FieldProblem> {
        guard let id = studyIDs[cpmsID] else {
            return .failure(FieldProblem(column: "cpms_id", message: "no study has CPMS ID \(cpmsID): import or create the study first"))
        }
        return .success(id)
    }

    func organisation(_ odsCode: String, column: String) -> Result<Int, FieldProblem> {
        guard let id = organisationIDs[odsCode] else {
            return .failure(FieldProblem(column: column, message: "no organisation has code \(odsCode): import or create the organisation first"))
        }
        return .success(id)
    }

    /// The site where recruitment is recorded; PIC-only sites identify people but never consent them.
    func recruitingSite(cpmsID: Int, odsCode: String) -> Result<Int, FieldProblem> {
        recruitingSiteFacts(cpmsID: cpmsID, odsCode: odsCode).map(\.id)
    }

    func recruitingSiteFacts(cpmsID: Int, odsCode: String) -> Result<SiteFacts, FieldProblem> {
        siteFacts(cpmsID: cpmsID, odsCode: odsCode).flatMap { site in
            guard site.role.recruits else {
                return .failure(FieldProblem(
                    column: "site_ods",
                    message: "\(odsCode) is a Participant Identification Centre for CPMS \(cpmsID): record recruitment at the site that consented the participant, with identified_by_ods \(odsCode)"
                ))
            }
            return .success(site)
        }
    }

    /// The site of a study at an organisation, whatever its role.
    func siteFacts(cpmsID: Int, odsCode: String) -> Result<SiteFacts, FieldProblem> {
        let studyID: Int
        let organisationID: Int
        switch (study(cpmsID), organisation(odsCode, column: "site_ods")) {
        case (.failure(let problem), _), (_, .failure(let problem)): return .failure(problem)
        case (.success(let foundStudy), .success(let foundOrganisation)):
            studyID = foundStudy
            organisationID = foundOrganisation
        }
        guard let site = sites[SiteKey(studyID: studyID, organisationID: organisationID)] else {
            return .failure(FieldProblem(column: "site_ods", message: "\(odsCode) is not a site of CPMS \(cpmsID): add the site first"))
        }
        return .success(site)
    }
}
