import Foundation
import PaceCore
import PaceStore
import Plot

/// A study's GCP records: delegation logs, safety events, deviations, monitoring and essential documents.
/// Each add-form's fields carry its kind's prefix, so the page's field ids stay unique.
struct StudyRecordsPage {
    let study: Study
    let sites: [String]
    let people: [Person]
    let duties: [DelegationDuty]
    let records: StudyGCPRecords
    let now: Date
    /// The kind whose form was submitted with problems, and what was typed.
    var failed: (kind: GCPRecordKind, form: FormState)? = nil

    static func prefix(_ kind: GCPRecordKind) -> String {
        switch kind {
        case .delegations: "del"
        case .endedDelegations: "end"
        case .safetyEvents: "sae"
        case .safetyReports: "rep"
        case .safetyLimit: "lim"
        case .deviations: "dev"
        case .monitoringVisits: "vis"
        case .monitoringActions: "act"
        case .completedActions: "done"
        case .documents: "doc"
        }
    }

    func form(_ kind: GCPRecordKind) -> FormState {
        failed.flatMap { $0.kind == kind ? $0.form : nil } ?? FormState()
    }

    private var mayChange: Bool { PageContext.current.allows(.changePortfolio) }
    /// The host trust: a study team records safety events and deviations at its sites only.
    var hostODS = ""

    private func mayAdd(_ kind: GCPRecordKind) -> Bool {
        mayChange || (kind.studyTeamRecords && PageContext.current.allows(.recordStudyEvents, study: study.cpmsID))
    }

    func render(hostName: String) -> HTML {
        Layout(title: "GCP records – \(study.shortName)", section: .studies, hostName: hostName, breadcrumbs: [Crumb("\(study.shortName)", Paths.study(study.cpmsID))]).render(
            .h1(.safe("Good Clinical Practice records: \(study.shortName)")),
            .p(.class("lede"), .safe("Delegation logs, safety events, deviations, monitoring visits and essential documents for CPMS \(study.cpmsID). Every addition is written to the audit trail.")),
            delegationSection, safetySection, deviationSection, monitoringSection, documentSection
        )
    }

    private func field(_ kind: GCPRecordKind, _ name: String, _ label: String, type: HTMLInputType = .text, hint: String? = nil, required: Bool = false) -> Node<HTML.BodyContext> {
        FormField.input("\(Self.prefix(kind))_\(name)", label, form: form(kind), type: type, hint: hint, required: required)
    }

    private func dateField(_ kind: GCPRecordKind, _ name: String, _ label: String, hint: String? = nil, required: Bool = false, withTime: Bool = false) -> Node<HTML.BodyContext> {
        FormField.date("\(Self.prefix(kind))_\(name)", label, form: form(kind), hint: hint, required: required, withTime: withTime)
    }

    private func siteSelect(_ kind: GCPRecordKind) -> Node<HTML.BodyContext> {
        let choices = mayChange ? sites : sites.filter { $0 == hostODS }
        return FormField.select("\(Self.prefix(kind))_site_ods", "Site", form: form(kind), options: choices.map { ($0, $0) }, required: true)
    }

    private func addForm(_ kind: GCPRecordKind, _ title: String, _ fields: Node<HTML.BodyContext>..., button: String) -> Node<HTML.BodyContext> {
        .if(mayAdd(kind), .element(named: "details", nodes: [
            .attribute(named: "open", value: failed?.kind == kind ? "open" : nil),
            .element(named: "summary", nodes: [.safe(title)]),
            FormField.errorSummary(form(kind), labels: [:]),
            FormField.form(Paths.studyRecords(study.cpmsID, kind), label: title, .group(fields), FormField.submit(button)),
        ]))
    }

