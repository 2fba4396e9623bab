import Foundation

/// A member of staff or a researcher (never a patient): who can be trained and delegated duties.
public struct Person: Sendable, Hashable, Codable {
    public var id: Int
    public var name: String
    public var email: String?
    public var jobTitle: String?

    public init(id: Int = 0, name: String, email: String? = nil, jobTitle: String? = nil) {
        self.id = id
        self.name = name
        self.email = email
        self.jobTitle = jobTitle
    }

    public init?(reading row: inout RowReader) {
        let name = row.text("name", required: true, maxLength: 100)
        let email = row.text("email", maxLength: 254)
        if let email, !email.contains("@") { row.problem("email", "is not an email address") }
        let jobTitle = row.text("job_title", maxLength: 100)
        guard let name, row.problems.isEmpty else { return nil }
        self.init(name: name, email: email?.lowercased(), jobTitle: jobTitle)
    }

    public var auditFields: [String] { [name, email ?? "", jobTitle ?? ""] }
    public static let auditColumns = ["name", "email", "job_title"]
}

/// One completed course: GCP by default. It stays current for the trust's renewal interval.
public struct TrainingRecord: Sendable, Hashable, Codable {
    public var id: Int
    public var personID: Int
    public var course: String
    public var completedOn: Day
    public var provider: String?

    public static let gcp = "Good Clinical Practice"

    public init(id: Int = 0, personID: Int, course: String = TrainingRecord.gcp, completedOn: Day, provider: String? = nil) {
        self.id = id
        self.personID = personID
        self.course = course
        self.completedOn = completedOn
        self.provider = provider
    }

    public init?(reading row: inout RowReader, personID: Int, today: Day) {
        let course = row.text("course", maxLength: 100) ?? TrainingRecord.gcp
        let completed = row.day("completed_on", required: true)
        let provider = row.text("provider", maxLength: 100)
        if let completed, completed > today { row.problem("completed_on", "is in the future: record training once it is completed") }
        guard let completed, row.problems.isEmpty else { return nil }
        self.init(personID: personID, course: course, completedOn: completed, provider: provider)
    }

    public var isGCP: Bool { course.lowercased() == TrainingRecord.gcp.lowercased() || course.uppercased() == "GCP" }

    /// The last day the training counts as current.
    public func expiresOn(renewalDays: Int) -> Day { completedOn.adding(days: renewalDays) }
}

public enum GCPTraining {
    /// The person's GCP training current on `day`, if any (the latest completion on or before it).
    public static func current(on day: Day, _ records: [TrainingRecord], renewalDays: Int) -> TrainingRecord? {
        records.filter { $0.isGCP && $0.completedOn <= day && day <= $0.expiresOn(renewalDays: renewalDays) }
            .max { $0.completedOn < $1.completedOn }
    }

    /// When the person's latest GCP training runs out (nil: never trained).
    public static func expiry(_ records: [TrainingRecord], renewalDays: Int) -> Day? {
        records.filter(\.isGCP).map(\.completedOn).max()?.adding(days: renewalDays)
    }
}

/// A duty the R&D office lets a principal investigator delegate, e.g. "Taking informed consent".
public struct DelegationDuty: Sendable, Hashable, Codable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    public static let standard: [DelegationDuty] = [
        DelegationDuty(code: "consent", name: "Taking informed consent"),
        DelegationDuty(code: "eligibility", name: "Confirming eligibility"),
        DelegationDuty(code: "crf", name: "Completing case report forms"),
        DelegationDuty(code: "safety", name: "Recording and reporting adverse events"),
        DelegationDuty(code: "imp", name: "Dispensing the investigational medicinal product"),
        DelegationDuty(code: "samples", name: "Taking and processing samples"),
        DelegationDuty(code: "outcomes", name: "Assessing outcomes"),
    ]
}

/// One line of a site's delegation log: who does which duties, from when to when, signed off by the PI.
public struct Delegation: Sendable, Hashable, Codable {
    public var id: Int
    public var cpmsID: Int
    public var siteODS: String
    public var personID: Int
    public var personName: String
    public var duties: [String]
    public var startOn: Day
    public var endOn: Day?
    public var piSignedOn: Day?

    public init(id: Int = 0, cpmsID: Int, siteODS: String, personID: Int, personName: String = "", duties: [String], startOn: Day, endOn: Day? = nil, piSignedOn: Day? = nil) {
        self.id = id
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.personID = personID
        self.personName = personName
        self.duties = duties
        self.startOn = startOn
        self.endOn = endOn
        self.piSignedOn = piSignedOn
    }

    public func isActive(on day: Day) -> Bool { startOn <= day && (endOn.map { day <= $0 } ?? true) }

