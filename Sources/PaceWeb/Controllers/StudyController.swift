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

    /// The study list's filters from the query. An empty value means "any" (as a form's blank choice
    /// sends it); a value Pace does not recognise is refused with 400 naming the parameter, rather than
    /// silently listing every study.
    static func filter(from query: [String: String]) throws -> StudyFilter {
        func choice<Value>(_ name: String, _ make: (String) -> Value?, _ allowed: @autoclosure () -> [String]) throws -> Value? {
            guard let text = query[name], !text.isEmpty else { return nil }
            guard let value = make(text) else {
                throw ParameterProblem(name, text, "must be one of: \(allowed().joined(separator: ", "))")
            }
            return value
        }
        var filter = StudyFilter()
        filter.phase = try choice("phase", StudyStatus.Phase.init(rawValue:), StudyStatus.Phase.allCases.map(\.rawValue))
        filter.status = try choice("status", StudyStatus.init(rawValue:), StudyStatus.allCases.map(\.rawValue))
        filter.route = try choice("route", StudyRoute.init(rawValue:), StudyRoute.allCases.map(\.rawValue))
        filter.design = try choice("design", StudyDesign.init(rawValue:), StudyDesign.allCases.map(\.rawValue))
        filter.theme = try queryText("theme", from: query)
        filter.partnerODS = try choice("partner", Identifiers.normalisedODSCode, ["an ODS code, e.g. RT5"])
        filter.hostRole = try choice("role", SiteRole.init(rawValue:), SiteRole.allCases.map(\.rawValue))
        filter.search = try queryText("q", from: query)
        filter.page = try integer("page", in: 1...1_000_000, from: query) ?? 1
        filter.perPage = try integer("per_page", in: 1...StudyFilter.perPageLimit, from: query) ?? 25
        return filter
    }

    func list(request: Request) async throws -> Response {
        let query = try request.queryValues()
        let register = request.register
        var filter: StudyFilter
        var problem: ParameterProblem?
        do {
            filter = try Self.filter(from: query)
        } catch let refused as ParameterProblem {
            // The list again with the message beside the filter, rather than a dead end.
            filter = StudyFilter()
            problem = refused
        }
        filter.onlyStudies = request.visibleStudies
        let page = problem == nil ? try await register.studies(filter, hostODS: request.configuration.hostODS, knownTotal: try await request.studyCount(filter)) : StudyPage.none
        // A study team or monitor sees the filter choices of their own studies only.
        let organisations = try await request.organisationChoices(ofStudies: request.visibleStudies)
        let themes = try await request.themeChoices(ofStudies: request.visibleStudies)
        return StudyListPage(page: page, query: query, themes: themes, organisations: organisations, hostODS: request.configuration.hostODS, problem: problem?.fieldProblem)
            .render(hostName: try await request.hostName()).response(problem == nil ? .ok : .badRequest)
    }

    func show(request: Request) async throws -> Response {
        try await studyPage(request, cpmsID: request.cpmsParameter(), partnerForm: FormState(), status: .ok)
    }

    private func studyPage(_ request: Request, cpmsID: Int, partnerForm: FormState, status: HTTPStatus) async throws -> Response {
        guard let detail = try await request.register.study(cpmsID) else {
            throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).")
        }
        let organisations = try await request.organisationChoices()
        let rules = try await request.register.metricRules()
        let allRecords = try await request.register.siteRecords(.study(cpmsID))
        let records = allRecords.filter(\.site.role.recruits)
        let performance = records.isEmpty ? nil : PerformanceSection(study: records, on: Day.today(), rules: rules)
        let history = try await AuditTrail(database: request.db).events(recordTypes: AuditSubject.studyRecordTypes, keyPrefix: String(cpmsID), limit: 50)
        var page = StudyDetailPage(detail: detail, organisations: organisations, partnerForm: partnerForm, performance: performance, history: history)
        page.rules = rules
        page.openSites = Set(allRecords.filter { $0.isOpen(on: page.today) }.map(\.site.siteODS))
        page.activeSites = Set(allRecords.filter { $0.isActive(on: page.today) }.map(\.site.siteODS))
        return page.render(hostName: try await request.hostName()).response(status)
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
            try await request.leaveMessage(cpmsID == nil ? "Study \(study.shortName) added." : "Changes to \(study.shortName) saved.")
            return seeOther(Paths.study(study.cpmsID))
        } catch let problem as FieldProblem {
            return try await formPage(request, cpmsID: cpmsID, form: FormState(values: values, problems: [problem]), status: .unprocessableEntity)
        }
    }

    private func formPage(_ request: Request, cpmsID: Int?, form: FormState, status: HTTPStatus) async throws -> Response {
        let organisations = try await request.organisationChoices()
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
        try await request.leaveMessage("Partner \(code) added as \(role.label.lowercased()).")
        return seeOther(Paths.study(cpmsID))
    }
}
