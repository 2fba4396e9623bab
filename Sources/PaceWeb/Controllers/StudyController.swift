import PaceCore
import PaceStore
import Vapor

/// Study pages: the list with filters, a study's page, and the forms to add and edit studies and partners.
struct StudyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let studies = routes.grouped("studies")
        studies.get(use: list).requires(.signedIn)
        studies.get("new", use: newForm).requires(.changePortfolio)
        studies.post(use: create).requires(.changePortfolio)
        studies.get(":cpms", use: show).requires(.readStudy)
        studies.get(":cpms", "edit", use: editForm).requires(.changePortfolio)
        studies.post(":cpms", "edit", use: update).requires(.changePortfolio)
        studies.post(":cpms", "partners", use: addPartner).requires(.changePortfolio)
    }

    static func filter(from query: [String: String]) -> StudyFilter {
        var filter = StudyFilter()
        filter.phase = query["phase"].flatMap(StudyStatus.Phase.init(rawValue:))
        filter.status = query["status"].flatMap(StudyStatus.init(rawValue:))
        filter.route = query["route"].flatMap(StudyRoute.init(rawValue:))
        filter.design = query["design"].flatMap(StudyDesign.init(rawValue:))
        filter.theme = query["theme"].flatMap { $0.isEmpty ? nil : $0 }
        filter.partnerODS = query["partner"].flatMap(Identifiers.normalisedODSCode)
        filter.hostRole = query["role"].flatMap(SiteRole.init(rawValue:))
        filter.search = query["q"]
        filter.page = query["page"].flatMap { Int($0) }.map { max(1, min($0, 1_000_000)) } ?? 1
        filter.perPage = query["per_page"].flatMap { Int($0) }.map { max(1, min($0, StudyFilter.perPageLimit)) } ?? 25
        return filter
    }

    func list(request: Request) async throws -> Response {
        let query = (try? request.query.decode([String: String].self)) ?? [:]
        let register = request.register
        var filter = Self.filter(from: query)
        filter.onlyStudies = request.visibleStudies
        let page = try await register.studies(filter, hostODS: request.configuration.hostODS)
        let organisations = try await register.organisationChoices()
        return StudyListPage(page: page, query: query, themes: try await register.themes(), organisations: organisations, hostODS: request.configuration.hostODS)
            .render(hostName: try await request.hostName()).response()
    }

    func show(request: Request) async throws -> Response {
        try await studyPage(request, cpmsID: request.cpmsParameter(), partnerForm: FormState(), status: .ok)
    }

    private func studyPage(_ request: Request, cpmsID: Int, partnerForm: FormState, status: HTTPStatus) async throws -> Response {
        guard let detail = try await request.register.study(cpmsID) else {
            throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).")
        }
        let organisations = try await request.register.organisationChoices()
        let records = try await request.register.siteRecords(.study(cpmsID)).filter(\.site.role.recruits)
        let performance = records.isEmpty ? nil : PerformanceSection(study: records, on: Day.today(), rules: try await request.register.metricRules())
        let history = try await AuditTrail(database: request.db).events(recordTypes: AuditSubject.studyRecordTypes, keyPrefix: String(cpmsID), limit: 50)
        return StudyDetailPage(detail: detail, organisations: organisations, partnerForm: partnerForm, performance: performance, history: history).render(hostName: try await request.hostName()).response(status)
    }

    func newForm(request: Request) async throws -> Response {
        try await formPage(request, cpmsID: nil, form: FormState(values: ["route": StudyRoute.nonCommercial.rawValue]), status: .ok)
    }

    func editForm(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        guard let study = try await request.register.study(cpmsID)?.study else {
            throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).")
        }
        let values = Dictionary(uniqueKeysWithValues: zip(Study.columns.map(\.name), study.csvFields))
            .merging(["themes": study.themes.joined(separator: "; ")]) { $1 }
        return try await formPage(request, cpmsID: cpmsID, form: FormState(values: values), status: .ok)
    }

    func create(request: Request) async throws -> Response {
        try await save(request, cpmsID: nil)
    }

    func update(request: Request) async throws -> Response {
        try await save(request, cpmsID: request.cpmsParameter())
    }

    private func save(_ request: Request, cpmsID: Int?) async throws -> Response {
        var values = try request.formValues()
        if let cpmsID { values["cpms_id"] = String(cpmsID) }
        var row = RowReader(values: values)
        do {
            guard let study = Study(reading: &row) else {
                return try await formPage(request, cpmsID: cpmsID, form: FormState(values: values, problems: row.problems), status: .unprocessableEntity)
            }
            try await request.register.save(study, cpmsID == nil ? .create : .update, by: request.auditContext)
            return seeOther(Paths.study(study.cpmsID))
        } catch let problem as FieldProblem {
            return try await formPage(request, cpmsID: cpmsID, form: FormState(values: values, problems: [problem]), status: .unprocessableEntity)
        }
    }

    private func formPage(_ request: Request, cpmsID: Int?, form: FormState, status: HTTPStatus) async throws -> Response {
        let organisations = try await request.register.organisationChoices()
        return StudyFormPage(cpmsID: cpmsID, form: form, organisations: organisations).render(hostName: try await request.hostName()).response(status)
    }

    func addPartner(request: Request) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        let values = try request.formValues()
        var row = RowReader(values: values)
        let code = row.odsCode("ods_code", required: true)
        let role = row.code("role", PartnerRole.self, required: true)
        guard let code, let role else {
            return try await studyPage(request, cpmsID: cpmsID, partnerForm: FormState(values: values, problems: row.problems), status: .unprocessableEntity)
        }
        do {
            try await request.register.addPartner(cpmsID: cpmsID, odsCode: code, role: role, by: request.auditContext)
        } catch let problem as FieldProblem {
            if problem.column == "cpms_id" { throw Abort(.notFound, reason: problem.message) }
            return try await studyPage(request, cpmsID: cpmsID, partnerForm: FormState(values: values, problems: [problem]), status: .unprocessableEntity)
        }
        return seeOther(Paths.study(cpmsID))
    }
}
