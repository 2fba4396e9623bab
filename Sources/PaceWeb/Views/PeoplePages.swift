import PaceCore
import PaceStore
import Plot

/// Staff and researchers with their GCP training state, and the duties the office lets PIs delegate.
struct PeoplePage {
    let people: [Person]
    let training: [Int: [TrainingRecord]]
    let duties: [DelegationDuty]
    let renewalDays: Int
    let today: Day
    var personForm = FormState()
    var dutyForm = FormState()

    func render(hostName: String) -> HTML {
        let mayChange = PageContext.current.allows(.changePortfolio)
        return Layout(title: "People and training", section: .people, hostName: hostName).render(
            .h1(.safe("People and training")),
            .p(.class("lede"), .safe("Staff and researchers who can be delegated trial duties (never patients). GCP training stays current for \(renewalDays) days, the trust's renewal interval (a metric rule).")),
            people.isEmpty ? .p(.safe("Nobody recorded yet.")) : Show.tableRegion("People", .table(
                .thead(.tr(.th(.safe("Name")), .th(.safe("Job title")), .th(.safe("GCP training")))),
                .tbody(.forEach(people) { person in
                    .tr(.td(.a(.href(Paths.person(person.id)), .safe(person.name))), .td(.safe(Show.text(person.jobTitle))),
                        .td(TrainingBadge(training: training[person.id] ?? [], renewalDays: renewalDays, today: today).node))
                })
            )),
            .if(mayChange, .group(
                .h2(.safe("Add a person")),
                FormField.errorSummary(personForm, labels: ["name": "Name", "email": "Email", "job_title": "Job title"]),
                FormField.form(Paths.people, label: "Add a person",
                               FormField.input("name", "Name", form: personForm, required: true),
                               FormField.input("email", "Work email", form: personForm, type: .email),
                               FormField.input("job_title", "Job title", form: personForm, hint: "e.g. Research nurse"),
                               FormField.submit("Add person"))
            )),
            .h2(.safe("Duties a principal investigator may delegate")),
            .ul(.forEach(duties) { .li(.safe("\($0.name) (\($0.code))")) }),
            .if(mayChange, .group(
                FormField.errorSummary(dutyForm, labels: ["code": "Code", "name": "Duty"]),
                FormField.form(Paths.duties, label: "Add a duty",
                               FormField.input("code", "Code", form: dutyForm, hint: "Short, e.g. ecg", required: true),
                               FormField.input("duty_name", "Duty", form: FormState(values: ["duty_name": dutyForm.value("name")], problems: dutyForm.problems.map { FieldProblem(column: $0.column == "name" ? "duty_name" : $0.column, message: $0.message) }), required: true),
                               FormField.submit("Add duty"))
            ))
        )
    }
}

/// One person's training and where they are delegated.
struct PersonPage {
    let person: Person
    let training: [TrainingRecord]
    let delegations: [Delegation]
    let renewalDays: Int
    let today: Day
    var form = FormState(values: ["course": TrainingRecord.gcp])

