import Foundation

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
