import PaceCore
import PaceStore
import Vapor

/// A study's sites: adding one, its page, its milestones, and recording recruitment there.
struct SiteController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let sites = routes.grouped("studies", ":cpms", "sites")
        sites.get("new", use: newForm).requires(.changePortfolio)
        sites.post(use: create).requires(.changePortfolio)
        sites.get(":ods", use: show).requires(.readStudy)
        sites.get(":ods", "edit", use: editForm).requires(.changePortfolio)
        sites.post(":ods", "edit", use: update).requires(.changePortfolio)
        sites.post(":ods", "participants", use: recordParticipant).requires(.recordRecruitment)
        sites.post(":ods", "counts", use: recordCount).requires(.recordRecruitment)
    }

    func show(request: Request) async throws -> Response {
        let page = try await sitePage(request)
        return page.render(hostName: try await request.hostName()).response()
    }

    private func sitePage(_ request: Request) async throws -> SiteDetailPage {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        guard let detail = try await request.register.site(cpmsID: cpmsID, odsCode: odsCode) else {
            throw Abort(.notFound, reason: "\(odsCode) is not a site of the study with CPMS ID \(cpmsID).")
        }
        // A study team or monitor chooses the identifying PIC from their own studies' organisations only.
        var page = SiteDetailPage(detail: detail, organisations: try await request.organisationChoices(ofStudies: request.visibleStudies))
        page.hostODS = request.configuration.hostODS
        let rules = try await request.register.metricRules()
        page.rules = rules
        if let record = try await request.register.siteRecords(.study(cpmsID)).first(where: { $0.site.siteODS == odsCode }) {
            page.performance = PerformanceSection(site: record, on: page.today, rules: rules)
            page.measures = record.measures(on: page.today, rules: rules)
        }
        return page
    }

    func newForm(request: Request) async throws -> Response {
        try await formPage(request, siteODS: nil, form: FormState(values: ["role": SiteRole.recruiting.rawValue]), status: .ok)
    }

    func editForm(request: Request) async throws -> Response {
        let page = try await sitePage(request)
        let values = Dictionary(uniqueKeysWithValues: zip(Site.columns.map(\.name), page.detail.site.csvFields))
        return try await formPage(request, siteODS: page.detail.site.siteODS, form: FormState(values: values), status: .ok)
    }

    func create(request: Request) async throws -> Response {
        try await save(request, siteODS: nil)
    }

    func update(request: Request) async throws -> Response {
        try await save(request, siteODS: request.odsParameter())
    }

    private func save(_ request: Request, siteODS: String?) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        var values = try request.formValues()
        values["cpms_id"] = String(cpmsID)
        if let siteODS { values["site_ods"] = siteODS }
        var row = RowReader(values: values)
        do {
            guard let site = Site(reading: &row) else {
                return try await formPage(request, siteODS: siteODS, form: FormState(values: values, problems: row.problems), status: .unprocessableEntity)
            }
            try await request.register.save(site, siteODS == nil ? .create : .update, by: request.auditContext.because(values["reason"]))
            try await request.leaveMessage(siteODS == nil ? "Site added." : "Changes to the site saved.")
            return seeOther(Paths.site(cpmsID, site.siteODS))
        } catch let problem as FieldProblem {
            if problem.column == "cpms_id" { throw Abort(.notFound, reason: problem.message) }
            return try await formPage(request, siteODS: siteODS, form: FormState(values: values, problems: [problem]), status: .unprocessableEntity)
        }
    }

    private func formPage(_ request: Request, siteODS: String?, form: FormState, status: HTTPStatus) async throws -> Response {
        let cpmsID = try request.cpmsParameter()
        guard let study = try await request.register.study(cpmsID)?.study else {
            throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).")
        }
        let organisations = try await request.organisationChoices()
        return SiteFormPage(cpmsID: cpmsID, studyShortName: study.shortName, siteODS: siteODS, form: form, organisations: organisations)
            .render(hostName: try await request.hostName()).response(status)
    }

    func recordParticipant(request: Request) async throws -> Response {
        var page = try await sitePage(request)
        let site = page.detail.site
        var values = try request.formValues()
        values["cpms_id"] = String(site.cpmsID)
        values["site_ods"] = site.siteODS
        var row = RowReader(values: values)
        do {
            guard let participant = Participant(reading: &row) else {
                page.participantForm = FormState(values: values, problems: row.problems)
                return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
            }
            try await request.register.save(participant, .create, by: request.auditContext)
            try await request.leaveMessage("Recorded: participant \(participant.participantID).")
            return seeOther(Paths.site(site.cpmsID, site.siteODS))
        } catch let problem as FieldProblem {
            page.participantForm = FormState(values: values, problems: [problem])
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    func recordCount(request: Request) async throws -> Response {
        var page = try await sitePage(request)
        let site = page.detail.site
        var values = try request.formValues()
        values["cpms_id"] = String(site.cpmsID)
        values["site_ods"] = site.siteODS
        var row = RowReader(values: values)
        do {
            guard let count = RecruitmentCount(reading: &row) else {
                page.countForm = FormState(values: values, problems: row.problems)
                return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
            }
            try await request.register.save(count, .create, by: request.auditContext)
            try await request.leaveMessage("Recorded: \(count.count) recruited from \(Show.longDate(count.periodStart)) to \(Show.longDate(count.periodEnd)).")
            return seeOther(Paths.site(site.cpmsID, site.siteODS))
        } catch let problem as FieldProblem {
            page.countForm = FormState(values: values, problems: [problem])
            page.countNeedsConfirmation = problem.needsConfirmation
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }
}
