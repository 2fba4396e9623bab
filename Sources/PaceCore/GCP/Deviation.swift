import Foundation

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
