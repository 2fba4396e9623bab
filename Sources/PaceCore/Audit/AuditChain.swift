import Foundation

/// The stored form of an event's field changes: JSON with sorted keys, so the same changes always
/// give the same text (and the same hash).
public enum AuditChanges {
    public static func encode(_ changes: [FieldChange]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(changes) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [FieldChange] {
        (try? JSONDecoder().decode([FieldChange].self, from: Data(text.utf8))) ?? []
    }
}

/// Why the trail does not verify, naming the first event that is wrong.
public struct AuditChainBreak: Error, Sendable, Hashable, CustomStringConvertible {
    public let sequence: Int
    public let problem: String

    public init(sequence: Int, problem: String) {
        self.sequence = sequence
        self.problem = problem
    }

    public var description: String { "audit event \(sequence): \(problem)" }
}

/// The outcome of checking the whole trail: every break found, not only the first, so tampering
/// after one break is not hidden by it.
public struct AuditVerification: Sendable {
    public let checked: Int
    /// Breaks in sequence order; at most `AuditVerification.listed` are kept, with the number past that.
    public let breaks: [AuditChainBreak]
    public let unlisted: Int
    public static let listed = 1_000

    public init(checked: Int, breaks: [AuditChainBreak], unlisted: Int = 0) {
        self.checked = checked
        self.breaks = breaks
        self.unlisted = unlisted
    }

    public var problem: AuditChainBreak? { breaks.first }

    /// One line per break, e.g. for `pace audit verify`.
    public var lines: [String] {
        breaks.map(\.description) + (unlisted > 0 ? ["… and \(unlisted) more"] : [])
    }
}

/// Checks the trail event by event, in sequence order, holding only the previous event.
public struct AuditChainVerifier {
    private let sha256: (String) -> String
    private var previousSequence = 0
    private var previousHash = AuditEvent.genesisHash
    public private(set) var checked = 0

    /// `sha256` gives the lowercase hex SHA-256 of a text's UTF-8 bytes.
    public init(sha256: @escaping (String) -> String) {
        self.sha256 = sha256
    }

    public mutating func check(_ event: AuditEvent) -> AuditChainBreak? {
        defer {
            previousSequence = event.sequence
            previousHash = event.hash
            checked += 1
        }
        if event.sequence != previousSequence + 1 {
            let missing = event.sequence > previousSequence + 1
                ? "events \(previousSequence + 1) to \(event.sequence - 1) are missing"
                : "it is out of order after event \(previousSequence)"
            return AuditChainBreak(sequence: event.sequence, problem: missing)
        }
        if event.previousHash != previousHash {
            return AuditChainBreak(sequence: event.sequence, problem: "it does not follow the event before it (that event was changed or removed)")
        }
        if sha256(event.previousHash + event.chainedText) != event.hash {
            return AuditChainBreak(sequence: event.sequence, problem: "its contents were changed after it was written")
        }
        return nil
    }

    /// After the last event: the chain's recorded head must be the last event checked, or events
    /// were removed from the end.
    public func checkEnd(headSequence: Int, headHash: String) -> AuditChainBreak? {
        if headSequence != previousSequence {
            return AuditChainBreak(sequence: previousSequence + 1, problem: "the trail should run to event \(headSequence) but ends at event \(previousSequence) (events were removed)")
        }
        if headHash != previousHash {
            return AuditChainBreak(sequence: previousSequence, problem: "its hash is not the one recorded as the end of the trail")
        }
        return nil
    }
}
