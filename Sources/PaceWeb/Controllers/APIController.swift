import PaceCore
import PaceStore
import Vapor

/// The JSON API under /api/v1. Records use the interchange column names, and bodies pass through the
/// same checks as CSV rows and forms.
struct APIController: RouteCollection {
    let uploadLimitBytes: Int

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1")
        api.get("openapi.json", use: openAPI).requires(.signedIn)
        api.get("studies", use: listStudies).requires(.signedIn)
        api.post("studies", use: createStudy).requires(.changePortfolio)
        api.get("studies", ":cpms", use: getStudy).requires(.readStudy)
        api.put("studies", ":cpms", use: updateStudy).requires(.changePortfolio)
        api.get("studies", ":cpms", "sites", use: listSites).requires(.readStudy)
        api.post("studies", ":cpms", "sites", use: createSite).requires(.changePortfolio)
        api.get("studies", ":cpms", "sites", ":ods", use: getSite).requires(.readStudy)
        api.put("studies", ":cpms", "sites", ":ods", use: updateSite).requires(.changePortfolio)
        api.get("studies", ":cpms", "sites", ":ods", "participants", use: listParticipants).requires(.readStudy)
        api.post("studies", ":cpms", "sites", ":ods", "participants", use: createParticipant).requires(.recordRecruitment)
        api.get("studies", ":cpms", "sites", ":ods", "counts", use: listCounts).requires(.readStudy)
        api.post("studies", ":cpms", "sites", ":ods", "counts", use: createCount).requires(.recordRecruitment)
        api.put("studies", ":cpms", "sites", ":ods", "participants", ":participant", use: correctParticipant).requires(.recordRecruitment)
        api.delete("studies", ":cpms", "sites", ":ods", "participants", ":participant", use: removeParticipant).requires(.recordRecruitment)
        api.put("studies", ":cpms", "sites", ":ods", "counts", ":start", use: correctCount).requires(.recordRecruitment)
        api.delete("studies", ":cpms", "sites", ":ods", "counts", ":start", use: removeCount).requires(.recordRecruitment)
        api.delete("studies", ":cpms", "sites", ":ods", use: removeSite).requires(.changePortfolio)
        api.delete("studies", ":cpms", use: removeStudy).requires(.changePortfolio)
        api.delete("organisations", ":ods", use: removeOrganisation).requires(.changePortfolio)
        api.get("organisations", use: listOrganisations).requires(.readPortfolio)
        api.post("organisations", use: createOrganisation).requires(.changePortfolio)
        api.get("organisations", ":ods", use: getOrganisation).requires(.readPortfolio)
        api.put("organisations", ":ods", use: updateOrganisation).requires(.changePortfolio)
        bootSetUp(api)
        api.on(.POST, "import", ":kind", body: .collect(maxSize: ByteCount(value: uploadLimitBytes)), use: importFile).requires(.changePortfolio)
    }

    func openAPI(request: Request) throws -> Response {
        try OpenAPIDocument.document.jsonResponse(status: .ok)
    }

    // MARK: Studies

    func listStudies(request: Request) async throws -> Response {
        var filter = try StudyController.filter(from: request.queryValues())
        filter.onlyStudies = request.visibleStudies
        let page = try await request.register.studies(filter, hostODS: request.configuration.hostODS, knownTotal: try await request.studyCount(filter))
        return try JSONValue.object([
            ("studies", .array(page.studies.map { summary in
                merged(.record(summary.study), [("recruited", .integer(summary.recruited)), ("host_role", summary.hostRole.map { .string($0.rawValue) } ?? .null)])
            })),
            ("total", .integer(page.total)), ("page", .integer(page.page)), ("per_page", .integer(page.perPage)),
        ]).jsonResponse(status: .ok)
    }

    func getStudy(request: Request) async throws -> Response {
        try await studyResponse(request, cpmsID: request.cpmsParameter(), status: .ok)
    }

    private func studyResponse(_ request: Request, cpmsID: Int, status: HTTPStatus) async throws -> Response {
        guard let detail = try await request.register.study(cpmsID) else {
            throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).")
        }
        return try JSONValue.object([
            ("study", .record(detail.study)),
            ("partners", .array(detail.partners.map { partner in
                .object([("ods_code", .string(partner.organisation.odsCode)), ("name", .string(partner.organisation.name)), ("role", .string(partner.role.rawValue))])
            })),
            ("sites", .array(detail.sites.map { merged(.record($0.site), [("recruited", .integer($0.recruited))]) })),
        ]).jsonResponse(status: status)
    }

    func createStudy(request: Request) async throws -> Response {
        let study: Study = try read(request, overriding: [:])
        try await saving { try await request.register.save(study, .create, by: request.auditContext) }
        return try await studyResponse(request, cpmsID: study.cpmsID, status: .created)
    }

    func updateStudy(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let study: Study = try read(request, overriding: ["cpms_id": String(cpmsID)])
        try await saving(notFoundOn: "cpms_id") { try await request.register.save(study, .update, by: request.auditContext) }
        return try await studyResponse(request, cpmsID: cpmsID, status: .ok)
    }

    // MARK: Sites

    func listSites(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        guard let detail = try await request.register.study(cpmsID) else {
            throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).")
        }
        return try JSONValue.object([("sites", .array(detail.sites.map { merged(.record($0.site), [("recruited", .integer($0.recruited))]) }))]).jsonResponse(status: .ok)
    }

    func getSite(request: Request) async throws -> Response {
        try await siteResponse(request, cpmsID: request.cpmsParameter(), odsCode: request.odsParameter(), status: .ok)
    }

    private func siteResponse(_ request: Request, cpmsID: Int, odsCode: String, status: HTTPStatus) async throws -> Response {
        guard let detail = try await request.register.site(cpmsID: cpmsID, odsCode: odsCode, participantLimit: 0) else {
            throw Abort(.notFound, reason: "\(odsCode) is not a site of the study with CPMS ID \(cpmsID).")
        }
        return try JSONValue.object([
            ("site", .record(detail.site)), ("recruited", .integer(detail.recruited)), ("participants", .integer(detail.participantCount)),
        ]).jsonResponse(status: status)
    }

    func createSite(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let site: Site = try read(request, overriding: ["cpms_id": String(cpmsID)])
        try await saving(notFoundOn: "cpms_id") { try await request.register.save(site, .create, by: request.auditContext) }
        return try await siteResponse(request, cpmsID: cpmsID, odsCode: site.siteODS, status: .created)
    }

    func updateSite(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        let site: Site = try read(request, overriding: ["cpms_id": String(cpmsID), "site_ods": odsCode])
        try await saving(notFoundOn: "cpms_id") { try await request.register.save(site, .update, by: request.auditContext) }
        return try await siteResponse(request, cpmsID: cpmsID, odsCode: odsCode, status: .ok)
    }

    // MARK: Recruitment

    func listParticipants(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        try await requireSite(request, cpmsID, odsCode)
        let query = try request.queryValues()
        let page = try integer("page", in: 1...1_000_000, from: query) ?? 1
        let perPage = try integer("per_page", in: 1...1_000, from: query) ?? 100
        let result = try await request.register.participants(cpmsID: cpmsID, odsCode: odsCode, page: page, perPage: perPage)
        return try JSONValue.object([
            ("participants", .array(result.participants.map(JSONValue.record))),
            ("total", .integer(result.total)), ("page", .integer(page)), ("per_page", .integer(perPage)),
        ]).jsonResponse(status: .ok)
    }

    func createParticipant(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        try await requireSite(request, cpmsID, odsCode)
        let participant: Participant = try read(request, overriding: ["cpms_id": String(cpmsID), "site_ods": odsCode])
        try await saving { try await request.register.save(participant, .create, by: request.auditContext) }
        return try JSONValue.record(participant).jsonResponse(status: .created)
    }

    func listCounts(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        guard let detail = try await request.register.site(cpmsID: cpmsID, odsCode: odsCode, participantLimit: 0) else {
            throw Abort(.notFound, reason: "\(odsCode) is not a site of the study with CPMS ID \(cpmsID).")
        }
        return try JSONValue.object([("counts", .array(detail.counts.map(JSONValue.record)))]).jsonResponse(status: .ok)
    }

    func createCount(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        try await requireSite(request, cpmsID, odsCode)
        let count: RecruitmentCount = try read(request, overriding: ["cpms_id": String(cpmsID), "site_ods": odsCode])
        try await saving { try await request.register.save(count, .create, by: request.auditContext) }
        return try JSONValue.record(count).jsonResponse(status: .created)
    }

    // MARK: Corrections (interchange.md, "Corrections through the API"): each needs X-Pace-Reason.

    func correctParticipant(request: Request) async throws -> Response {
        let (cpmsID, odsCode, participantID) = try participantPath(request)
        let participant: Participant = try read(request, overriding: ["cpms_id": String(cpmsID), "site_ods": odsCode, "participant_id": participantID])
        try await saving { try await request.register.correct(participant, by: request.auditContext) }
        return try JSONValue.record(participant).jsonResponse(status: .ok)
    }

    func removeParticipant(request: Request) async throws -> Response {
        let (cpmsID, odsCode, participantID) = try participantPath(request)
        try await saving {
            try await request.register.removeParticipant(cpmsID: cpmsID, odsCode: odsCode, participantID: participantID, by: request.auditContext)
        }
        return Response(status: .noContent)
    }

    func correctCount(request: Request) async throws -> Response {
        let (cpmsID, odsCode, start) = try countPath(request)
        let count: RecruitmentCount = try read(request, overriding: ["cpms_id": String(cpmsID), "site_ods": odsCode, "period_start": start.iso])
        try await saving { try await request.register.correct(count, by: request.auditContext) }
        return try JSONValue.record(count).jsonResponse(status: .ok)
    }

    func removeCount(request: Request) async throws -> Response {
        let (cpmsID, odsCode, start) = try countPath(request)
        try await saving {
            try await request.register.removeCount(cpmsID: cpmsID, odsCode: odsCode, periodStart: start, by: request.auditContext)
        }
        return Response(status: .noContent)
    }

    func removeSite(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        try await saving { try await request.register.removeSite(cpmsID: cpmsID, odsCode: odsCode, by: request.auditContext) }
        return Response(status: .noContent)
    }

    func removeStudy(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        try await saving { try await request.register.removeStudy(cpmsID: cpmsID, by: request.auditContext) }
        return Response(status: .noContent)
    }

    func removeOrganisation(request: Request) async throws -> Response {
        let odsCode = try request.odsParameter()
        try await saving { try await request.register.removeOrganisation(odsCode: odsCode, by: request.auditContext) }
        return Response(status: .noContent)
    }

    private func participantPath(_ request: Request) throws -> (Int, String, String) {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        guard let participantID = request.parameters.get("participant"), !participantID.isEmpty, participantID.utf8.count <= 200,
              !RowReader.containsControlCharacter(participantID) else {
            throw Abort(.notFound, reason: "There is no such participant at this site.")
        }
        return (cpmsID, odsCode, participantID)
    }

    private func countPath(_ request: Request) throws -> (Int, String, Day) {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        guard let text = request.parameters.get("start"), let start = Day(iso: text) else {
            throw ParameterProblem("start", request.parameters.get("start") ?? "", "is not a date: write the period's first day as YYYY-MM-DD")
        }
        return (cpmsID, odsCode, start)
    }

    func requireSite(_ request: Request, _ cpmsID: Int, _ odsCode: String) async throws {
        guard try await request.register.siteExists(cpmsID: cpmsID, odsCode: odsCode) else {
            throw Abort(.notFound, reason: "\(odsCode) is not a site of the study with CPMS ID \(cpmsID).")
        }
    }

    // MARK: Organisations

    func listOrganisations(request: Request) async throws -> Response {
        let organisations = try await request.register.organisations()
        return try JSONValue.object([("organisations", .array(organisations.map { merged(.record($0.organisation), [("studies", .integer($0.studies))]) }))])
            .jsonResponse(status: .ok)
    }

    func getOrganisation(request: Request) async throws -> Response {
        let odsCode = try request.odsParameter()
        guard let organisation = try await request.register.organisation(odsCode) else {
            throw Abort(.notFound, reason: "There is no organisation with code \(odsCode).")
        }
        let studies = try await request.register.studies(of: odsCode)
        return try JSONValue.object([
            ("organisation", .record(organisation)),
            ("studies", .array(studies.map { study in
                .object([("cpms_id", .integer(study.cpmsID)), ("short_name", .string(study.shortName)),
                         ("status", study.status.map { .string($0.rawValue) } ?? .null), ("roles", .array(study.roles.map(JSONValue.string)))])
            })),
        ]).jsonResponse(status: .ok)
    }

    func createOrganisation(request: Request) async throws -> Response {
        let organisation: Organisation = try read(request, overriding: [:])
        try await saving { try await request.register.save(organisation, .create, by: request.auditContext) }
        return try JSONValue.object([("organisation", .record(organisation))]).jsonResponse(status: .created)
    }

    func updateOrganisation(request: Request) async throws -> Response {
        let odsCode = try request.odsParameter()
        let organisation: Organisation = try read(request, overriding: ["ods_code": odsCode])
        try await saving(notFoundOn: "ods_code") { try await request.register.save(organisation, .update, by: request.auditContext) }
        return try JSONValue.object([("organisation", .record(organisation))]).jsonResponse(status: .ok)
    }

    // MARK: Import

    func importFile(request: Request) async throws -> Response {
        try request.requireUploadWithinLimit()
        guard let kind = request.parameters.get("kind").flatMap(InterchangeKind.init(rawValue:)) else {
            throw Abort(.notFound, reason: "Unknown import kind: use one of \(InterchangeKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let bytes = request.body.data.map { Array($0.readableBytesView) } ?? []
        let given = request.headers.first(name: "X-Pace-Filename") ?? ""
        guard !RowReader.containsControlCharacter(given) else {
            throw ParameterProblem("X-Pace-Filename", given, "contains a control character: give the file's plain name")
        }
        let name = given.isEmpty ? "\(kind.rawValue).csv" : String(given.prefix(200))
        if let reason = request.headers.first(name: "X-Pace-Reason"), !reason.isEmpty, let problem = Reason.problem(reason) {
            throw ParameterProblem("X-Pace-Reason", reason, "is not a reason the audit trail can keep: \(problem)")
        }
        let query = try request.queryValues()
        let dryRun = try yesOrNo("dry_run", from: query) ?? false
        let confirmCounts = try yesOrNo("confirm_counts", from: query) ?? false
        do {
            let summary = try await Importer(database: request.db).importFile(kind, named: name, reader: CSVReader(bytes: bytes), sha256: { AuditTrail.sha256(bytes: bytes) },
                                                                             by: request.auditContext, options: ImportOptions(confirmingLargeCounts: confirmCounts, dryRun: dryRun))
            return try JSONValue.object([
                ("kind", .string(summary.kind.rawValue)), ("file", .string(summary.file)), ("records", .integer(summary.records)),
                ("created", .integer(summary.created)), ("changed", .integer(summary.changed)), ("unchanged", .integer(summary.unchanged)),
                ("updated_or_unchanged", .integer(summary.updatedOrUnchanged)), ("dry_run", .boolean(summary.dryRun)),
                ("changes", .array(summary.changes.map { change in
                    .object([("record", .string(change.record)), ("fields", .array(change.fields.map { field in
                        .object([("field", .string(field.field)), ("old", field.old.map(JSONValue.string) ?? .null), ("new", field.new.map(JSONValue.string) ?? .null)])
                    }))])
                })),
            ]).jsonResponse(status: .ok)
        } catch let rejected as ImportRejected {
            return try JSONValue.object([
                ("error", .string("The file was not imported; nothing was written.")),
                ("problems", .array(rejected.issues.map { issue in
                    .object([("row", .integer(issue.row)), ("column", .string(issue.column)), ("message", .string(issue.message)), ("text", .string(issue.description))])
                })),
                ("more_problems", .integer(rejected.moreIssues)),
            ]).jsonResponse(status: .unprocessableEntity)
        }
    }

    // MARK: Helpers

    /// Reads a record from a JSON object body, with path values taking precedence; 422 lists every problem.
    func read<Record: InterchangeRecord>(_ request: Request, overriding: [String: String]) throws -> Record {
        let body: JSONValue
        do {
            body = try request.content.decode(JSONValue.self, using: JSONDecoder())
        } catch {
            throw APIProblems(problems: [FieldProblem(column: "-", message: "the body must be a JSON object")])
        }
        guard var values = body.formValues else {
            throw APIProblems(problems: [FieldProblem(column: "-", message: "the body must be a JSON object")])
        }
        let known = Set(Record.columns.map(\.name))
        let unknown = values.keys.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw APIProblems(problems: unknown.map { FieldProblem(column: $0, message: "unknown field; \(Record.kind.rawValue) have: \(Record.columns.map(\.name).joined(separator: ", "))") })
        }
        values.merge(overriding) { $1 }
        var row = RowReader(values: values)
        guard let record = Record(reading: &row) else { throw APIProblems(problems: row.problems) }
        return record
    }

    func saving(notFoundOn column: String? = nil, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let problem as FieldProblem {
            if problem.column == column || problem.message.hasSuffix("does not exist") {
                throw Abort(.notFound, reason: problem.message)
            }
            throw APIProblems(problems: [problem])
        } catch let inUse as RecordInUse {
            throw Abort(.conflict, reason: inUse.message)
        }
    }

    private func merged(_ object: JSONValue, _ extra: [(String, JSONValue)]) -> JSONValue {
        guard case .object(let members) = object else { return object }
        return .object(members + extra)
    }
}

/// Problems with an API body, answered as 422 with each field and message.
struct APIProblems: Error, AbortError {
    let problems: [FieldProblem]
    var status: HTTPResponseStatus { .unprocessableEntity }
    var reason: String { problems.map { "\($0.column): \($0.message)" }.joined(separator: "; ") }
}
