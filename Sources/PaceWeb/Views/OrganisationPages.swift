import PaceCore
import PaceStore
import Plot

struct OrganisationListPage {
    let organisations: [OrganisationSummary]

    func render(hostName: String) -> HTML {
        Layout(title: "Organisations", section: .organisations, hostName: hostName).render(
            .h1(.safe("Organisations")),
            .p(.class("lede"), .safe("Host and partner organisations: trusts, universities, companies, GP practices, funders and collaborations.")),
            Show.tableRegion("Organisations", .table(
                .thead(.tr(.th(.safe("Organisation")), .th(.safe("Code")), .th(.safe("Type")), .th(.safe("Subtype")), .th(.class("number"), .safe("Studies")))),
                .tbody(.forEach(organisations) { summary in
                    let organisation = summary.organisation
                    return .tr(
                        .td(.a(.href(Paths.organisation(organisation.odsCode)), .safe(organisation.name))),
                        .td(.safe(organisation.odsCode)), .td(.safe(organisation.type.label)), .td(.safe(Show.text(organisation.subtype))),
                        .td(.class("number"), .safe(String(summary.studies)))
                    )
                })
            )),
            .if(PageContext.current.allows(.changePortfolio), .div(.class("actions"), .a(.class("button"), .href(Paths.newOrganisation), .safe("Add an organisation"))))
        )
    }
}

struct OrganisationDetailPage {
    let organisation: Organisation
    let studies: [OrganisationStudy]

    func render(hostName: String) -> HTML {
        Layout(title: organisation.name, section: .organisations, hostName: hostName, breadcrumbs: [Crumb("Organisations", Paths.organisations)]).render(
            .h1(.safe(organisation.name)),
            .div(.class("card"), .dl(
                .class("facts"),
                Show.fact("Code", organisation.odsCode),
                Show.fact("Type", organisation.type.label),
                Show.fact("Subtype", Show.text(organisation.subtype))
            )),
            .h2(.safe("Studies and roles")),
            studies.isEmpty ? .p(.safe("This organisation takes part in no study yet.")) : Show.tableRegion("Studies and roles", .table(
                .thead(.tr(.th(.safe("Study")), .th(.safe("CPMS ID")), .th(.safe("Status")), .th(.safe("Roles")))),
                .tbody(.forEach(studies) { study in
                    .tr(
                        .td(.a(.href(Paths.study(study.cpmsID)), .safe(study.shortName))), .td(.safe(String(study.cpmsID))),
                        .td(.safe(Show.text(study.status?.label))), .td(.safe(study.roles.joined(separator: ", ")))
                    )
                })
            )),
            .p(.a(.href(Paths.withQuery(Paths.studies, [("partner", organisation.odsCode)])), .safe("Filter the study list by this organisation"))),
            .if(studies.isEmpty && PageContext.current.allows(.changePortfolio),
                .p(.a(.href(Paths.organisationRemoval(organisation.odsCode)), .safe("Remove this organisation")), .safe(" — only for one added by mistake.")))
        )
    }
}

struct OrganisationFormPage {
    let form: FormState

    static let labels = ["ods_code": "Code", "name": "Name", "type": "Type", "subtype": "Subtype"]

    func render(hostName: String) -> HTML {
        Layout(title: "Add an organisation", section: .organisations, hostName: hostName, breadcrumbs: [Crumb("Organisations", Paths.organisations)]).render(
            .h1(.safe("Add an organisation")),
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
