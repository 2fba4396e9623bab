import PaceCore
import PaceStore
import Vapor

/// A site's amendments: the list with each one's assessment window, recording, changing and removing one.
struct AmendmentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let amendments = routes.grouped("studies", ":cpms", "sites", ":ods", "amendments")
        amendments.get(use: list).requires(.readStudy)
        amendments.post(use: record).requires(.changePortfolio)
        amendments.get(":ref", "edit", use: edit).requires(.changePortfolio)
        amendments.post(":ref", use: update).requires(.changePortfolio)
        amendments.post(":ref", "remove", use: remove).requires(.changePortfolio)
    }

    private func listPage(_ request: Request) async throws -> (SiteAmendmentsPage, [Amendment]) {
        let (cpmsID, odsCode) = (try request.cpmsParameter(), try request.odsParameter())
        guard let detail = try await request.register.site(cpmsID: cpmsID, odsCode: odsCode, participantLimit: 0) else {
            throw Abort(.notFound, reason: "\(odsCode) is not a site of the study with CPMS ID \(cpmsID).")
        }
        let amendments = try await request.register.amendments(cpmsID: cpmsID, odsCode: odsCode)
        let rules = try await request.register.metricRules()
        let today = Day.today()
        let documents = try await GCPStore(database: request.db).documents(cpmsID: cpmsID)
        var page = SiteAmendmentsPage(detail: detail, assessments: AmendmentsReport.assessments(amendments, on: today, rules: rules).reversed(),
                                      rules: rules, documents: documents, today: today)
        page.form.values["received"] = today.iso
        return (page, amendments)
    }

    func list(request: Request) async throws -> Response {
        try await listPage(request).0.render(hostName: try await request.hostName()).response()
    }

    func record(request: Request) async throws -> Response {
        var (page, existing) = try await listPage(request)
        let site = page.detail.site
        return try await FormSubmission.record(request, fixed: ["cpms_id": String(site.cpmsID), "site_ods": site.siteODS]) { (amendment: Amendment, context) in
            if existing.contains(where: { $0.reference == amendment.reference }) {
                throw FieldProblem(column: "amendment_ref", message: "\(amendment.reference) is recorded at this site already: change it from the list")
            }
            try await request.register.save(amendment, .create, by: context)
        } done: { amendment in
            let due = AmendmentAssessment(amendment, on: Day.today(), rules: page.rules).due
            return ("Recorded: amendment \(amendment.reference). Its assessment is due by \(Show.longDate(due)).", Paths.siteAmendments(site.cpmsID, site.siteODS))
        } again: { form in
            page.form = form
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    private func formPage(_ request: Request) async throws -> AmendmentFormPage {
        let (page, amendments) = try await listPage(request)
        guard let reference = request.parameters.get("ref"), Amendment.referenceProblem(reference) == nil,
              let amendment = amendments.first(where: { $0.reference == reference }) else {
            throw Abort(.notFound, reason: "There is no such amendment at this site.")
        }
        let values = Dictionary(uniqueKeysWithValues: zip(Amendment.columns.map(\.name), amendment.csvFields))
        return AmendmentFormPage(detail: page.detail, amendment: amendment, form: FormState(values: values))
    }

    func edit(request: Request) async throws -> Response {
        try await formPage(request).render(hostName: try await request.hostName()).response()
    }

    func update(request: Request) async throws -> Response {
        var page = try await formPage(request)
        let site = page.detail.site
        let fixed = ["cpms_id": String(site.cpmsID), "site_ods": site.siteODS, "amendment_ref": page.amendment.reference]
        return try await FormSubmission.record(request, fixed: fixed) { (amendment: Amendment, context) in
            try await request.register.save(amendment, .update, by: context)
        } done: { amendment in
            ("Changes to amendment \(amendment.reference) saved.", Paths.siteAmendments(site.cpmsID, site.siteODS))
        } again: { form in
            page.form = form
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    func remove(request: Request) async throws -> Response {
        var page = try await formPage(request)
        let site = page.detail.site
        return try await FormSubmission.removal(request, remove: { context in
            try await request.register.removeAmendment(cpmsID: site.cpmsID, odsCode: site.siteODS, reference: page.amendment.reference, by: context)
        }, message: "Removed: amendment \(page.amendment.reference).", location: Paths.siteAmendments(site.cpmsID, site.siteODS)) { form in
            page.removal = form
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }
}
