import PaceCore
import PaceStore
import Vapor

/// Correcting and removing records from the browser, each with a reason for the audit trail. A
/// participant is addressed by its row number: the pseudonym never goes into an address.
struct CorrectionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let site = routes.grouped("studies", ":cpms", "sites", ":ods")
        site.get("participants", ":row", "correct", use: participantForm).requires(.recordRecruitment)
        site.post("participants", ":row", "correct", use: correctParticipant).requires(.recordRecruitment)
        site.get("participants", ":row", "remove", use: participantRemovalForm).requires(.recordRecruitment)
        site.post("participants", ":row", "remove", use: removeParticipant).requires(.recordRecruitment)
        site.get("counts", ":start", "correct", use: countForm).requires(.recordRecruitment)
        site.post("counts", ":start", "correct", use: correctCount).requires(.recordRecruitment)
        site.get("counts", ":start", "remove", use: countRemovalForm).requires(.recordRecruitment)
        site.post("counts", ":start", "remove", use: removeCount).requires(.recordRecruitment)
        site.get("remove", use: siteRemovalForm).requires(.changePortfolio)
        site.post("remove", use: removeSite).requires(.changePortfolio)
        routes.get("studies", ":cpms", "remove", use: studyRemovalForm).requires(.changePortfolio)
        routes.post("studies", ":cpms", "remove", use: removeStudy).requires(.changePortfolio)
        routes.get("organisations", ":ods", "remove", use: organisationRemovalForm).requires(.changePortfolio)
        routes.post("organisations", ":ods", "remove", use: removeOrganisation).requires(.changePortfolio)
    }

    // MARK: Participants

    func participantForm(request: Request) async throws -> Response {
        let (place, rowID, participant) = try await participant(request)
        let values = Dictionary(uniqueKeysWithValues: zip(Participant.columns.map(\.name), participant.csvFields))
        return try await participantPage(request, place, rowID, participant, FormState(values: values), .ok)
    }

    func correctParticipant(request: Request) async throws -> Response {
        let (place, rowID, stored) = try await participant(request)
        var values = try request.formValues()
        values["cpms_id"] = String(place.cpmsID)
        values["site_ods"] = place.siteODS
        values["participant_id"] = stored.participantID
        var row = RowReader(values: values)
        guard let participant = Participant(reading: &row) else {
            return try await participantPage(request, place, rowID, stored, FormState(values: values, problems: row.problems), .unprocessableEntity)
        }
        do {
            try await request.register.correct(participant, by: request.auditContext.because(values["reason"]))
        } catch let problem as FieldProblem {
            return try await participantPage(request, place, rowID, stored, FormState(values: values, problems: [problem]), .unprocessableEntity)
        }
        try await request.leaveMessage("Corrected: participant \(participant.participantID), now \(participant.status.label.lowercased()).")
        return seeOther(place.sitePath)
    }

    func participantRemovalForm(request: Request) async throws -> Response {
        let (place, rowID, participant) = try await participant(request)
        return try await participantRemovalPage(request, place, rowID, participant, FormState(), .ok)
    }

    func removeParticipant(request: Request) async throws -> Response {
        let (place, rowID, participant) = try await participant(request)
        let values = try request.formValues()
        do {
            try await request.register.removeParticipant(cpmsID: place.cpmsID, odsCode: place.siteODS, participantID: participant.participantID,
                                                         by: request.auditContext.because(values["reason"]))
        } catch let problem as FieldProblem {
            return try await participantRemovalPage(request, place, rowID, participant, FormState(values: values, problems: [problem]), .unprocessableEntity)
        }
        try await request.leaveMessage("Removed: participant \(participant.participantID). The audit trail keeps the record and your reason.")
        return seeOther(place.sitePath)
    }

    private func participant(_ request: Request) async throws -> (RecruitmentPlace, Int, Participant) {
        let place = try await place(request)
        guard let text = request.parameters.get("row"), let rowID = Int(text), rowID > 0,
              let participant = try await request.register.participant(rowID: rowID, cpmsID: place.cpmsID, odsCode: place.siteODS) else {
            throw Abort(.notFound, reason: "There is no such participant record at this site.")
        }
        return (place, rowID, participant)
    }

    private func participantPage(_ request: Request, _ place: RecruitmentPlace, _ rowID: Int, _ participant: Participant, _ form: FormState, _ status: HTTPStatus) async throws -> Response {
        let organisations = try await request.organisationChoices(ofStudies: request.visibleStudies)
        return ParticipantCorrectionPage(place: place, rowID: rowID, participantID: participant.participantID, form: form, organisations: organisations)
            .render(hostName: try await request.hostName()).response(status)
    }

    private func participantRemovalPage(_ request: Request, _ place: RecruitmentPlace, _ rowID: Int, _ participant: Participant, _ form: FormState, _ status: HTTPStatus) async throws -> Response {
        RemovalPage(
            title: "Remove a participant record", back: (place.caption, place.sitePath),
            facts: [
                ("Participant", participant.participantID), ("Status", participant.status.label),
                ("Consented", participant.consentDate?.longText ?? "—"), ("Recruited", participant.recruitedDate?.longText ?? "—"),
            ],
            action: Paths.participantRemoval(place.cpmsID, place.siteODS, rowID), form: form
        ).render(hostName: try await request.hostName()).response(status)
    }

    // MARK: Counts

    func countForm(request: Request) async throws -> Response {
        let (place, count) = try await count(request)
        let values = Dictionary(uniqueKeysWithValues: zip(RecruitmentCount.columns.map(\.name), count.csvFields))
        return try await CountCorrectionPage(place: place, periodStart: count.periodStart, form: FormState(values: values))
            .render(hostName: request.hostName()).response()
    }

    func correctCount(request: Request) async throws -> Response {
        let (place, stored) = try await count(request)
        var values = try request.formValues()
        values["cpms_id"] = String(place.cpmsID)
        values["site_ods"] = place.siteODS
        values["period_start"] = stored.periodStart.iso
        var row = RowReader(values: values)
        var page = CountCorrectionPage(place: place, periodStart: stored.periodStart, form: FormState(values: values))
        guard let count = RecruitmentCount(reading: &row) else {
            page = CountCorrectionPage(place: place, periodStart: stored.periodStart, form: FormState(values: values, problems: row.problems))
            return try await page.render(hostName: request.hostName()).response(.unprocessableEntity)
        }
        do {
            try await request.register.correct(count, by: request.auditContext.because(values["reason"]))
        } catch let problem as FieldProblem {
            page = CountCorrectionPage(place: place, periodStart: stored.periodStart, form: FormState(values: values, problems: [problem]), needsConfirmation: problem.needsConfirmation)
            return try await page.render(hostName: request.hostName()).response(.unprocessableEntity)
        }
        try await request.leaveMessage("Corrected: the count from \(count.periodStart.longText) is now \(count.count), to \(count.periodEnd.longText).")
        return seeOther(place.sitePath)
    }

    func countRemovalForm(request: Request) async throws -> Response {
        let (place, count) = try await count(request)
        return try await countRemovalPage(request, place, count, FormState(), .ok)
    }

    func removeCount(request: Request) async throws -> Response {
        let (place, count) = try await count(request)
        let values = try request.formValues()
        do {
            try await request.register.removeCount(cpmsID: place.cpmsID, odsCode: place.siteODS, periodStart: count.periodStart, by: request.auditContext.because(values["reason"]))
        } catch let problem as FieldProblem {
            return try await countRemovalPage(request, place, count, FormState(values: values, problems: [problem]), .unprocessableEntity)
        }
        try await request.leaveMessage("Removed: the count of \(count.count) from \(count.periodStart.longText) to \(count.periodEnd.longText). The audit trail keeps it and your reason.")
        return seeOther(place.sitePath)
    }

    private func count(_ request: Request) async throws -> (RecruitmentPlace, RecruitmentCount) {
        let place = try await place(request)
        guard let text = request.parameters.get("start"), let start = Day(iso: text),
              let count = try await request.register.count(cpmsID: place.cpmsID, odsCode: place.siteODS, periodStart: start) else {
            throw Abort(.notFound, reason: "There is no count for that period at this site.")
        }
        return (place, count)
    }

    private func countRemovalPage(_ request: Request, _ place: RecruitmentPlace, _ count: RecruitmentCount, _ form: FormState, _ status: HTTPStatus) async throws -> Response {
        RemovalPage(
            title: "Remove a recruitment count", back: (place.caption, place.sitePath),
            facts: [("Period", RecruitmentPlausibility.period(count.periodStart...max(count.periodStart, count.periodEnd))), ("Recruited", String(count.count))],
            action: Paths.countRemoval(place.cpmsID, place.siteODS, count.periodStart), form: form
        ).render(hostName: try await request.hostName()).response(status)
    }

    // MARK: Sites, studies and organisations nothing depends on

    func siteRemovalForm(request: Request) async throws -> Response {
        try await siteRemovalPage(request, try await place(request), FormState(), .ok)
    }

    func removeSite(request: Request) async throws -> Response {
        let place = try await place(request)
        let values = try request.formValues()
        do {
            try await request.register.removeSite(cpmsID: place.cpmsID, odsCode: place.siteODS, by: request.auditContext.because(values["reason"]))
        } catch let problem as FieldProblem {
            return try await siteRemovalPage(request, place, FormState(values: values, problems: [problem.onReason]), .unprocessableEntity)
        } catch let inUse as RecordInUse {
            return try await siteRemovalPage(request, place, FormState(values: values, problems: [FieldProblem(column: "reason", message: inUse.message)]), .conflict)
        }
        try await request.leaveMessage("Removed: \(place.organisationName) as a site of \(place.studyShortName).")
        return seeOther(Paths.study(place.cpmsID))
    }

    private func siteRemovalPage(_ request: Request, _ place: RecruitmentPlace, _ form: FormState, _ status: HTTPStatus) async throws -> Response {
        RemovalPage(
            title: "Remove a site", back: (place.caption, place.sitePath),
            facts: [("Study", "\(place.studyShortName) (CPMS \(place.cpmsID))"), ("Site", "\(place.organisationName) (\(place.siteODS))")],
            action: Paths.siteRemoval(place.cpmsID, place.siteODS), form: form
        ).render(hostName: try await request.hostName()).response(status)
    }

    func studyRemovalForm(request: Request) async throws -> Response {
        let (cpmsID, study) = try await study(request)
        return try await studyRemovalPage(request, cpmsID, study, FormState(), .ok)
    }

    func removeStudy(request: Request) async throws -> Response {
        let (cpmsID, study) = try await study(request)
        let values = try request.formValues()
        do {
            try await request.register.removeStudy(cpmsID: cpmsID, by: request.auditContext.because(values["reason"]))
        } catch let problem as FieldProblem {
            return try await studyRemovalPage(request, cpmsID, study, FormState(values: values, problems: [problem.onReason]), .unprocessableEntity)
        } catch let inUse as RecordInUse {
            return try await studyRemovalPage(request, cpmsID, study, FormState(values: values, problems: [FieldProblem(column: "reason", message: inUse.message)]), .conflict)
        }
        try await request.leaveMessage("Removed: \(study.shortName) (CPMS \(cpmsID)).")
        return seeOther(Paths.studies)
    }

    private func study(_ request: Request) async throws -> (Int, Study) {
        let cpmsID = try request.cpmsParameter()
        guard let study = try await request.register.study(cpmsID)?.study else {
            throw Abort(.notFound, reason: "There is no study with CPMS ID \(cpmsID).")
        }
        return (cpmsID, study)
    }

    private func studyRemovalPage(_ request: Request, _ cpmsID: Int, _ study: Study, _ form: FormState, _ status: HTTPStatus) async throws -> Response {
        RemovalPage(
            title: "Remove a study", back: (study.shortName, Paths.study(cpmsID)),
            facts: [("Study", study.shortName), ("CPMS ID", String(cpmsID)), ("Title", study.title ?? "—")],
            action: Paths.studyRemoval(cpmsID), form: form
        ).render(hostName: try await request.hostName()).response(status)
    }

    func organisationRemovalForm(request: Request) async throws -> Response {
        try await organisationRemovalPage(request, try await organisation(request), FormState(), .ok)
    }

    func removeOrganisation(request: Request) async throws -> Response {
        let organisation = try await organisation(request)
        let values = try request.formValues()
        do {
            try await request.register.removeOrganisation(odsCode: organisation.odsCode, by: request.auditContext.because(values["reason"]))
        } catch let problem as FieldProblem {
            return try await organisationRemovalPage(request, organisation, FormState(values: values, problems: [problem.onReason]), .unprocessableEntity)
        } catch let inUse as RecordInUse {
            return try await organisationRemovalPage(request, organisation, FormState(values: values, problems: [FieldProblem(column: "reason", message: inUse.message)]), .conflict)
        }
        try await request.leaveMessage("Removed: \(organisation.name) (\(organisation.odsCode)).")
        return seeOther(Paths.organisations)
    }

    private func organisation(_ request: Request) async throws -> Organisation {
        let odsCode = try request.odsParameter()
        guard let organisation = try await request.register.organisation(odsCode) else {
            throw Abort(.notFound, reason: "There is no organisation with code \(odsCode).")
        }
        return organisation
    }

    private func organisationRemovalPage(_ request: Request, _ organisation: Organisation, _ form: FormState, _ status: HTTPStatus) async throws -> Response {
        RemovalPage(
            title: "Remove an organisation", back: (organisation.name, Paths.organisation(organisation.odsCode)),
            facts: [("Organisation", organisation.name), ("Code", organisation.odsCode), ("Type", organisation.type.label)],
            action: Paths.organisationRemoval(organisation.odsCode), form: form
        ).render(hostName: try await request.hostName()).response(status)
    }

    private func place(_ request: Request) async throws -> RecruitmentPlace {
        let cpmsID = try request.cpmsParameter()
        let odsCode = try request.odsParameter()
        guard let detail = try await request.register.site(cpmsID: cpmsID, odsCode: odsCode, participantLimit: 0) else {
            throw Abort(.notFound, reason: "\(odsCode) is not a site of the study with CPMS ID \(cpmsID).")
        }
        return RecruitmentPlace(cpmsID: cpmsID, siteODS: odsCode, studyShortName: detail.studyShortName, organisationName: detail.organisation.name)
    }
}

extension FieldProblem {
    /// A refusal about the record as a whole, shown beside the only field a removal form has.
    var onReason: FieldProblem {
        FieldProblem(column: "reason", message: message, needsConfirmation: needsConfirmation)
    }
}
