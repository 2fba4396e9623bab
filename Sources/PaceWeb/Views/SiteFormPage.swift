import PaceCore
import Plot

/// Create a site, or edit a site's milestones, with the interchange column names as field names.
struct SiteFormPage {
    let cpmsID: Int
    let studyShortName: String
    /// nil when adding a site.
    let siteODS: String?
    let form: FormState
    let organisations: [Organisation]

    static let labels: [String: String] = {
        var labels = [
            "site_ods": "Organisation", "role": "Role", "local_pi": "Local principal investigator", "site_target": "Site target",
            "planned_recruitment_start": "Planned recruitment start", "planned_recruitment_end": "Planned recruitment end",
            "non_confirmation_status": "Non-confirmation status", "delay_reason": "Reason for delay", "delay_attribution": "Delay attributed to",
            "sponsor_intention": "Sponsor's agreed intention", "cpms_id": "Study",
        ]
        for milestone in Milestone.allCases { labels[milestone.rawValue] = milestone.dateLabel }
        labels["reason"] = "Reason for the change"
        return labels
    }()

    func render(hostName: String) -> HTML {
        let title = siteODS.map { "Edit site \($0) – \(studyShortName)" } ?? "Add a site to \(studyShortName)"
        let action = siteODS.map { Paths.editSite(cpmsID, $0) } ?? Paths.sites(cpmsID)
        let trail = [Crumb("Studies", Paths.studies), Crumb(studyShortName, Paths.study(cpmsID))] + (siteODS.map { [Crumb("Site \($0)", Paths.site(cpmsID, $0))] } ?? [])
        return Layout(title: title, section: .studies, hostName: hostName, breadcrumbs: trail).render(
            .h1(.safe(title)),
            FormField.form(
                action, label: title,
                FormField.errorSummary(form, labels: SiteFormPage.labels),
                siteODS == nil
                    ? FormField.select("site_ods", "Organisation", form: form, options: organisations.map { ($0.odsCode, "\($0.name) (\($0.odsCode))") }, required: true)
                    : hiddenField("site_ods", form.value("site_ods")),
                FormField.select("role", "Role", form: form, options: FormField.codeOptions(SiteRole.self), required: true),
                FormField.input("local_pi", "Local principal investigator", form: form),
                FormField.input("site_target", "Site target", form: form, hint: "Participants this site agreed to recruit", extra: [.attribute(named: "inputmode", value: "numeric")]),
                FormField.date("planned_recruitment_start", "Planned recruitment start", form: form),
                FormField.date("planned_recruitment_end", "Planned recruitment end", form: form),
                .h2(.safe("Milestones")),
                .group(Milestone.allCases.map { milestone in
                    FormField.date(milestone.rawValue, milestone.dateLabel, form: form)
                }),
                .h2(.safe("Delays")),
                FormField.input("non_confirmation_status", "Non-confirmation status", form: form, hint: "e.g. Site declined to participate"),
                FormField.input("delay_reason", "Reason for delay", form: form, hint: "e.g. A – Permissions delayed/denied"),
                FormField.select("delay_attribution", "Delay attributed to", form: form, options: FormField.codeOptions(DelayAttribution.self)),
                FormField.input("sponsor_intention", "Sponsor's agreed intention", form: form, hint: "e.g. on track as per study milestones"),
                .if(siteODS != nil, .group(
                    .h2(.safe("Correction")),
                    FormField.input("reason", "Reason for the change", form: form, hint: "Needed when you change a date in a quarter already reported, e.g. corrected from the site file")
                )),
                FormField.submit(siteODS == nil ? "Add site" : "Save milestones")
            )
        )
    }
}
