/// One field's value before and after a change (nil: the field had no value, or the record did not exist).
public struct FieldChange: Sendable, Hashable, Codable {
    public let field: String
    public let old: String?
    public let new: String?

    public init(field: String, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// The fields that differ between two versions of a record, in column order. A record created has
    /// no old version; a record deleted has no new one. Empty values count as no value.
    public static func between(old: [String]?, new: [String]?, columns: [String]) -> [FieldChange] {
        columns.indices.compactMap { index in
            let before = old.flatMap { index < $0.count && !$0[index].isEmpty ? $0[index] : nil }
            let after = new.flatMap { index < $0.count && !$0[index].isEmpty ? $0[index] : nil }
            return before == after ? nil : FieldChange(field: columns[index], old: before, new: after)
        }
    }

    /// The changes between two versions of an interchange record.
    public static func between<Record: InterchangeRecord>(_ old: Record?, _ new: Record?) -> [FieldChange] {
        between(old: old?.csvFields, new: new?.csvFields, columns: Record.columns.map(\.name))
    }
}

/// What happened, in the words an inspector reads.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case create, change, delete
    case importFile = "import"
    case signIn = "sign-in"
    case signInFailed = "sign-in-failed"
    case signOut = "sign-out"
    case passwordChange = "password-change"
    case tokenCreate = "token-create"
    case tokenRevoke = "token-revoke"
}

/// Who is acting, and for which request: every write carries one to the audit trail.
public struct AuditContext: Sendable, Hashable {
    /// "user:EMAIL" for a signed-in person, "cli:NAME" for the operating-system user at the command line.
    public let actor: String
    public let requestID: String?
    /// Why (required when an R&D manager corrects a locked or reported value).
    public let reason: String?

    public init(actor: String, requestID: String? = nil, reason: String? = nil) {
        self.actor = actor
        self.requestID = requestID
        self.reason = reason
    }

    public static func user(_ email: String, requestID: String? = nil) -> AuditContext {
        AuditContext(actor: "user:\(email)", requestID: requestID)
    }

    public static func commandLine(_ userName: String) -> AuditContext {
        AuditContext(actor: "cli:\(userName)")
    }

    public func because(_ reason: String?) -> AuditContext {
        AuditContext(actor: actor, requestID: requestID, reason: Reason.recorded(reason))
    }
}

/// A change to be written to the audit trail, before it is given its place in the chain.
public struct AuditEntry: Sendable, Hashable {
    public let action: AuditAction
    public let recordType: String
    public let recordKey: String
    public let changes: [FieldChange]

    public init(action: AuditAction, recordType: String, recordKey: String, changes: [FieldChange] = []) {
        self.action = action
        self.recordType = recordType
        self.recordKey = recordKey
        self.changes = changes
    }
}

/// One stored event of the append-only trail. `hash` is SHA-256 over `previousHash` and `chainedText`,
/// so changing or removing any event breaks every hash after it.
public struct AuditEvent: Sendable, Hashable, Codable {
    public let sequence: Int
    /// UTC, ISO 8601 with milliseconds.
    public let occurredAt: String
    public let actor: String
    public let action: String
    public let recordType: String
    public let recordKey: String
    /// The field changes as stored (JSON with sorted keys).
    public let changes: String
    public let reason: String
    public let requestID: String
    public let previousHash: String
    public let hash: String

    public init(sequence: Int, occurredAt: String, actor: String, action: String, recordType: String, recordKey: String, changes: String, reason: String, requestID: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.occurredAt = occurredAt
        self.actor = actor
        self.action = action
        self.recordType = recordType
        self.recordKey = recordKey
        self.changes = changes
        self.reason = reason
        self.requestID = requestID
        self.previousHash = previousHash
        self.hash = hash
    }

    /// Text as the trail stores it: control characters become U+FFFD, so the stored bytes read back
    /// the same from every database (and the field separator `\u{1F}` cannot appear).
    public static func storable(_ text: String) -> String {
        RowReader.replacingControlCharacters(text)
    }

    /// The hash that starts the chain.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The text the hash covers: every field but the hashes, separated by a character no field holds.
    public static func chainedText(sequence: Int, occurredAt: String, actor: String, action: String, recordType: String, recordKey: String, changes: String, reason: String, requestID: String) -> String {
        [String(sequence), occurredAt, actor, action, recordType, recordKey, changes, reason, requestID]
            .map { $0.replacingOccurrences(of: "\u{1F}", with: " ") }
            .joined(separator: "\u{1F}")
    }

    public var chainedText: String {
        Self.chainedText(sequence: sequence, occurredAt: occurredAt, actor: actor, action: action, recordType: recordType, recordKey: recordKey, changes: changes, reason: reason, requestID: requestID)
    }

    /// The field changes, read back from their stored form.
    public var fieldChanges: [FieldChange] {
        AuditChanges.decode(changes)
    }
}

/// The audit trail as an inspector receives it: CSV with one row per event, or JSON.
public enum AuditExport {
    public static let columns = ["sequence", "occurred_at", "actor", "action", "record_type", "record_key", "changes", "reason", "request_id", "previous_hash", "hash"]

    public static func csvFields(_ event: AuditEvent) -> [String] {
        [String(event.sequence), event.occurredAt, event.actor, event.action, event.recordType, event.recordKey, event.changes, event.reason, event.requestID, event.previousHash, event.hash]
    }

    public static func json(_ event: AuditEvent) -> JSONValue {
        .object([
            ("sequence", .integer(event.sequence)), ("occurred_at", .string(event.occurredAt)), ("actor", .string(event.actor)),
            ("action", .string(event.action)), ("record_type", .string(event.recordType)), ("record_key", .string(event.recordKey)),
            ("changes", .array(event.fieldChanges.map { change in
                .object([("field", .string(change.field)), ("old", change.old.map(JSONValue.string) ?? .null), ("new", change.new.map(JSONValue.string) ?? .null)])
            })),
            ("reason", .string(event.reason)), ("request_id", .string(event.requestID)),
            ("previous_hash", .string(event.previousHash)), ("hash", .string(event.hash)),
        ])
    }
}
