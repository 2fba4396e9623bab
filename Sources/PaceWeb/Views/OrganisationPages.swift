import PaceCore
import PaceStore
import Plot

struct OrganisationListPage {
    let organisations: [OrganisationSummary]

    func render(hostName: String) -> HTML {
        Layout(title: "Organisations", section: .organisations, hostName: hostName).render(
            .h1(.text("Organisations")),
            .p(.class("lede"), .text("Host and partner organisations: trusts, universities, companies, GP practices, funders and collaborations.")),
            .div(.class("table-wrap"), .table(
                .thead(.tr(.th(.text("Organisation")), .th(.text("Code")), .th(.text("Type")), .th(.text("Subtype")), .th(.class("number"), .text("Studies")))),
                .tbody(.forEach(organisations) { summary in
                    let organisation = summary.organisation
                    return .tr(
                        .td(.a(.href(Paths.organisation(organisation.odsCode)), .text(organisation.name))),
                        .td(.text(organisation.odsCode)), .td(.text(organisation.type.label)), .td(.text(Show.text(organisation.subtype))),
                        .td(.class("number"), .text(String(summary.studies)))
                    )
                })
            )),
            .div(.class("actions"), .a(.class("button"), .href(Paths.newOrganisation), .text("Add an organisation")))
        )
    }
}

struct OrganisationDetailPage {
    let organisation: Organisation
    let studies: [OrganisationStudy]

    func render(hostName: String) -> HTML {
        Layout(title: organisation.name, section: .organisations, hostName: hostName).render(
            .p(.a(.href(Paths.organisations), .text("← All organisations"))),
            .h1(.text(organisation.name)),
            .div(.class("card"), .dl(
                .class("facts"),
                Show.fact("Code", organisation.odsCode),
                Show.fact("Type", organisation.type.label),
                Show.fact("Subtype", Show.text(organisation.subtype))
            )),
            .h2(.text("Studies and roles")),
            studies.isEmpty ? .p(.text("This organisation takes part in no study yet.")) : .div(.class("table-wrap"), .table(
                .thead(.tr(.th(.text("Study")), .th(.text("CPMS ID")), .th(.text("Status")), .th(.text("Roles")))),
                .tbody(.forEach(studies) { study in
                    .tr(
                        .td(.a(.href(Paths.study(study.cpmsID)), .text(study.shortName))), .td(.text(String(study.cpmsID))),
                        .td(.text(Show.text(study.status?.label))), .td(.text(study.roles.joined(separator: ", ")))
                    )
                })
            )),
            .p(.a(.href(Paths.studies + "?partner=" + percentEncoded(organisation.odsCode)), .text("Filter the study list by this organisation")))
        )
    }
}

struct OrganisationFormPage {
    let form: FormState

    static let labels = ["ods_code": "Code", "name": "Name", "type": "Type", "subtype": "Subtype"]

    func render(hostName: String) -> HTML {
        Layout(title: "Add an organisation", section: .organisations, hostName: hostName).render(
            .p(.a(.href(Paths.organisations), .text("← Back"))),
            .h1(.text("Add an organisation")),
            FormField.form(
                Paths.organisations, label: "Add an organisation",
                FormField.errorSummary(form, labels: OrganisationFormPage.labels),
                FormField.input("ods_code", "Code", form: form, hint: "The ODS code for NHS bodies (e.g. RT5); a short stable code for others", required: true),
                FormField.input("name", "Name", form: form, required: true),
                FormField.select("type", "Type", form: form, options: FormField.codeOptions(OrganisationType.self), required: true),
                FormField.input("subtype", "Subtype", form: form, hint: "Compared like with like in league tables, e.g. mental-health, acute, community"),
                FormField.submit("Add organisation")
            )
        )
    }
}
