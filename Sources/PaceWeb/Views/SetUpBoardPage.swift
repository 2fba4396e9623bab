import PaceCore
import PaceStore
import Plot

/// A site's set-up board: the clock against the national timeframes, the open steps with who holds
/// them and the day each must finish by, what is done, and the form to record a step.
struct SetUpBoardPage {
    let detail: SiteDetail
    let board: SetUpBoard
    let kinds: [SetUpStepKind]
    var form = FormState(values: ["held_by": SetUpHolder.provider.rawValue])
    var today = Day.today()

    static let labels = [
        "step": "Step", "held_by": "Who holds it", "started": "Date started", "completed": "Date completed", "owner": "Owner", "outcome": "Outcome",
        "note": "Note", "site_ods": "Site", "cpms_id": "Study", "reason": "Reason",
    ]

    func render(hostName: String) -> HTML {
        let site = detail.site
        let title = "Set-up: \(detail.studyShortName) at \(detail.organisation.name)"
        let mayChange = PageContext.current.allows(.changePortfolio)
        return Layout(title: title, section: .setUp, hostName: hostName, breadcrumbs: [
            Crumb("Studies", Paths.studies), Crumb(detail.studyShortName, Paths.study(site.cpmsID)), Crumb(detail.organisation.name, Paths.site(site.cpmsID, site.siteODS)),
        ]).render(
            FormField.errorSummary(form, labels: Self.labels),
            .h1(.safe(title)),
            .p(.class("lede"), .safe(SetUpWords.clockSentence(board.clock))),
            // The open work first: it is what the set-up meeting goes through.
            openTable(mayChange: mayChange),
            .div(.class("grid-2"), waitingCard, mayChange ? .div(.class("card"), Self.stepForm(action: Paths.siteSetUp(site.cpmsID, site.siteODS), form: form, kinds: kinds, heading: "Record a set-up step", existing: nil)) : .empty),
            completedTable(mayChange: mayChange),
            .p(.a(.href(Paths.siteAmendments(site.cpmsID, site.siteODS)), .safe("Amendments at this site")),
               // The portfolio's lists are for the roles that read the whole portfolio.
               .if(PageContext.current.allows(.readPortfolio), .group(
                   .safe(" · "), .a(.href(Paths.setUp), .safe("Every site in set-up")), .safe(" · "), .a(.href(Paths.setUpTimeReport), .safe("Where the days go")))))
        )
    }

    private var waitingCard: Node<HTML.BodyContext> {
        let sponsor = board.waiting(on: .sponsor)
        let trust = board.waiting(on: .provider)
        let late = board.late(on: today)
        return .div(
            .class("card"), .attribute(named: "aria-labelledby", value: "waiting-heading"),
            .h2(.id("waiting-heading"), .safe("Who is waiting")),
            .dl(
                .class("facts"),
                Show.fact("HRA approval", Show.day(detail.site.hraApproval)),
                Show.fact("National clock", SetUpWords.clockShort(board.clock)),
                Show.fact("Open steps", board.open.isEmpty ? "None" : String(board.open.count)),
                Show.fact("Waiting on the sponsor", sponsor.isEmpty ? "Nothing" : sponsor.map { "\($0.name) (\(SetUpWords.days($0.days)))" }.joined(separator: "; ")),
                Show.fact("With the trust", trust.isEmpty ? "Nothing" : trust.map { "\($0.name) (\(SetUpWords.days($0.days)))" }.joined(separator: "; ")),
                Show.fact("Past their finish-by day", late.isEmpty ? "None" : late.map(\.name).joined(separator: "; "))
            )
        )
    }

    private func openTable(mayChange: Bool) -> Node<HTML.BodyContext> {
        .div(.class("card"), .h2(.safe("Open steps")), board.open.isEmpty ? .p(.safe("No set-up step is open.")) : Show.tableRegion("Open steps", .table(
            .thead(.tr(
                .th(.attribute(named: "scope", value: "col"), .safe("Step")), .th(.attribute(named: "scope", value: "col"), .safe("Held by")),
                .th(.attribute(named: "scope", value: "col"), .safe("Owner")), .th(.attribute(named: "scope", value: "col"), .safe("Started")),
                .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Days open")), .th(.attribute(named: "scope", value: "col"), .safe("Finish by")),
                .if(mayChange, .th(.attribute(named: "scope", value: "col"), .span(.class("visually-hidden"), .safe("Change"))))
            )),
            .tbody(.forEach(board.open) { entry in
                .tr(
                    .td(.safe(entry.name), .unwrap(entry.step.note) { .div(.class("hint"), .safe($0)) }),
                    .td(.class("nowrap"), SetUpWords.holderTag(entry.step.heldBy)),
                    .td(.safe(Show.text(entry.step.owner))),
                    .td(.class("nowrap"), .safe(entry.step.started.longText)),
                    .td(.class("number"), .safe(String(entry.days))),
                    .td(.class("nowrap"), SetUpWords.finishBy(entry, today: today)),
                    .if(mayChange, .td(.a(.href(Paths.editSetUpStep(detail.site.cpmsID, detail.site.siteODS, entry.step.step)),
                                          .safe("Change"), .span(.class("visually-hidden"), .safe(" " + entry.name)))))
                )
            })
        )))
    }

