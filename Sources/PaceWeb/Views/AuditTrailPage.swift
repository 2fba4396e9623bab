import PaceCore
import PaceStore
import Plot

/// The latest events of the audit trail, and whether the chain verifies.
struct AuditTrailPage {
    let events: [AuditEvent]
    let verification: AuditVerification

    func render(hostName: String) -> HTML {
        Layout(title: "Audit trail", section: .audit, hostName: hostName).render(
            .h1(.safe("Audit trail")),
            .p(.class("lede"), .safe("Every change, sign-in and import, newest first. Each event carries a SHA-256 hash chained to the one before, so a changed or removed event is detected.")),
            verification.breaks.isEmpty
                ? .p(.class("notice"), .safe("The chain verifies: \(verification.checked) events checked."))
                : .div(.class("error-summary"), .attribute(named: "role", value: "alert"),
                       .h2(.safe("The trail does not verify: \(verification.breaks.count + verification.unlisted) of \(verification.checked) events")),
                       .ul(.forEach(verification.lines) { .li(.safe($0)) })),
            .p(.safe("Download for an inspector: "), .a(.href(Paths.auditAPI + "?format=csv"), .safe("CSV")), .safe(" · "), .a(.href(Paths.auditAPI), .safe("JSON")), .safe(" (or "), .code(.safe("pace audit export")), .safe(").")),
            AuditEventTable(events: events, showRecord: true).node
        )
    }
}

/// Events as a table: when, who, what, which record, which fields changed from what to what.
struct AuditEventTable {
    let events: [AuditEvent]
    let showRecord: Bool

    var node: Node<HTML.BodyContext> {
        events.isEmpty ? .p(.safe("No events yet.")) : .div(.class("table-wrap"), .attribute(named: "tabindex", value: "0"), .attribute(named: "role", value: "region"), .attribute(named: "aria-label", value: "Audit events"), .table(
            .thead(.tr(
                .th(.safe("When (UTC)")), .th(.safe("Who")), .th(.safe("Action")),
                .if(showRecord, .th(.safe("Record"))), .th(.safe("Changes")), .th(.safe("Reason"))
            )),
            .tbody(.forEach(events) { event in
                .tr(
                    .td(.safe(event.occurredAt)), .td(.safe(event.actor)), .td(.safe(event.action)),
                    .if(showRecord, .td(.safe("\(event.recordType) \(event.recordKey)"))),
                    .td(.ul(.class("changes"), .forEach(event.fieldChanges) { change in
                        .li(.safe("\(change.field): \(change.old ?? "—") → \(change.new ?? "—")"))
                    })),
                    .td(.safe(event.reason))
                )
            })
        ))
    }
}
