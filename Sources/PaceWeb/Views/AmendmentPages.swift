import PaceCore
import PaceStore
import Plot

/// A site's amendments: where each has got to, when its assessment is due, and the form to record one.
struct SiteAmendmentsPage {
    let detail: SiteDetail
    let assessments: [AmendmentAssessment]
    let rules: MetricRules
    /// The study's essential documents, so the office sees the new versions an amendment brings.
    let documents: [EssentialDocument]
    var form = FormState()
    var today = Day.today()

    /// Documents dated on or after the earliest amendment's receipt: the versions amendments brought.
    private var newVersions: [EssentialDocument] {
        guard let first = assessments.map(\.amendment.received).min() else { return [] }
        return documents.filter { $0.datedOn >= first }.sorted { ($0.datedOn, $0.name) > ($1.datedOn, $1.name) }
    }

    static let labels = [
        "amendment_ref": "Reference", "received": "Date received", "category": "Category", "needs_reconfirmation": "Capacity and capability",
        "assessed": "Date assessed", "implemented": "Date implemented", "description": "Description", "site_ods": "Site", "cpms_id": "Study", "reason": "Reason",
    ]

    func render(hostName: String) -> HTML {
        let site = detail.site
        let title = "Amendments: \(detail.studyShortName) at \(detail.organisation.name)"
        let mayChange = PageContext.current.allows(.changePortfolio)
        let overdue = assessments.filter(\.overdue).count
        return Layout(title: title, section: .setUp, hostName: hostName, breadcrumbs: [
            Crumb("Studies", Paths.studies), Crumb(detail.studyShortName, Paths.study(site.cpmsID)), Crumb(detail.organisation.name, Paths.site(site.cpmsID, site.siteODS)),
        ]).render(
            FormField.errorSummary(form, labels: Self.labels),
            .h1(.safe(title)),
            .p(.class("lede"), .safe(assessments.isEmpty ? "No amendment is recorded at this site."
                : "\(assessments.count) \(assessments.count == 1 ? "amendment" : "amendments"); \(overdue) overdue for assessment. The trust has \(rules.amendmentAssessmentDays) days from receiving an amendment to assess it.")),
            AmendmentTable.node(assessments, mayChange: mayChange, showStudy: false),
            .if(!newVersions.isEmpty, .div(.class("card"), .h2(.safe("Document versions since the first amendment")),
                .p(.safe("The new versions amendments bring are recorded in the study's document register; these are dated on or after the earliest amendment here.")),
                .ul(.forEach(newVersions.prefix(30)) { document in
                    .li(.safe("\(document.name) version \(document.version), dated \(document.datedOn.longText) (\(document.status.label.lowercased()))"))
                }),
                .p(.a(.href(Paths.studyRecords(site.cpmsID, .documents)), .safe("The study's document register"))))),
            .if(mayChange, .div(.class("card"), Self.amendmentForm(action: Paths.siteAmendments(site.cpmsID, site.siteODS), form: form, heading: "Record an amendment", existing: nil)))
        )
    }

    static func amendmentForm(action: String, form: FormState, heading: String, existing: Amendment?) -> Node<HTML.BodyContext> {
        FormField.form(
            action, label: heading,
            .h2(.safe(heading)),
            existing == nil
                ? FormField.input("amendment_ref", "Reference", form: form, hint: "The sponsor's reference, for example SA03 or Modification 2", required: true)
                : .group(hiddenField("amendment_ref", existing?.reference ?? ""), .p(.strong(.safe("Reference \(existing?.reference ?? "")")))),
            FormField.date("received", "Received", form: form, hint: "The day the site received it", required: true),
            FormField.select("category", "Category", form: form, options: FormField.codeOptions(AmendmentCategory.self), blank: "Not known",
                             hint: "The sponsor's category (the 2026 terms), or the HRA's site category A, B or C"),
            FormField.select("needs_reconfirmation", "Capacity and capability", form: form,
                             options: [("yes", "Must be reconfirmed before it is implemented"), ("no", "Continues without reconfirming")], blank: "Not yet decided"),
            FormField.date("assessed", "Assessed", form: form, hint: "The day the trust completed its assessment or reconfirmed capacity and capability"),
            FormField.date("implemented", "Implemented", form: form, hint: "The day the change took effect at the site"),
            FormField.input("description", "Description", form: form, hint: "What changes, for example new participant information sheet version 3"),
            FormField.submit(existing == nil ? "Record amendment" : "Save changes")
        )
    }
}

