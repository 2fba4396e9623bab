import PaceCore
import PaceStore
import Vapor

struct OrganisationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let organisations = routes.grouped("organisations")
        organisations.get(use: list).requires(.readPortfolio)
        organisations.get("new", use: newForm).requires(.changePortfolio)
        organisations.post(use: create).requires(.changePortfolio)
        organisations.get(":ods", use: show).requires(.readPortfolio)
    }

    func list(request: Request) async throws -> Response {
        OrganisationListPage(organisations: try await request.register.organisations()).render(hostName: try await request.hostName()).response()
    }

    func show(request: Request) async throws -> Response {
        let odsCode = try request.odsParameter()
        guard let organisation = try await request.register.organisation(odsCode) else {
            throw Abort(.notFound, reason: "There is no organisation with code \(odsCode).")
        }
        return OrganisationDetailPage(organisation: organisation, studies: try await request.register.studies(of: odsCode))
            .render(hostName: try await request.hostName()).response()
    }

    func newForm(request: Request) async throws -> Response {
        OrganisationFormPage(form: FormState()).render(hostName: try await request.hostName()).response()
    }

    func create(request: Request) async throws -> Response {
        let values = try request.formValues()
        var row = RowReader(values: values)
        do {
            guard let organisation = Organisation(reading: &row) else {
                return OrganisationFormPage(form: FormState(values: values, problems: row.problems)).render(hostName: try await request.hostName()).response(.unprocessableEntity)
            }
            try await request.register.save(organisation, .create, by: request.auditContext)
            try await request.leaveMessage("\(organisation.name) added.")
            return seeOther(Paths.organisation(organisation.odsCode))
        } catch let problem as FieldProblem {
            return OrganisationFormPage(form: FormState(values: values, problems: [problem])).render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }
}