    private func completedTable(mayChange: Bool) -> Node<HTML.BodyContext> {
        .div(.class("card"), .h2(.safe("Completed steps")), board.completed.isEmpty ? .p(.safe("No step is completed yet.")) : Show.tableRegion("Completed steps", .table(
            .thead(.tr(
                .th(.attribute(named: "scope", value: "col"), .safe("Step")), .th(.attribute(named: "scope", value: "col"), .safe("Held by")),
                .th(.attribute(named: "scope", value: "col"), .safe("Started")), .th(.attribute(named: "scope", value: "col"), .safe("Completed")),
                .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Days")), .th(.attribute(named: "scope", value: "col"), .safe("Outcome")),
                .if(mayChange, .th(.attribute(named: "scope", value: "col"), .span(.class("visually-hidden"), .safe("Change"))))
            )),
            .tbody(.forEach(board.completed) { entry in
                .tr(
                    .td(.safe(entry.name)), .td(.class("nowrap"), SetUpWords.holderTag(entry.step.heldBy)),
                    .td(.class("nowrap"), .safe(entry.step.started.longText)), .td(.class("nowrap"), .safe(Show.day(entry.step.completed))),
                    .td(.class("number"), .safe(String(entry.days))), .td(.safe(Show.text(entry.step.outcome))),
                    .if(mayChange, .td(.a(.href(Paths.editSetUpStep(detail.site.cpmsID, detail.site.siteODS, entry.step.step)),
                                          .safe("Change"), .span(.class("visually-hidden"), .safe(" " + entry.name)))))
                )
            })
        )))
    }

    /// The form for a new step, or for changing one (`existing`: its step is fixed).
    static func stepForm(action: String, form: FormState, kinds: [SetUpStepKind], heading: String, existing: SetUpStep?) -> Node<HTML.BodyContext> {
        FormField.form(
            action, label: heading,
            .h2(.safe(heading)),
            existing == nil
                ? FormField.select("step", "Step", form: form, options: kinds.map { ($0.code, $0.name) }, blank: "Choose a step", required: true)
                : .group(hiddenField("step", existing?.step ?? ""), .p(.strong(.safe(SetUpStepKind.name(of: existing?.step ?? "", in: kinds))))),
            radios("held_by", "Who holds it", form: form, hint: "Who must act while the step is open: the trust, or the sponsor (a query waiting on an answer, say). When the work passes to the other side, complete this step and record it again: each time keeps its own days"),
            FormField.date("started", "Started", form: form, required: true),
            FormField.date("completed", "Completed", form: form, hint: existing?.confirmsCapacity == true || existing == nil
                ? "Leave blank while the step is open. Completing the confirmation of capacity and capability records the date the site confirmed" : "Leave blank while the step is open"),
            FormField.input("owner", "Owner", form: form, hint: "Who in the trust or at the sponsor is doing it"),
            FormField.input("outcome", "Outcome", form: form, hint: "For example, approved, or approved with conditions"),
            FormField.input("note", "Note", form: form),
            FormField.input("reason", "Reason for a correction", form: form, hint: "Needed only when completing or reopening the confirmation of capacity and capability changes a date already reported in an earlier quarter's return"),
            FormField.submit(existing == nil ? "Record step" : "Save changes")
        )
    }

    /// NHS.UK radios for who holds a step.
    static func radios(_ name: String, _ label: String, form: FormState, hint: String) -> Node<HTML.BodyContext> {
        let error = form.error(name, label: label, verb: "Select")
        return .div(
            .class(error == nil ? "field" : "field invalid"),
            .element(named: "fieldset", nodes: [
                .attribute(named: "aria-describedby", value: escapedAttribute("\(name)-hint" + (error == nil ? "" : " \(name)-error"))),
                .element(named: "legend", nodes: [.safe(label)]),
                .span(.class("hint"), .id(escapedAttribute("\(name)-hint")), .safe(hint)),
                .unwrap(error) { .span(.class("error-message"), .id(escapedAttribute("\(name)-error")), .span(.class("visually-hidden"), .safe("Error: ")), .safe($0)) },
                .div(.class("radios inline"), .forEach(SetUpHolder.allCases) { holder in
                    // The first radio carries the field's id, so the error summary's link lands on it.
                    let id = holder == SetUpHolder.allCases.first ? name : "\(name)-\(holder.rawValue)"
                    return .div(.class("radio"),
                                .element(named: "input", attributes: [
                                    .type(.radio), .id(escapedAttribute(id)), .name(escapedAttribute(name)), .value(escapedAttribute(holder.rawValue)),
                                    .attribute(named: "checked", value: escapedAttribute(optional: form.value(name) == holder.rawValue ? "checked" : nil)),
                                ]),
                                .label(.for(escapedAttribute(id)), .safe(holder == .provider ? "The trust" : "The sponsor")))
                }),
            ])
        )
    }
}

