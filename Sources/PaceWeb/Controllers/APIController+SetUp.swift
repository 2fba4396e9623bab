import PaceCore
import PaceStore
import Vapor

/// Set-up steps and amendments through the API: the same records, checks and audit as the pages and
/// `pace import set-up-steps` / `amendments`. A change is a PUT on the record's address; a removal
/// needs its reason in `X-Pace-Reason`.
extension APIController {
    func bootSetUp(_ api: any RoutesBuilder) {
        let site = api.grouped("studies", ":cpms", "sites", ":ods")
        site.get("set-up-steps", use: listSetUpSteps).requires(.readStudy)
        site.post("set-up-steps", use: createSetUpStep).requires(.changePortfolio)
        site.put("set-up-steps", ":step", use: updateSetUpStep).requires(.changePortfolio)
        site.delete("set-up-steps", ":step", use: removeSetUpStep).requires(.changePortfolio)
        site.get("amendments", use: listAmendments).requires(.readStudy)
        site.post("amendments", use: createAmendment).requires(.changePortfolio)
        site.put("amendments", ":ref", use: updateAmendment).requires(.changePortfolio)
        site.delete("amendments", ":ref", use: removeAmendment).requires(.changePortfolio)
    }

    func listSetUpSteps(request: Request) async throws -> Response {
        let (cpmsID, odsCode) = (try request.cpmsParameter(), try request.odsParameter())
        try await requireSite(request, cpmsID, odsCode)
        let steps = try await request.register.setUpSteps(cpmsID: cpmsID, odsCode: odsCode)
        return try JSONValue.object([("set_up_steps", .array(steps.map(JSONValue.record)))]).jsonResponse(status: .ok)
    }

    func createSetUpStep(request: Request) async throws -> Response {
        let (cpmsID, odsCode) = (try request.cpmsParameter(), try request.odsParameter())
        try await requireSite(request, cpmsID, odsCode)
        let step: SetUpStep = try read(request, overriding: ["cpms_id": String(cpmsID), "site_ods": odsCode])
        try await saving { try await request.register.save(step, .create, by: request.auditContext) }
        return try JSONValue.record(step).jsonResponse(status: .created)
    }

    func updateSetUpStep(request: Request) async throws -> Response {
        let (cpmsID, odsCode, code) = try setUpStepPath(request)
        let step: SetUpStep = try read(request, overriding: ["cpms_id": String(cpmsID), "site_ods": odsCode, "step": code])
        try await saving(notFoundOn: "step") { try await request.register.save(step, .update, by: request.auditContext) }
        return try JSONValue.record(step).jsonResponse(status: .ok)
    }

    func removeSetUpStep(request: Request) async throws -> Response {
        let (cpmsID, odsCode, code) = try setUpStepPath(request)
        try await saving(notFoundOn: "step") { try await request.register.removeSetUpStep(cpmsID: cpmsID, odsCode: odsCode, step: code, by: request.auditContext) }
        return Response(status: .noContent)
    }

    func listAmendments(request: Request) async throws -> Response {
        let (cpmsID, odsCode) = (try request.cpmsParameter(), try request.odsParameter())
        try await requireSite(request, cpmsID, odsCode)
        let amendments = try await request.register.amendments(cpmsID: cpmsID, odsCode: odsCode)
        let rules = try await request.register.metricRules()
        let today = Day.today()
        return try JSONValue.object([("amendments", .array(amendments.map { amendment in
            let assessment = AmendmentAssessment(amendment, on: today, rules: rules)
            guard case .object(let members) = JSONValue.record(amendment) else { return JSONValue.record(amendment) }
            return .object(members + [("assessment_due", .string(assessment.due.iso)), ("overdue", .boolean(assessment.overdue))])
        }))]).jsonResponse(status: .ok)
    }

    func createAmendment(request: Request) async throws -> Response {
        let (cpmsID, odsCode) = (try request.cpmsParameter(), try request.odsParameter())
        try await requireSite(request, cpmsID, odsCode)
        let amendment: Amendment = try read(request, overriding: ["cpms_id": String(cpmsID), "site_ods": odsCode])
        try await saving { try await request.register.save(amendment, .create, by: request.auditContext) }
        return try JSONValue.record(amendment).jsonResponse(status: .created)
    }

    func updateAmendment(request: Request) async throws -> Response {
        let (cpmsID, odsCode, reference) = try amendmentPath(request)
        let amendment: Amendment = try read(request, overriding: ["cpms_id": String(cpmsID), "site_ods": odsCode, "amendment_ref": reference])
        try await saving(notFoundOn: "amendment_ref") { try await request.register.save(amendment, .update, by: request.auditContext) }
        return try JSONValue.record(amendment).jsonResponse(status: .ok)
    }

    func removeAmendment(request: Request) async throws -> Response {
        let (cpmsID, odsCode, reference) = try amendmentPath(request)
        try await saving(notFoundOn: "amendment_ref") {
            try await request.register.removeAmendment(cpmsID: cpmsID, odsCode: odsCode, reference: reference, by: request.auditContext)
        }
        return Response(status: .noContent)
    }

    private func setUpStepPath(_ request: Request) throws -> (Int, String, String) {
        let (cpmsID, odsCode) = (try request.cpmsParameter(), try request.odsParameter())
        guard let code = request.parameters.get("step"), SetUpStepKind.codeProblem(code) == nil else {
            throw Abort(.notFound, reason: "There is no such set-up step at this site.")
        }
        return (cpmsID, odsCode, code)
    }

    private func amendmentPath(_ request: Request) throws -> (Int, String, String) {
        let (cpmsID, odsCode) = (try request.cpmsParameter(), try request.odsParameter())
        guard let reference = request.parameters.get("ref"), Amendment.referenceProblem(reference) == nil else {
            throw Abort(.notFound, reason: "There is no such amendment at this site.")
        }
        return (cpmsID, odsCode, reference)
    }
}
