/// The seven kinds of CSV file Pace imports and exports (interchange.md).
public enum InterchangeKind: String, Sendable, CaseIterable, Codable {
    case organisations
    case studies
    case sites
    case participants
    case recruitmentCounts = "recruitment-counts"
    case setUpSteps = "set-up-steps"
    case amendments

    public var columns: [InterchangeColumn] {
        switch self {
        case .organisations: Organisation.columns
        case .studies: Study.columns
        case .sites: Site.columns
        case .participants: Participant.columns
        case .recruitmentCounts: RecruitmentCount.columns
        case .setUpSteps: SetUpStep.columns
        case .amendments: Amendment.columns
        }
    }

    public var columnNames: [String] { columns.map(\.name) }

    /// Every export's last column: when the record last changed in Pace (interchange.md). Optional on
    /// import, where it marks which version of each record the file holds.
    public static let lastChangedColumn = "last_changed"

    /// How the audit trail names this kind's records (`AuditSubject`).
    public var auditRecordType: String {
        switch self {
        case .organisations: "organisation"
        case .studies: "study"
        case .sites: "site"
        case .participants: "participant"
        case .recruitmentCounts: "recruitment-count"
        case .setUpSteps: "set-up-step"
        case .amendments: "amendment"
        }
    }

    /// The columns an export writes, and an import accepts.
    public var exportColumnNames: [String] { columnNames + [InterchangeKind.lastChangedColumn] }
}

public struct InterchangeColumn: Sendable, Hashable {
    /// How a column's value is typed in JSON (CSV carries everything as text).
    public enum ValueType: Sendable, Hashable {
        case text, integer, day, boolean, list
    }

    public let name: String
    public let required: Bool
    public let type: ValueType

    public init(_ name: String, required: Bool = false, type: ValueType = .text) {
        self.name = name
        self.required = required
        self.type = type
    }
}

/// One record of an interchange file: how it is read from a row and written back.
public protocol InterchangeRecord: Sendable {
    static var kind: InterchangeKind { get }
    static var columns: [InterchangeColumn] { get }
    /// Reads a record; returns nil (with problems in `row`) when anything is wrong.
    init?(reading row: inout RowReader)
    /// The fields in `columns` order, formatted so that reading them back gives the same record.
    var csvFields: [String] { get }
    /// The record's key as a person would write it, for messages.
    var keyDescription: String { get }
}

/// An error in an import file, located as `FILE:ROW:COLUMN: message`.
public struct ImportIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let row: Int
    public let column: String
    public let message: String

    public init(file: String, row: Int, column: String, message: String) {
        self.file = file
        self.row = row
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(row):\(column): \(message)" }
}

/// Every problem found in one file; nothing from the file was written.
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
    public let issues: [ImportIssue]
    /// How many further issues were found beyond those listed.
    public let moreIssues: Int

    public init(issues: [ImportIssue], moreIssues: Int = 0) {
        self.issues = issues
        self.moreIssues = moreIssues
    }

    public var description: String {
        var lines = issues.map(\.description)
        if moreIssues > 0 { lines.append("… and \(moreIssues) more problems") }
        lines.append("Nothing was imported: correct the file and import it again.")
        return lines.joined(separator: "\n")
    }
}

/// The header row of an interchange file, checked against the kind's columns.
public struct InterchangeHeader: Sendable {
    public let indexByColumn: [String: Int]

    public init(record: CSVRecord, kind: InterchangeKind, file: String) throws(ImportRejected) {
        var issues: [ImportIssue] = []
        var index: [String: Int] = [:]
        let known = Set(kind.exportColumnNames)
        for (position, raw) in record.fields.enumerated() {
            let name = raw.trimmingSpaces.lowercased()
            if name.isEmpty {
                issues.append(ImportIssue(file: file, row: record.number, column: "column \(position + 1)", message: "the header has an empty column name"))
            } else if !known.contains(name) {
                issues.append(ImportIssue(file: file, row: record.number, column: raw, message: "unknown column '\(raw)'; \(kind.rawValue) files have: \(kind.exportColumnNames.joined(separator: ", "))"))
            } else if index[name] != nil {
                issues.append(ImportIssue(file: file, row: record.number, column: name, message: "column '\(name)' appears twice"))
            } else {
                index[name] = position
            }
        }
        for column in kind.columns where column.required && index[column.name] == nil {
            issues.append(ImportIssue(file: file, row: record.number, column: column.name, message: "required column '\(column.name)' is missing"))
        }
        guard issues.isEmpty else { throw ImportRejected(issues: issues) }
        indexByColumn = index
    }

    public var columnCount: Int { (indexByColumn.values.max() ?? -1) + 1 }
}

/// Formats values the way interchange files write them.
public enum InterchangeValue {
    public static func text(_ value: String?) -> String { value ?? "" }
    public static func day(_ value: Day?) -> String { value?.iso ?? "" }
    public static func integer(_ value: Int?) -> String { value.map(String.init) ?? "" }
    public static func boolean(_ value: Bool?) -> String { value.map { $0 ? "yes" : "no" } ?? "" }
    public static func code<Code: DomainCode>(_ value: Code?) -> String { value?.rawValue ?? "" }
    public static func list(_ values: [String]) -> String { values.joined(separator: ";") }
}
