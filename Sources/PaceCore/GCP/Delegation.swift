import Foundation

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