    /// Refuses a delegation to someone without current GCP training: on the first day, and today if it is still running.
    public static func trainingProblem(startOn: Day, endOn: Day?, today: Day, training: [TrainingRecord], renewalDays: Int, personName: String) -> FieldProblem? {
        var days = [startOn]
        if endOn.map({ today <= $0 }) ?? true, startOn <= today { days.append(today) }
        for day in days where GCPTraining.current(on: day, training, renewalDays: renewalDays) == nil {
            let expiry = GCPTraining.expiry(training, renewalDays: renewalDays)
            let detail = expiry.map { $0 < day ? "their GCP training expired on \($0.iso)" : "their GCP training was completed after that day" } ?? "they have no GCP training on record"
            return FieldProblem(column: "person_id", message: "\(personName) cannot be delegated duties from \(day.iso): \(detail). Record current GCP training first.")
        }
        return nil
    }

    public var auditFields: [String] { [String(personID), duties.joined(separator: ";"), startOn.iso, endOn?.iso ?? "", piSignedOn?.iso ?? ""] }
    public static let auditColumns = ["person_id", "duties", "start_on", "end_on", "pi_signed_on"]
}

/// A serious adverse event as the site knows it: when it began, when the team knew, when the sponsor was told.
public struct SafetyEvent: Sendable, Hashable, Codable {
    public var id: Int
    public var cpmsID: Int
    public var siteODS: String
    public var participantID: String
    public var onsetOn: Day
    public var awareAt: Date
    public var reportedAt: Date?
    public var summary: String?

    public init(id: Int = 0, cpmsID: Int, siteODS: String, participantID: String, onsetOn: Day, awareAt: Date, reportedAt: Date? = nil, summary: String? = nil) {
        self.id = id
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.participantID = participantID
        self.onsetOn = onsetOn
        self.awareAt = awareAt
        self.reportedAt = reportedAt
        self.summary = summary
    }

    public init?(reading row: inout RowReader, cpmsID: Int, now: Date) {
        let site = row.odsCode("site_ods", required: true)
        let participant = row.text("participant_id", required: true, maxLength: Identifiers.participantIDLimit)
        if let participant, let problem = Identifiers.participantIDProblem(participant) { row.problem("participant_id", problem.description) }
        let onset = row.day("onset_on", required: true)
        let aware = Self.time(&row, "aware_at", required: true)
        let reported = Self.time(&row, "reported_at", required: false)
        let summary = row.text("summary", maxLength: 500)
        if let aware, aware > now.addingTimeInterval(60) { row.problem("aware_at", "is in the future") }
        if let aware, let reported, reported < aware { row.problem("reported_at", "is before the team became aware") }
        if let reported, reported > now.addingTimeInterval(60) { row.problem("reported_at", "is in the future") }
        if let onset, let aware, onset > Day(aware) { row.problem("onset_on", "is after the team became aware") }
        guard let site, let participant, let onset, let aware, row.problems.isEmpty else { return nil }
        self.init(cpmsID: cpmsID, siteODS: site, participantID: participant, onsetOn: onset, awareAt: aware, reportedAt: reported, summary: summary)
    }

    public static func time(_ row: inout RowReader, _ column: String, required: Bool) -> Date? {
        guard let text = row.text(column, required: required, maxLength: 20) else { return nil }
        guard let date = LocalTime.parse(text) else {
            row.problem(column, "'\(text)' is not a date and time: write yyyy-mm-dd hh:mm (UK time)")
            return nil
        }
        return date
    }

    /// Hours from awareness to the report (or to `now` while unreported).
    public func hoursToReport(now: Date) -> Double { (reportedAt ?? now).timeIntervalSince(awareAt) / 3_600 }

    /// Late when reported after the limit, or still unreported once it has passed.
    public func isLate(limitHours: Int, now: Date) -> Bool { hoursToReport(now: now) > Double(limitHours) }

    public var auditFields: [String] { [participantID, onsetOn.iso, LocalTime.stored(awareAt), reportedAt.map(LocalTime.stored) ?? "", summary ?? ""] }
    public static let auditColumns = ["participant_id", "onset_on", "aware_at", "reported_at", "summary"]
}

/// A departure from the protocol; important ones need corrective and preventive action.
public struct Deviation: Sendable, Hashable, Codable {
    public var id: Int
    public var cpmsID: Int
    public var siteODS: String
    public var occurredOn: Day
    public var description: String
    public var important: Bool
    public var correctiveAction: String?
    public var preventiveAction: String?

    public init(id: Int = 0, cpmsID: Int, siteODS: String, occurredOn: Day, description: String, important: Bool, correctiveAction: String? = nil, preventiveAction: String? = nil) {
        self.id = id
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.occurredOn = occurredOn
        self.description = description
        self.important = important
        self.correctiveAction = correctiveAction
        self.preventiveAction = preventiveAction
    }