    private var delegationSection: Node<HTML.BodyContext> {
        let dutyNames = Dictionary(uniqueKeysWithValues: duties.map { ($0.code, $0.name) })
        return .section(
            .id("delegation-log"), .class("card"),
            .h2(.safe("Delegation log")),
            records.delegations.isEmpty ? .p(.safe("No duties delegated yet.")) : Show.tableRegion("Delegation log", .table(
                .thead(.tr(.th(.safe("Site")), .th(.safe("Person")), .th(.safe("Duties")), .th(.safe("From")), .th(.safe("To")), .th(.safe("PI sign-off")))),
                .tbody(.forEach(records.delegations) { delegation in
                    .tr(.td(.safe(delegation.siteODS)),
                        .td(PageContext.current.allows(.readPortfolio) ? .a(.href(Paths.person(delegation.personID)), .safe(delegation.personName)) : .safe(delegation.personName)),
                        .td(.safe(delegation.duties.map { dutyNames[$0] ?? $0 }.joined(separator: "; "))),
                        .td(.class("nowrap"), .safe(delegation.startOn.longText)), .td(.class("nowrap"), .safe(Show.day(delegation.endOn))),
                        .td(.class("nowrap"), .safe(delegation.piSignedOn?.iso ?? "Not signed")))
                })
            )),
            addForm(.delegations, "Delegate duties",
                    siteSelect(.delegations),
                    FormField.select("del_person_id", "Person", form: form(.delegations), options: people.map { (String($0.id), $0.name) }, required: true),
                    .element(named: "fieldset", nodes: [
                        .id("del_duties"),
                        .element(named: "legend", nodes: [.safe("Duties")]),
                        .unwrap(form(.delegations).error("del_duties")) { .span(.class("error-message"), .safe($0)) },
                        .forEach(duties) { duty in
                            .div(.class("check"), .input(.type(.checkbox), .id("del_duty_\(duty.code)"), .name("del_duty_\(duty.code)"), .value("yes"),
                                                         .attribute(named: "checked", value: escapedAttribute(optional: form(.delegations).value("del_duty_\(duty.code)").isEmpty ? nil : "checked"))),
                                 .label(.for("del_duty_\(duty.code)"), .safe(duty.name)))
                        },
                    ]),
                    dateField(.delegations, "start_on", "From", required: true),
                    dateField(.delegations, "end_on", "To", hint: "Leave empty while the person still holds the duties"),
                    dateField(.delegations, "pi_signed_on", "Signed off by the principal investigator on"),
                    button: "Add to the delegation log"),
            .if(records.delegations.contains { $0.endOn == nil }, addForm(.endedDelegations, "End a delegation",
                    FormField.select("end_delegation_id", "Delegation", form: form(.endedDelegations), options: records.delegations.filter { $0.endOn == nil }.map {
                        (String($0.id), "\($0.personName) at \($0.siteODS), from \($0.startOn.longText)")
                    }, required: true),
                    dateField(.endedDelegations, "end_on", "Last day", required: true),
                    button: "End delegation"))
        )
    }

