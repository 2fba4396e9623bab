import PaceCore
import Plot

/// Every site in set-up, longest waiting first: the list an R&D office runs its set-up meeting from.
struct SetUpPortfolioPage {
    let rows: [SetUpPortfolio.Entry]
    let kinds: [SetUpStepKind]
    let form: FormState
    var today = Day.today()

    func render(hostName: String) -> HTML {
        let waitingOnSponsor = rows.filter { !$0.board.waiting(on: .sponsor).isEmpty }.count
        let late = rows.filter { $0.board.clock.isOverdue }.count
        return Layout(title: "Sites in set-up", section: .setUp, hostName: hostName).render(
            FormField.errorSummary(form, labels: ["step": "Step", "held_by": "Who holds it"]),
            .h1(.safe("Sites in set-up")),
            .p(.class("lede"), .safe(rows.isEmpty ? "No site matches." :
                "\(rows.count) \(rows.count == 1 ? "site" : "sites") in set-up; \(waitingOnSponsor) waiting on a sponsor; \(late) past the national timeframe. The longest-waiting step comes first.")),
            FormField.form(
                Paths.setUp, method: "get", class: "filters", label: "Filter the sites in set-up",
                .div(FormField.select("step", "Open step", form: form, options: kinds.map { ($0.code, $0.name) }, blank: "Any step")),
                .div(FormField.select("held_by", "Held by", form: form, options: SetUpHolder.allCases.map { ($0.rawValue, $0.label) }, blank: "Anyone")),
                .div(FormField.submit("Show"))
            ),
            rows.isEmpty ? .empty : Show.tableRegion("Sites in set-up", .table(
                .thead(.tr(
                    .th(.attribute(named: "scope", value: "col"), .safe("Study and site")), .th(.attribute(named: "scope", value: "col"), .safe("National clock")),
                    .th(.attribute(named: "scope", value: "col"), .safe("Open steps")), .th(.attribute(named: "scope", value: "col"), .class("number"), .safe("Longest open"))
                )),
                .tbody(.forEach(rows) { row in
                    .tr(
                        .td(.a(.href(Paths.siteSetUp(row.record.site.cpmsID, row.record.site.siteODS)), .safe("\(row.record.study.shortName) at \(row.record.site.siteODS)"))),
                        .td(.safe(SetUpWords.clockShort(row.board.clock)), .if(row.board.clock.isOverdue, .group(.safe(" "), .span(.class("tag red"), .safe("Late"))))),
                        .td(row.board.open.isEmpty ? .safe("No open step") : .ul(.class("plain"), .forEach(row.board.open) { entry in
                            .li(.safe(entry.name + " "), SetUpWords.holderTag(entry.step.heldBy), .safe(", open " + SetUpWords.days(entry.days)),
                                .unwrap(entry.daysLeft(on: today).flatMap { $0 < 0 ? -$0 : nil }) { late in
                                    .group(.safe(" "), .span(.class("tag red"), .safe("\(SetUpWords.days(late)) past finish-by")))
                                })
                        })),
                        .td(.class("number"), .safe(row.board.longestOpenDays.map(SetUpWords.days) ?? "—"))
                    )
                })
            )),
            .p(.a(.href(Paths.setUpTimeReport), .safe("Where the days go: set-up time by step")), .safe(" · "),
               .a(.href(Paths.amendmentsReport), .safe("Amendments")), .safe(" · "), .a(.href(Paths.setUpStepKinds), .safe("The office's list of set-up steps")))
        )
    }
}

/// The office's own list of set-up steps, and the form to add one.
struct SetUpStepKindsPage {
    let kinds: [SetUpStepKind]
    var form = FormState(values: ["held_by": SetUpHolder.provider.rawValue])

    func render(hostName: String) -> HTML {
        Layout(title: "Set-up steps", section: .setUp, hostName: hostName,
               breadcrumbs: [Crumb("Sites in set-up", Paths.setUp)]).render(
            FormField.errorSummary(form, labels: ["name": "Name", "held_by": "Who usually holds it"]),
            .h1(.safe("Set-up steps")),
            .p(.class("lede"), .safe("The pieces of set-up work this office records at each site, in the order set-up usually runs. Files and the API name a step by its code.")),
            Show.tableRegion("Set-up steps", .table(
                .thead(.tr(.th(.attribute(named: "scope", value: "col"), .safe("Step")), .th(.attribute(named: "scope", value: "col"), .safe("Code")),
                           .th(.attribute(named: "scope", value: "col"), .safe("Usually held by")))),
                .tbody(.forEach(kinds) { kind in .tr(.td(.safe(kind.name)), .td(.code(.safe(kind.code))), .td(.safe(kind.usualHolder.label))) })
            )),
            .if(PageContext.current.allows(.changePortfolio), .div(.class("card"), FormField.form(
                Paths.setUpStepKinds, label: "Add a set-up step",
                .h2(.safe("Add a step")),
                FormField.input("name", "Name", form: form, hint: "For example, Radiation protection review. Its code is made from the name.", required: true),
                SetUpBoardPage.radios("held_by", "Who usually holds it", form: form, hint: "The choice the form starts with when the step is recorded"),
                FormField.submit("Add step")
            )))
        )
    }
}