    func render(hostName: String) -> HTML {
        Layout(title: person.name, section: .people, hostName: hostName, breadcrumbs: [Crumb("People", Paths.people)]).render(
            .h1(.safe(person.name)),
            .p(.class("lede"), .safe([person.jobTitle, person.email].compactMap { $0 }.joined(separator: " · "))),
            .p(TrainingBadge(training: training, renewalDays: renewalDays, today: today).node),
            .h2(.safe("Training")),
            training.isEmpty ? .p(.safe("No training recorded.")) : Show.tableRegion("Training", .table(
                .thead(.tr(.th(.safe("Course")), .th(.safe("Completed")), .th(.safe("Current until")), .th(.safe("Provider")))),
                .tbody(.forEach(training) { record in
                    .tr(.td(.safe(record.course)), .td(.class("nowrap"), .safe(record.completedOn.longText)),
                        .td(.class("nowrap"), .safe(record.isGCP ? record.expiresOn(renewalDays: renewalDays).iso : "—")), .td(.safe(Show.text(record.provider))))
                })
            )),
            .if(PageContext.current.allows(.changePortfolio), .group(
                .h2(.safe("Record training")),
                FormField.errorSummary(form, labels: ["course": "Course", "completed_on": "Completed on", "provider": "Provider"]),
                FormField.form(Paths.personTraining(person.id), label: "Record training",
                               FormField.input("course", "Course", form: form, required: true),
                               FormField.date("completed_on", "Completed on", form: form, required: true),
                               FormField.input("provider", "Provider", form: form, hint: "e.g. NIHR Learn"),
                               FormField.submit("Record training"))
            )),
            .h2(.safe("Delegation logs")),
            delegations.isEmpty ? .p(.safe("Not on any delegation log.")) : .ul(.forEach(delegations) { delegation in
                .li(.a(.href(Paths.studyRecords(delegation.cpmsID) + "#delegation-log"), .safe("CPMS \(delegation.cpmsID) at \(delegation.siteODS)")),
                    .safe(": \(delegation.duties.joined(separator: ", ")) from \(delegation.startOn.longText)\(delegation.endOn.map { " to \($0.longText)" } ?? "")"))
            })
        )
    }
}

/// Whether a person's GCP training is current, in words and colour.
struct TrainingBadge {
    let training: [TrainingRecord]
    let renewalDays: Int
    let today: Day

    var node: Node<HTML.BodyContext> {
        guard let expiry = GCPTraining.expiry(training, renewalDays: renewalDays) else {
            return .span(.class("badge red"), .safe("No GCP training"))
        }
        let left = today.days(to: expiry)
        if left < 0 { return .span(.class("badge red"), .safe("Expired \(expiry.longText)")) }
        if left <= NeedsAttention.trainingWarningDays { return .span(.class("badge amber"), .safe("Expires \(expiry.longText)")) }
        return .span(.class("badge green"), .safe("Current until \(expiry.longText)"))
    }
}

/// The R&D office's list of what needs looking at today.
struct AttentionPage {
    let attention: NeedsAttention

    func render(hostName: String) -> HTML {
        Layout(title: "Needs attention", section: .attention, hostName: hostName).render(
            .h1(.safe("Needs attention")),
            .p(.class("lede"), .safe("Overdue set-up milestones, quiet open sites, GCP training, late safety reports, overdue monitoring actions, set-up steps past their finish-by day and amendments overdue for assessment, most urgent first.")),
            .forEach(NeedsAttention.Kind.allCases) { kind in
                let items = attention.items(kind)
                return .section(
                    .class("card"),
                    .h2(.safe("\(kind.rawValue) (\(items.count))")),
                    items.isEmpty ? .p(.safe("Nothing to report.")) : .ul(.class("attention"), .forEach(items) { item in
                        .li(link(item), .safe(": \(item.reason)"))
                    })
                )
            }
        )
    }

    private func link(_ item: NeedsAttention.Item) -> Node<HTML.BodyContext> {
        if let person = item.personID { return .a(.href(Paths.person(person)), .safe(item.subject)) }
        guard let cpms = item.cpmsID else { return .safe(item.subject) }
        switch item.kind {
        case .overdueMilestone, .noRecentRecruitment:
            return .a(.href(Paths.site(cpms, item.siteODS ?? "")), .safe("\(item.subject) at \(item.siteODS ?? "")"))
        case .lateSafetyReport:
            return .a(.href(Paths.studyRecords(cpms) + "#safety"), .safe("\(item.subject) at \(item.siteODS ?? "")"))
        case .lateSetUpStep:
            return .a(.href(Paths.siteSetUp(cpms, item.siteODS ?? "")), .safe("\(item.subject) at \(item.siteODS ?? "")"))
        case .overdueAmendment:
            return .a(.href(Paths.siteAmendments(cpms, item.siteODS ?? "")), .safe("\(item.subject) at \(item.siteODS ?? "")"))
        case .overdueMonitoringAction, .training:
            return .a(.href(Paths.studyRecords(cpms) + "#monitoring"), .safe("\(item.subject) at \(item.siteODS ?? "")"))
        }
    }
}
