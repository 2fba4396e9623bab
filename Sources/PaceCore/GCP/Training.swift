import Foundation

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