/// Amendments as a table, on a site's page and across the portfolio.
enum AmendmentTable {
    static func node(_ assessments: [AmendmentAssessment], mayChange: Bool, showStudy: Bool, names: [Int: String] = [:]) -> Node<HTML.BodyContext> {
        assessments.isEmpty ? .empty : Show.tableRegion("Amendments", .table(
            .thead(.tr(
                .if(showStudy, .th(.attribute(named: "scope", value: "col"), .safe("Study and site"))),
                .th(.attribute(named: "scope", value: "col"), .safe("Reference")), .th(.attribute(named: "scope", value: "col"), .safe("Category")),
                .th(.attribute(named: "scope", value: "col"), .safe("Received")), .th(.attribute(named: "scope", value: "col"), .safe("Assessment due")),
                .th(.attribute(named: "scope", value: "col"), .safe("Where it is")), .th(.attribute(named: "scope", value: "col"), .safe("Implemented")),
                .if(mayChange, .th(.attribute(named: "scope", value: "col"), .span(.class("visually-hidden"), .safe("Change"))))
            )),
            .tbody(.forEach(assessments) { assessment in
                let amendment = assessment.amendment
                return .tr(
                    .if(showStudy, .td(.a(.href(Paths.siteAmendments(amendment.cpmsID, amendment.siteODS)), .safe("\(names[amendment.cpmsID] ?? "CPMS \(amendment.cpmsID)") at \(amendment.siteODS)")))),
                    .td(.safe(amendment.reference), .unwrap(amendment.description) { .div(.class("hint"), .safe($0)) }),
                    .td(.safe(amendment.category?.label ?? "—")),
                    .td(.class("nowrap"), .safe(amendment.received.longText)),
                    .td(.class("nowrap"), .safe(assessment.due.longText)),
                    .td(stageTag(assessment), .if(amendment.needsReconfirmation == true, .div(.class("hint"), .safe("Capacity and capability to reconfirm"))),
                        .unwrap(assessment.daysToAssess) { .div(.class("hint"), .safe("Assessed \(assessment.assessed?.longText ?? "") in \(SetUpWords.days($0))")) }),
                    .td(.class("nowrap"), .safe(Show.day(assessment.implemented))),
                    .if(mayChange, .td(.a(.href(Paths.editAmendment(amendment.cpmsID, amendment.siteODS, amendment.reference)),
                                          .safe("Change"), .span(.class("visually-hidden"), .safe(" amendment " + amendment.reference)))))
                )
            })
        ))
    }

    static func stageTag(_ assessment: AmendmentAssessment) -> Node<HTML.BodyContext> {
        let colour = assessment.implemented != nil ? "green" : assessment.overdue ? "red" : assessment.assessed != nil ? "blue" : "white"
        let late = assessment.onTime == false && !assessment.overdue ? " (late)" : ""
        return .span(.class("tag \(colour)"), .safe(assessment.stage + late))
    }
}

/// One amendment's form on its own page, and the removal of one recorded in error.
struct AmendmentFormPage {
    let detail: SiteDetail
    let amendment: Amendment
    var form: FormState
    var removal = FormState()

    func render(hostName: String) -> HTML {
        let site = detail.site
        let title = "Amendment \(amendment.reference): \(detail.studyShortName) at \(detail.organisation.name)"
        return Layout(title: title, section: .setUp, hostName: hostName, breadcrumbs: [
            Crumb("Studies", Paths.studies), Crumb(detail.studyShortName, Paths.study(site.cpmsID)), Crumb(detail.organisation.name, Paths.site(site.cpmsID, site.siteODS)),
            Crumb("Amendments", Paths.siteAmendments(site.cpmsID, site.siteODS)),
        ]).render(
            FormField.errorSummary(form, labels: SiteAmendmentsPage.labels),
            FormField.errorSummary(removal, labels: SiteAmendmentsPage.labels),
            .h1(.safe(title)),
            .div(.class("card"), SiteAmendmentsPage.amendmentForm(action: Paths.amendment(site.cpmsID, site.siteODS, amendment.reference), form: form, heading: "Change the amendment", existing: amendment)),
            .div(.class("card"), FormField.form(
                Paths.removeAmendment(site.cpmsID, site.siteODS, amendment.reference), label: "Remove this amendment",
                .h2(.safe("Remove this amendment")),
                .p(.safe("Only for an amendment recorded by mistake. Its values stay in the audit trail with your reason.")),
                FormField.input("reason", "Reason", form: removal, required: true),
                .button(.type(.submit), .class("warning"), .safe("Remove amendment"))
            ))
        )
    }
}
