import Foundation

/// The kinds of GCP record a study's page and the API add, each read from submitted values.
public enum GCPRecordKind: String, Sendable, CaseIterable {
    case delegations
    case endedDelegations = "ended-delegations"
    case safetyEvents = "safety-events"
    case safetyReports = "safety-reports"
    case safetyLimit = "safety-limit"
    case deviations
    case monitoringVisits = "monitoring-visits"
    case monitoringActions = "monitoring-actions"
    case completedActions = "completed-actions"
    case documents

    /// The page section (and form) the kind belongs to.
    public var section: String {
        switch self {
        case .delegations, .endedDelegations: "delegation-log"
        case .safetyEvents, .safetyReports, .safetyLimit: "safety"
        case .deviations: "deviations"
        case .monitoringVisits, .monitoringActions, .completedActions: "monitoring"
        case .documents: "documents"
        }
    }
}

extension Delegation {
    /// Duties come as "consent;crf" (API) or one checkbox per duty named duty_CODE (form).
    public init?(reading row: inout RowReader, values: [String: String], cpmsID: Int) {
        let site = row.odsCode("site_ods", required: true)
        let person = row.integer("person_id", required: true, in: 1...Int(Int32.max))
        let start = row.day("start_on", required: true)
        let end = row.day("end_on")
        let signed = row.day("pi_signed_on")
        row.requireOrder(start, "start_on", end, "end_on")
        var duties = (values["duties"] ?? "").split(whereSeparator: { $0 == ";" || $0 == "," }).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        duties += values.keys.filter { $0.hasPrefix("duty_") && values[$0] != "" }.map { String($0.dropFirst(5)) }
        duties = Array(Set(duties)).sorted()
        if duties.isEmpty { row.problem("duties", "choose at least one duty") }
        guard let site, let person, let start, row.problems.isEmpty else { return nil }
        self.init(cpmsID: cpmsID, siteODS: site, personID: person, duties: duties, startOn: start, endOn: end, piSignedOn: signed)
    }
}

extension DelegationDuty {
    public init?(reading row: inout RowReader) {
        let code = row.text("code", required: true, maxLength: 30)
        let name = row.text("name", required: true, maxLength: 100)
        if let code, !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            row.problem("code", "may contain only letters, digits and hyphens")
        }
        guard let code, let name, row.problems.isEmpty else { return nil }
        self.init(code: code.lowercased(), name: name)
    }
}

extension GCPRecordKind {
    /// The records a study team keeps for its own studies, at its own trust's sites; the R&D office
    /// keeps the rest (delegation, monitoring, documents, reporting limits).
    public var studyTeamRecords: Bool {
        self == .safetyEvents || self == .safetyReports || self == .deviations
    }
}
