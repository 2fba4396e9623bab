import PaceCore
import Plot

/// Create or edit a study; field names are the interchange column names, so the same checks apply.
struct StudyFormPage {
    /// nil when creating a study.
    let cpmsID: Int?
    let form: FormState
    let organisations: [Organisation]

    static let labels: [String: String] = [
        "cpms_id": "CPMS ID", "iras_id": "IRAS ID", "short_name": "Short name", "title": "Full title", "route": "Route",
        "design": "Design", "ctimp": "CTIMP", "phase": "Phase", "managing_specialty": "Managing specialty",
        "chief_investigator": "Chief investigator", "sample_size": "UK sample size", "planned_open": "Planned opening date",
        "actual_open": "Actual opening date", "planned_close": "Planned closure to recruitment", "actual_close": "Actual closure to recruitment",
        "status": "Status", "sponsor_ods": "Sponsor", "themes": "Themes",
    ]

    func render(hostName: String) -> HTML {
        let title = cpmsID.map { "Edit study \($0)" } ?? "Add a study"
        let label = { (name: String) in StudyFormPage.labels[name] ?? name }
        return Layout(title: title, section: .studies, hostName: hostName, breadcrumbs: [Crumb("Studies", Paths.studies)] + (cpmsID.map { [Crumb("CPMS \($0)", Paths.study($0))] } ?? [])).render(
            .h1(.safe(title)),
            FormField.form(
                cpmsID.map(Paths.editStudy) ?? Paths.studies, label: title,
                FormField.errorSummary(form, labels: StudyFormPage.labels),
                cpmsID == nil
                    ? FormField.input("cpms_id", label("cpms_id"), form: form, hint: "The study's ID on the national portfolio (CPMS)", required: true, extra: [.attribute(named: "inputmode", value: "numeric")])
                    : hiddenField("cpms_id", form.value("cpms_id")),
                FormField.input("short_name", label("short_name"), form: form, required: true),
                FormField.input("title", label("title"), form: form),
                FormField.input("iras_id", label("iras_id"), form: form, extra: [.attribute(named: "inputmode", value: "numeric")]),
                FormField.select("route", label("route"), form: form, options: FormField.codeOptions(StudyRoute.self), required: true),
                FormField.select("design", label("design"), form: form, options: FormField.codeOptions(StudyDesign.self)),
                FormField.select("ctimp", label("ctimp"), form: form, options: [("yes", "Yes"), ("no", "No")], hint: "Clinical trial of an investigational medicinal product"),
                FormField.input("phase", label("phase"), form: form),
                FormField.input("managing_specialty", label("managing_specialty"), form: form, hint: "e.g. Mental Health; Dementias and Neurodegeneration"),
                FormField.input("chief_investigator", label("chief_investigator"), form: form),
                FormField.input("sample_size", label("sample_size"), form: form, extra: [.attribute(named: "inputmode", value: "numeric")]),
                FormField.select("status", label("status"), form: form, options: StudyStatus.allCases.map { ($0.rawValue, $0.label) }),
                FormField.select("sponsor_ods", label("sponsor_ods"), form: form, options: organisations.map { ($0.odsCode, "\($0.name) (\($0.odsCode))") }),
                FormField.input("themes", label("themes"), form: form, hint: "Separate themes with a semicolon, e.g. Data2Health; Mental Health and Wellbeing"),
                FormField.date("planned_open", label("planned_open"), form: form),
                FormField.date("actual_open", label("actual_open"), form: form),
                FormField.date("planned_close", label("planned_close"), form: form),
                FormField.date("actual_close", label("actual_close"), form: form),
                FormField.submit(cpmsID == nil ? "Add study" : "Save changes")
            )
        )
    }
}