    private var safetySection: Node<HTML.BodyContext> {
        let limit = records.safetyLimitHours
        return .section(
            .id("safety"), .class("card"),
            .h2(.safe("Serious adverse events")),
            .p(.safe("The protocol's limit for reporting to the sponsor: \(limit) hours from awareness. Times are UK time.")),
            records.safetyEvents.isEmpty ? .p(.safe("No serious adverse events recorded.")) : Show.tableRegion("Serious adverse events", .table(
                .thead(.tr(.th(.safe("Site")), .th(.safe("Participant")), .th(.safe("Onset")), .th(.safe("Team aware")), .th(.safe("Reported to sponsor")), .th(.safe("Timeliness")))),
                .tbody(.forEach(records.safetyEvents) { event in
                    let hours = event.hoursToReport(now: now)
                    let late = event.isLate(limitHours: limit, now: now)
                    let verdict = event.reportedAt == nil
                        ? (late ? "Late: not reported after \(Int(hours)) hours" : "Due within \(max(0, limit - Int(hours))) hours")
                        : (late ? "Late: \(String(format: "%.1f", hours)) hours" : "On time: \(String(format: "%.1f", hours)) hours")
                    return .tr(.td(.safe(event.siteODS)), .td(.safe(event.participantID)), .td(.class("nowrap"), .safe(event.onsetOn.longText)),
                               .td(.class("nowrap"), .safe(LocalTime.display(event.awareAt))),
                               .td(.class("nowrap"), .safe(event.reportedAt.map(LocalTime.display) ?? "Not yet")),
                               .td(.span(.class(late ? "badge red" : event.reportedAt == nil ? "badge amber" : "badge green"), .safe(verdict))))
                })
            )),
            addForm(.safetyEvents, "Record a serious adverse event",
                    siteSelect(.safetyEvents),
                    field(.safetyEvents, "participant_id", "Participant ID", hint: "The study pseudonym only", required: true),
                    dateField(.safetyEvents, "onset_on", "Onset", required: true),
                    dateField(.safetyEvents, "aware_at", "Team became aware", required: true, withTime: true),
                    dateField(.safetyEvents, "reported_at", "Reported to the sponsor", hint: "Leave empty until it is reported", withTime: true),
                    field(.safetyEvents, "summary", "Summary", hint: "No patient identifiers"),
                    button: "Record event"),
            .if(records.safetyEvents.contains { $0.reportedAt == nil }, addForm(.safetyReports, "Record when an event was reported",
                    FormField.select("rep_event_id", "Event", form: form(.safetyReports), options: records.safetyEvents.filter { $0.reportedAt == nil }.map {
                        (String($0.id), "\($0.participantID) at \($0.siteODS), aware \(LocalTime.display($0.awareAt))")
                    }, required: true),
                    dateField(.safetyReports, "reported_at", "Reported to the sponsor", required: true, withTime: true),
                    button: "Record report")),
            addForm(.safetyLimit, "Change the reporting limit",
                    field(.safetyLimit, "report_limit_hours", "Hours from awareness", hint: "From the protocol, e.g. 24", required: true),
                    button: "Save limit")
        )
    }

    private var deviationSection: Node<HTML.BodyContext> {
        .section(
            .id("deviations"), .class("card"),
            .h2(.safe("Protocol deviations")),
            records.deviations.isEmpty ? .p(.safe("No deviations recorded.")) : Show.tableRegion("Protocol deviations", .table(
                .thead(.tr(.th(.safe("Site")), .th(.safe("Date")), .th(.safe("What happened")), .th(.safe("Important")), .th(.safe("Corrective action")), .th(.safe("Preventive action")))),
                .tbody(.forEach(records.deviations) { deviation in
                    .tr(.td(.safe(deviation.siteODS)), .td(.class("nowrap"), .safe(deviation.occurredOn.longText)), .td(.safe(deviation.description)),
                        .td(.safe(deviation.important ? "Yes" : "No")), .td(.safe(Show.text(deviation.correctiveAction))), .td(.safe(Show.text(deviation.preventiveAction))))
                })
            )),
            addForm(.deviations, "Record a deviation",
                    siteSelect(.deviations),
                    dateField(.deviations, "occurred_on", "Date", required: true),
                    field(.deviations, "description", "What happened", required: true),
                    FormField.select("dev_important", "Important deviation", form: form(.deviations), options: [("no", "No"), ("yes", "Yes: it may affect participants' safety or the reliability of results")], blank: nil),
                    field(.deviations, "corrective_action", "Corrective action", hint: "Required for an important deviation"),
                    field(.deviations, "preventive_action", "Preventive action", hint: "Required for an important deviation"),
                    button: "Record deviation")
        )
    }

