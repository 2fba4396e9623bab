import PaceCore
import PaceStore
import Vapor

/// Set-up at each site: the board, recording and changing steps, every site in set-up, and the
/// office's own list of steps.
struct SetUpController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("set-up", use: portfolio).requires(.readPortfolio)
        routes.get("set-up", "steps", use: stepKinds).requires(.readPortfolio)
        routes.post("set-up", "steps", use: addStepKind).requires(.changePortfolio)
        let site = routes.grouped("studies", ":cpms", "sites", ":ods", "set-up")
        site.get(use: board).requires(.readStudy)
        site.post(use: recordStep).requires(.changePortfolio)
        site.get(":step", "edit", use: editStep).requires(.changePortfolio)
        site.post(":step", use: updateStep).requires(.changePortfolio)
        site.post(":step", "remove", use: removeStep).requires(.changePortfolio)
    }

    func portfolio(request: Request) async throws -> Response {
        let values = try request.queryValues()
        let kinds = try await request.register.setUpStepKinds()
        var form = FormState(values: ["step": values["step"] ?? "", "held_by": values["held_by"] ?? ""])
        var step: String?
        var holder: SetUpHolder?
        if let text = values["step"], !text.isEmpty {
            if kinds.contains(where: { $0.code == text }) { step = text } else { form.problems.append(FieldProblem(column: "step", message: "is not a step in the office's list")) }
        }
        if let text = values["held_by"], !text.isEmpty {
            if let found = SetUpHolder(rawValue: text) { holder = found } else { form.problems.append(FieldProblem(column: "held_by", message: "must be the trust or the sponsor")) }
        }
        let host = request.configuration.hostODS
        let today = Day.today()
        let rows = form.hasProblems ? [] : SetUpPortfolio.sites(
            try await request.register.siteSnapshots(.organisation(host), on: today, windowDays: 1), steps: try await request.register.setUpSteps(.organisation(host)),
            kinds: kinds, rules: try await request.register.metricRules(), today: today, step: step, holder: holder)
        let page = SetUpPortfolioPage(rows: rows, kinds: kinds, form: form, today: today)
        return page.render(hostName: try await request.hostName()).response(form.hasProblems ? .badRequest : .ok)
    }

    func stepKinds(request: Request) async throws -> Response {
        SetUpStepKindsPage(kinds: try await request.register.setUpStepKinds()).render(hostName: try await request.hostName()).response()
    }

    func addStepKind(request: Request) async throws -> Response {
        let values = try request.formValues()
        var form = FormState(values: values)
        guard let holder = SetUpHolder(rawValue: values["held_by"] ?? "") else {
            form.problems = [FieldProblem(column: "held_by", message: "is required")]
            return SetUpStepKindsPage(kinds: try await request.register.setUpStepKinds(), form: form).render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
        do {
            let kind = try await request.register.addSetUpStepKind(name: values["name"] ?? "", usualHolder: holder, by: request.auditContext)
            try await request.leaveMessage("Added to the list of set-up steps: \(kind.name).")
            return seeOther(Paths.setUpStepKinds)
        } catch let problem as FieldProblem {
            form.problems = [problem]
            return SetUpStepKindsPage(kinds: try await request.register.setUpStepKinds(), form: form).render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    private func boardPage(_ request: Request) async throws -> SetUpBoardPage {
        let (cpmsID, odsCode) = (try request.cpmsParameter(), try request.odsParameter())
        guard let detail = try await request.register.site(cpmsID: cpmsID, odsCode: odsCode, participantLimit: 0) else {
            throw Abort(.notFound, reason: "\(odsCode) is not a site of the study with CPMS ID \(cpmsID).")
        }
        let kinds = try await request.register.setUpStepKinds()
        let steps = try await request.register.setUpSteps(cpmsID: cpmsID, odsCode: odsCode)
        let record = try await request.register.siteRecords(.study(cpmsID)).first { $0.site.siteODS == odsCode }
        let today = Day.today()
        let board = SetUpBoard(site: detail.site, steps: steps, firstParticipant: record?.history.firstDay ?? detail.site.firstParticipantRecruited,
                               today: today, rules: try await request.register.metricRules(), kinds: kinds)
        var page = SetUpBoardPage(detail: detail, board: board, kinds: kinds, today: today)
        page.form.values["started"] = today.iso
        return page
    }

    func board(request: Request) async throws -> Response {
        try await boardPage(request).render(hostName: try await request.hostName()).response()
    }

    func recordStep(request: Request) async throws -> Response {
        var page = try await boardPage(request)
        let site = page.detail.site
        let held = page.board.entries.map(\.step)
        let taken = Set(held.map(\.step))
        return try await FormSubmission.record(request, fixed: ["cpms_id": String(site.cpmsID), "site_ods": site.siteODS]) { (step: SetUpStep, context) in
            var step = step
            // A step already here is recorded again once it is done (a second query, a contract sent back);
            // while it is open, it is changed rather than doubled.
            let earlier = held.filter { SetUpStepKind.isInstance($0.step, of: step.step) }
            if let open = earlier.first(where: \.isOpen) {
                throw FieldProblem(column: "step", message: "\(SetUpStepKind.name(of: open.step, in: page.kinds)) is open at this site already: change it, or complete it before recording it again")
            }
            if !earlier.isEmpty { step.step = SetUpStepKind.nextCode(for: step.step, taken: taken) }
            try await request.register.save(step, .create, by: context)
        } done: { step in
            let name = SetUpStepKind.name(of: step.step, in: page.kinds)
            return (step.completed.map { "Recorded: \(name), completed \(Show.longDate($0))." } ?? "Recorded: \(name), open.", Paths.siteSetUp(site.cpmsID, site.siteODS))
        } again: { form in
            page.form = form
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    private func stepPage(_ request: Request) async throws -> SetUpStepFormPage {
        let board = try await boardPage(request)
        guard let code = request.parameters.get("step"), SetUpStepKind.codeProblem(code) == nil,
              let step = board.board.entries.first(where: { $0.step.step == code })?.step else {
            throw Abort(.notFound, reason: "There is no such set-up step at this site.")
        }
        let values = Dictionary(uniqueKeysWithValues: zip(SetUpStep.columns.map(\.name), step.csvFields))
        return SetUpStepFormPage(detail: board.detail, step: step, kinds: board.kinds, form: FormState(values: values))
    }

    func editStep(request: Request) async throws -> Response {
        try await stepPage(request).render(hostName: try await request.hostName()).response()
    }

    func updateStep(request: Request) async throws -> Response {
        var page = try await stepPage(request)
        let site = page.detail.site
        return try await FormSubmission.record(request, fixed: ["cpms_id": String(site.cpmsID), "site_ods": site.siteODS, "step": page.step.step]) { (step: SetUpStep, context) in
            try await request.register.save(step, .update, by: context)
        } done: { step in
            let name = SetUpStepKind.name(of: step.step, in: page.kinds)
            return (step.completed.map { "\(name) completed \(Show.longDate($0))." } ?? "Changes to \(name) saved.", Paths.siteSetUp(site.cpmsID, site.siteODS))
        } again: { form in
            page.form = form
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    func removeStep(request: Request) async throws -> Response {
        var page = try await stepPage(request)
        let site = page.detail.site
        return try await FormSubmission.removal(request, remove: { context in
            try await request.register.removeSetUpStep(cpmsID: site.cpmsID, odsCode: site.siteODS, step: page.step.step, by: context)
        }, message: "Removed: \(SetUpStepKind.name(of: page.step.step, in: page.kinds)).", location: Paths.siteSetUp(site.cpmsID, site.siteODS)) { form in
            page.removal = form
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }
}