/// A step's form on its own page, to change or complete it, with the removal of a step recorded in error.
struct SetUpStepFormPage {
    let detail: SiteDetail
    let step: SetUpStep
    let kinds: [SetUpStepKind]
    var form: FormState
    var removal = FormState()

    func render(hostName: String) -> HTML {
        let site = detail.site
        let name = SetUpStepKind.name(of: step.step, in: kinds)
        let title = "\(name): \(detail.studyShortName) at \(detail.organisation.name)"
        return Layout(title: title, section: .setUp, hostName: hostName, breadcrumbs: [
            Crumb("Studies", Paths.studies), Crumb(detail.studyShortName, Paths.study(site.cpmsID)), Crumb(detail.organisation.name, Paths.site(site.cpmsID, site.siteODS)),
            Crumb("Set-up", Paths.siteSetUp(site.cpmsID, site.siteODS)),
        ]).render(
            FormField.errorSummary(form, labels: SetUpBoardPage.labels),
            FormField.errorSummary(removal, labels: SetUpBoardPage.labels),
            .h1(.safe(title)),
            .div(.class("card"), SetUpBoardPage.stepForm(action: Paths.setUpStep(site.cpmsID, site.siteODS, step.step), form: form, kinds: kinds, heading: "Change the step", existing: step)),
            .div(.class("card"), FormField.form(
                Paths.removeSetUpStep(site.cpmsID, site.siteODS, step.step), label: "Remove this step",
                .h2(.safe("Remove this step")),
                .p(.safe("Only for a step recorded by mistake. Its values stay in the audit trail with your reason.")),
                FormField.input("reason", "Reason", form: removal, required: true),
                .button(.type(.submit), .class("warning"), .safe("Remove step"))
            ))
        )
    }
}

/// How set-up reads on the pages.
enum SetUpWords {
    static func days(_ count: Int) -> String { count == 1 ? "1 day" : "\(count) days" }

    static func clockSentence(_ clock: SetUpBoard.Clock) -> String {
        switch clock {
        case .awaitingApproval: "Waiting for the HRA approval letter: the national clock starts on its date."
        case .toOpen(let days, let limit, let due):
            days > limit ? "\(Self.days(days)) since HRA approval: the site should have opened by \(due.longText), within \(limit) days."
                : "Day \(days) of \(limit) since HRA approval: the site must open by \(due.longText) to open within \(limit) days."
        case .toFirstParticipant(let days, let limit, let due):
            days > limit ? "Open for \(Self.days(days)) with no participant: the first should have been recruited by \(due.longText), within \(limit) days."
                : "Open for \(Self.days(days)): the first participant must be recruited by \(due.longText), within \(limit) days of opening."
        case .recruiting: "The site is open and recruiting: set-up is finished."
        case .notConfirmed(let reason): "The site was not confirmed: \(reason)."
        }
    }

    static func clockShort(_ clock: SetUpBoard.Clock) -> String {
        switch clock {
        case .awaitingApproval: "Waiting for HRA approval"
        case .toOpen(let days, let limit, let due): "Day \(days) of \(limit): must open by \(due.longText)"
        case .toFirstParticipant(let days, let limit, let due): "Day \(days) of \(limit) to the first participant (by \(due.longText))"
        case .recruiting: "Open and recruiting"
        case .notConfirmed: "Not confirmed"
        }
    }

    static func holderTag(_ holder: SetUpHolder) -> Node<HTML.BodyContext> {
        .span(.class(holder == .sponsor ? "tag amber" : "tag blue"), .safe(holder.label))
    }

    static func finishBy(_ entry: SetUpBoard.Entry, today: Day) -> Node<HTML.BodyContext> {
        guard let due = entry.finishBy, let left = entry.daysLeft(on: today) else { return .safe("Once HRA approval is recorded") }
        if left < 0 { return .group(.safe(due.longText + " "), .span(.class("tag red"), .safe("\(days(-left)) late"))) }
        return .group(.safe(due.longText + " "), .span(.class(left <= 7 ? "tag amber" : "tag white"), .safe(left == 0 ? "today" : "\(days(left)) left")))
    }
}