    public init?(reading row: inout RowReader, cpmsID: Int, today: Day) {
        let site = row.odsCode("site_ods", required: true)
        let occurred = row.day("occurred_on", required: true)
        let description = row.text("description", required: true, maxLength: 1_000)
        let important = row.boolean("important") ?? false
        let corrective = row.text("corrective_action", maxLength: 1_000)
        let preventive = row.text("preventive_action", maxLength: 1_000)
        if let occurred, occurred > today { row.problem("occurred_on", "is in the future") }
        if important && (corrective == nil || preventive == nil) {
            row.problem(corrective == nil ? "corrective_action" : "preventive_action", "is required for an important deviation: say what was done and what will stop it happening again")
        }
        guard let site, let occurred, let description, row.problems.isEmpty else { return nil }
        self.init(cpmsID: cpmsID, siteODS: site, occurredOn: occurred, description: description, important: important, correctiveAction: corrective, preventiveAction: preventive)
    }

    public var auditFields: [String] { [occurredOn.iso, description, important ? "yes" : "no", correctiveAction ?? "", preventiveAction ?? ""] }
    public static let auditColumns = ["occurred_on", "description", "important", "corrective_action", "preventive_action"]
}

/// A monitoring visit and what it found; its actions are tracked to their due dates.
public struct MonitoringVisit: Sendable, Hashable, Codable {
    public var id: Int
    public var cpmsID: Int
    public var siteODS: String
    public var visitedOn: Day
    public var monitor: String
    public var findings: String?
    public var actions: [MonitoringAction]

    public init(id: Int = 0, cpmsID: Int, siteODS: String, visitedOn: Day, monitor: String, findings: String? = nil, actions: [MonitoringAction] = []) {
        self.id = id
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.visitedOn = visitedOn
        self.monitor = monitor
        self.findings = findings
        self.actions = actions
    }

    public init?(reading row: inout RowReader, cpmsID: Int, today: Day) {
        let site = row.odsCode("site_ods", required: true)
        let visited = row.day("visited_on", required: true)
        let monitor = row.text("monitor", required: true, maxLength: 100)
        let findings = row.text("findings", maxLength: 2_000)
        if let visited, visited > today { row.problem("visited_on", "is in the future: record a visit once it has happened") }
        guard let site, let visited, let monitor, row.problems.isEmpty else { return nil }
        self.init(cpmsID: cpmsID, siteODS: site, visitedOn: visited, monitor: monitor, findings: findings)
    }

    public var auditFields: [String] { [visitedOn.iso, monitor, findings ?? ""] }
    public static let auditColumns = ["visited_on", "monitor", "findings"]
}

public struct MonitoringAction: Sendable, Hashable, Codable {
    public var id: Int
    public var visitID: Int
    public var action: String
    public var dueOn: Day
    public var doneOn: Day?

    public init(id: Int = 0, visitID: Int, action: String, dueOn: Day, doneOn: Day? = nil) {
        self.id = id
        self.visitID = visitID
        self.action = action
        self.dueOn = dueOn
        self.doneOn = doneOn
    }

    public init?(reading row: inout RowReader, visitID: Int) {
        let action = row.text("action", required: true, maxLength: 500)
        let due = row.day("due_on", required: true)
        let done = row.day("done_on")
        guard let action, let due, row.problems.isEmpty else { return nil }
        self.init(visitID: visitID, action: action, dueOn: due, doneOn: done)
    }

    public func isOverdue(on day: Day) -> Bool { doneOn == nil && dueOn < day }

    public var auditFields: [String] { [action, dueOn.iso, doneOn?.iso ?? ""] }
    public static let auditColumns = ["action", "due_on", "done_on"]
}

/// One version of an essential document in the investigator site file. A new version is a new row;
/// earlier versions stay, marked superseded.
public struct EssentialDocument: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable, DomainCode {
        case draft, approved, superseded
        public var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    public var id: Int
    public var cpmsID: Int
    public var name: String
    public var version: String
    public var datedOn: Day
    public var status: Status
    public var approver: String?

    public init(id: Int = 0, cpmsID: Int, name: String, version: String, datedOn: Day, status: Status, approver: String? = nil) {
        self.id = id
        self.cpmsID = cpmsID
        self.name = name
        self.version = version
        self.datedOn = datedOn
        self.status = status
        self.approver = approver
    }

    public init?(reading row: inout RowReader, cpmsID: Int) {
        let name = row.text("name", required: true, maxLength: 200)
        let version = row.text("version", required: true, maxLength: 30)
        let dated = row.day("dated_on", required: true)
        let status = row.code("status", Status.self, required: true)
        let approver = row.text("approver", maxLength: 100)
        if status == .approved && approver == nil { row.problem("approver", "is required for an approved document") }
        if status == .superseded { row.problem("status", "is set by Pace when a newer version is added") }
        guard let name, let version, let dated, let status, row.problems.isEmpty else { return nil }
        self.init(cpmsID: cpmsID, name: name, version: version, datedOn: dated, status: status, approver: approver)
    }

    public var auditFields: [String] { [name, version, datedOn.iso, status.rawValue, approver ?? ""] }
    public static let auditColumns = ["name", "version", "dated_on", "status", "approver"]
}
