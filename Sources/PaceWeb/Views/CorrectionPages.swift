import PaceCore
import Plot

/// Where a participant or count belongs, for the headings and links of its correction pages.
struct RecruitmentPlace: Sendable {
    let cpmsID: Int
    let siteODS: String
    let studyShortName: String
    let organisationName: String

    var sitePath: String { Paths.site(cpmsID, siteODS) }
    var caption: String { "\(studyShortName) at \(organisationName)" }
}

/// The reason field every correction and removal carries: it goes into the audit trail.
private func reasonField(_ form: FormState, hint: String) -> Node<HTML.BodyContext> {
    FormField.input("reason", "Reason for the correction", form: form, hint: hint, required: true)
}

/// Correcting one participant's record, including recording a withdrawal.
struct ParticipantCorrectionPage {
    let place: RecruitmentPlace
    let rowID: Int
    let participantID: String
    let form: FormState
    let organisations: [Organisation]

    static let labels = SiteDetailPage.participantLabels.merging(["reason": "Reason for the correction"]) { $1 }

    func render(hostName: String) -> HTML {
        // The pseudonym stays out of the title (domain.md §4): titles reach browser history and bookmarks.
        let title = "Correct a participant record"
        return Layout(title: title, section: .studies, hostName: hostName, breadcrumbs: [Crumb("\(place.caption)", place.sitePath)]).render(
            .h1(.safe(title)),
            .p(.class("lede"), .safe("Participant "), .strong(.safe(participantID)), .safe(" at \(place.caption). To record a withdrawal, set the status to withdrawn and give the date.")),
            FormField.errorSummary(form, labels: Self.labels),
            FormField.form(
                Paths.participantCorrection(place.cpmsID, place.siteODS, rowID), label: title,
                FormField.select("status", "Status", form: form, options: FormField.codeOptions(ParticipantStatus.self), blank: nil, required: true),
                FormField.date("consent_date", "Consent date", form: form),
                FormField.date("recruited_date", "Recruited date", form: form, hint: "When eligibility was confirmed"),
                FormField.date("withdrawn_date", "Withdrawn date", form: form, hint: "Only for withdrawn participants"),
                FormField.select("identified_by_ods", "Identified by (PIC)", form: form, options: organisations.map { ($0.odsCode, "\($0.name) (\($0.odsCode))") }),
                reasonField(form, hint: "Kept in the audit trail with the change, e.g. withdrew consent at the week 4 visit"),
                FormField.submit("Save correction")
            ),
            .p(.a(.href(Paths.participantRemoval(place.cpmsID, place.siteODS, rowID)), .safe("Remove this participant record")),
               .safe(" — only for a record entered by mistake. A participant who withdraws still counts as recruited."))
        )
    }
}

/// Correcting one count: its period's end, its number, and a confirmation when the number is large.
struct CountCorrectionPage {
    let place: RecruitmentPlace
    let periodStart: Day
    let form: FormState
    var needsConfirmation = false

    static let labels = SiteDetailPage.countLabels.merging(["reason": "Reason for the correction"]) { $1 }

    func render(hostName: String) -> HTML {
        let title = "Correct a recruitment count"
        return Layout(title: title, section: .studies, hostName: hostName, breadcrumbs: [Crumb("\(place.caption)", place.sitePath)]).render(
            .h1(.safe(title)),
            .p(.class("lede"), .safe("The count for the period starting \(periodStart.longText) at \(place.caption).")),
            FormField.errorSummary(form, labels: Self.labels),
            FormField.form(
                Paths.countCorrection(place.cpmsID, place.siteODS, periodStart), label: title,
                FormField.date("period_end", "Period end", form: form, required: true),
                FormField.input("count", "Number recruited", form: form, required: true, extra: [.attribute(named: "inputmode", value: "numeric")]),
                .if(needsConfirmation, FormField.countConfirmation),
                reasonField(form, hint: "Kept in the audit trail with the change, e.g. October's count was typed as 40, not 4"),
                FormField.submit(needsConfirmation ? "Confirm and save correction" : "Save correction")
            ),
            .p(.a(.href(Paths.countRemoval(place.cpmsID, place.siteODS, periodStart)), .safe("Remove this count")),
               .safe(" — only for a count entered by mistake or twice."))
        )
    }
}

/// Confirming the removal of one record, with the reason the audit trail keeps.
struct RemovalPage {
    let title: String
    let back: (label: String, path: String)
    let facts: [(String, String)]
    let action: String
    let form: FormState

    func render(hostName: String) -> HTML {
        Layout(title: title, section: .studies, hostName: hostName, breadcrumbs: [Crumb("\(back.label)", back.path)]).render(
            .h1(.safe(title)),
            FormField.errorSummary(form, labels: ["reason": "Reason for the removal"]),
            .dl(.class("facts"), .group(facts.map { Show.fact($0.0, $0.1) })),
            .div(.class("warning-callout"), .p(.safe(
                "This takes the record out of every report, roll-up and page at once. The audit trail keeps it, with your name, the time and your reason."
            ))),
            FormField.form(
                action, label: title,
                FormField.input("reason", "Reason for the removal", form: form, hint: "e.g. entered twice: the same participant is recorded as CALM-0042", required: true),
                FormField.submit("Remove record")
            ),
            .p(.a(.href(back.path), .safe("Cancel and go back")))
        )
    }
}