    private var monitoringSection: Node<HTML.BodyContext> {
        let today = Day.today()
        let open = records.visits.flatMap { visit in visit.actions.filter { $0.doneOn == nil }.map { (visit, $0) } }
        return .section(
            .id("monitoring"), .class("card"),
            .h2(.safe("Monitoring visits")),
            records.visits.isEmpty ? .p(.safe("No monitoring visits recorded.")) : Show.tableRegion("Monitoring visits", .table(
                .thead(.tr(.th(.safe("Site")), .th(.safe("Visit")), .th(.safe("Monitor")), .th(.safe("Findings")), .th(.safe("Actions")))),
                .tbody(.forEach(records.visits) { visit in
                    .tr(.td(.safe(visit.siteODS)), .td(.class("nowrap"), .safe(visit.visitedOn.longText)), .td(.safe(visit.monitor)), .td(.safe(Show.text(visit.findings))),
                        .td(visit.actions.isEmpty ? .safe("None") : .ul(.class("changes"), .forEach(visit.actions) { action in
                            .li(.safe("\(action.action): due \(action.dueOn.longText), "),
                                action.doneOn.map { .safe("done \($0.longText)") } ?? .span(.class(action.isOverdue(on: today) ? "badge red" : "badge amber"), .safe(action.isOverdue(on: today) ? "overdue" : "open")))
                        })))
                })
            )),
            addForm(.monitoringVisits, "Record a monitoring visit",
                    siteSelect(.monitoringVisits),
                    dateField(.monitoringVisits, "visited_on", "Date of visit", required: true),
                    field(.monitoringVisits, "monitor", "Monitor", hint: "Name and organisation", required: true),
                    field(.monitoringVisits, "findings", "Findings"),
                    button: "Record visit"),
            .if(!records.visits.isEmpty, addForm(.monitoringActions, "Add an action from a visit",
                    FormField.select("act_visit_id", "Visit", form: form(.monitoringActions), options: records.visits.map { (String($0.id), "\($0.visitedOn.longText) at \($0.siteODS) by \($0.monitor)") }, required: true),
                    field(.monitoringActions, "action", "Action", required: true),
                    dateField(.monitoringActions, "due_on", "Due", required: true),
                    button: "Add action")),
            .if(!open.isEmpty, addForm(.completedActions, "Mark an action done",
                    FormField.select("done_action_id", "Action", form: form(.completedActions), options: open.map { (String($0.1.id), "\($0.1.action) (due \($0.1.dueOn.longText))") }, required: true),
                    dateField(.completedActions, "done_on", "Done on", required: true),
                    button: "Mark done"))
        )
    }

    private var documentSection: Node<HTML.BodyContext> {
        .section(
            .id("documents"), .class("card"),
            .h2(.safe("Essential documents")),
            .p(.class("hint"), .safe("Every version is kept: approving a new version marks the earlier approved one superseded.")),
            records.documents.isEmpty ? .p(.safe("No documents recorded.")) : Show.tableRegion("Essential documents", .table(
                .thead(.tr(.th(.safe("Document")), .th(.safe("Version")), .th(.safe("Dated")), .th(.safe("Status")), .th(.safe("Approver")))),
                .tbody(.forEach(records.documents) { document in
                    .tr(.td(.safe(document.name)), .td(.safe(document.version)), .td(.class("nowrap"), .safe(document.datedOn.longText)),
                        .td(.safe(document.status.label)), .td(.safe(Show.text(document.approver))))
                })
            )),
            addForm(.documents, "Add a document or a new version",
                    field(.documents, "name", "Document", hint: "e.g. Protocol, Participant information sheet", required: true),
                    field(.documents, "version", "Version", hint: "e.g. 3.0", required: true),
                    dateField(.documents, "dated_on", "Version date", required: true),
                    FormField.select("doc_status", "Status", form: form(.documents), options: [("draft", "Draft"), ("approved", "Approved")], blank: nil),
                    field(.documents, "approver", "Approved by", hint: "Required once approved"),
                    button: "Add document")
        )
    }
}
