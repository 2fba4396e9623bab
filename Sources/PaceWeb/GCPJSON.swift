import Foundation
import PaceCore
import PaceStore

/// GCP records as the API writes them.
enum GCPJSON {
    static func day(_ day: Day?) -> JSONValue { day.map { .string($0.iso) } ?? .null }
    static func text(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    static func time(_ date: Date?) -> JSONValue { date.map { .string(LocalTime.stored($0)) } ?? .null }

    static func records(_ records: StudyGCPRecords, now: Date) -> JSONValue {
        .object([
            ("delegations", .array(records.delegations.map { delegation in
                .object([("id", .integer(delegation.id)), ("site_ods", .string(delegation.siteODS)), ("person_id", .integer(delegation.personID)),
                         ("person_name", .string(delegation.personName)), ("duties", .array(delegation.duties.map(JSONValue.string))),
                         ("start_on", day(delegation.startOn)), ("end_on", day(delegation.endOn)), ("pi_signed_on", day(delegation.piSignedOn))])
            })),
            ("safety_report_limit_hours", .integer(records.safetyLimitHours)),
            ("safety_events", .array(records.safetyEvents.map { event in
                .object([("id", .integer(event.id)), ("site_ods", .string(event.siteODS)), ("participant_id", .string(event.participantID)),
                         ("onset_on", day(event.onsetOn)), ("aware_at", time(event.awareAt)), ("reported_at", time(event.reportedAt)),
                         ("summary", text(event.summary)), ("late", .boolean(event.isLate(limitHours: records.safetyLimitHours, now: now)))])
            })),
            ("deviations", .array(records.deviations.map { deviation in
                .object([("id", .integer(deviation.id)), ("site_ods", .string(deviation.siteODS)), ("occurred_on", day(deviation.occurredOn)),
                         ("description", .string(deviation.description)), ("important", .boolean(deviation.important)),
                         ("corrective_action", text(deviation.correctiveAction)), ("preventive_action", text(deviation.preventiveAction))])
            })),
            ("monitoring_visits", .array(records.visits.map { visit in
                .object([("id", .integer(visit.id)), ("site_ods", .string(visit.siteODS)), ("visited_on", day(visit.visitedOn)), ("monitor", .string(visit.monitor)),
                         ("findings", text(visit.findings)), ("actions", .array(visit.actions.map { action in
                             .object([("id", .integer(action.id)), ("action", .string(action.action)), ("due_on", day(action.dueOn)), ("done_on", day(action.doneOn))])
                         }))])
            })),
            ("documents", .array(records.documents.map { document in
                .object([("id", .integer(document.id)), ("name", .string(document.name)), ("version", .string(document.version)),
                         ("dated_on", day(document.datedOn)), ("status", .string(document.status.rawValue)), ("approver", text(document.approver))])
            })),
        ])
    }

    static func person(_ person: Person, training: [TrainingRecord], renewalDays: Int, today: Day) -> JSONValue {
        let current = GCPTraining.current(on: today, training, renewalDays: renewalDays)
        return .object([
            ("id", .integer(person.id)), ("name", .string(person.name)), ("email", text(person.email)), ("job_title", text(person.jobTitle)),
            ("gcp_current", .boolean(current != nil)), ("gcp_expires_on", day(GCPTraining.expiry(training, renewalDays: renewalDays))),
            ("training", .array(training.map { record in
                .object([("id", .integer(record.id)), ("course", .string(record.course)), ("completed_on", day(record.completedOn)), ("provider", text(record.provider))])
            })),
        ])
    }
}
