import Crypto
import FluentKit
import Foundation
import PaceCore
import SQLKit

/// The append-only audit trail. Writers call `append` inside their own transaction, so a change and
/// its events are saved together or not at all.
public struct AuditTrail: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public static func sha256(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    public static func sha256(bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        // A table, not String(format:): verifying the trail hashes every event, and formatting dominated.
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// UTC with milliseconds, sortable as text.
    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// Appends events to the chain. Call inside the transaction that makes the change.
    static func append(_ entries: [AuditEntry], _ context: AuditContext, _ sql: any SQLDatabase, at date: Date = Date()) async throws {
        guard !entries.isEmpty else { return }
        // Claiming the sequence numbers first locks the chain's head row until this transaction ends.
        guard let head = try await sql.raw("UPDATE audit_chain SET last_sequence = last_sequence + \(bind: entries.count) WHERE id = 1 RETURNING last_sequence, last_hash").first(),
              let last = try head.integer("last_sequence"), var previousHash = try head.text("last_hash") else {
            throw AuditTrailMissing()
        }
        var sequence = last - entries.count
        let occurredAt = timestamp(date)
        // What is hashed is exactly what is stored and read back: a control character (a NUL ends text
        // for some database readers) is written as U+FFFD, so verification never sees different text.
        let actor = AuditEvent.storable(context.actor)
        let reason = AuditEvent.storable(context.reason ?? "")
        let requestID = AuditEvent.storable(context.requestID ?? "")
        for entry in entries {
            sequence += 1
            let changes = AuditChanges.encode(entry.changes)
            let recordKey = AuditEvent.storable(entry.recordKey)
            let text = AuditEvent.chainedText(
                sequence: sequence, occurredAt: occurredAt, actor: actor, action: entry.action.rawValue,
                recordType: entry.recordType, recordKey: recordKey, changes: changes, reason: reason, requestID: requestID
            )
            let hash = sha256(previousHash + text)
            try await sql.raw("""
                INSERT INTO audit_events (sequence, occurred_at, actor, action, record_type, record_key, changes, reason, request_id, previous_hash, hash)
                VALUES (\(bind: sequence), \(bind: occurredAt), \(bind: actor), \(bind: entry.action.rawValue), \(bind: entry.recordType), \(bind: recordKey), \(bind: changes), \(bind: reason), \(bind: requestID), \(bind: previousHash), \(bind: hash))
                """).run()
            previousHash = hash
        }
        try await sql.raw("UPDATE audit_chain SET last_hash = \(bind: previousHash) WHERE id = 1").run()
    }

    /// Appends events in a transaction of their own (sign-ins and other events with no record change).
    public func record(_ entries: [AuditEntry], _ context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            try await Self.append(entries, context, try transaction.sql())
        }
    }

    /// The number of the last event written. Every change to Pace's data appends an event in the same
    /// transaction, so this moves whenever anything a page shows may have changed.
    public func lastSequence() async throws -> Int {
        let sql = try database.sql()
        guard let head = try await sql.raw("SELECT last_sequence FROM audit_chain WHERE id = 1").first(), let last = try head.integer("last_sequence") else {
            throw AuditTrailMissing()
        }
        return last
    }

    /// Recomputes the whole chain, streaming events in order, and lists every break: a check that
    /// stopped at the first would let later tampering hide behind it.
    public func verify() async throws -> AuditVerification {
        let sql = try database.sql()
        let state = VerificationState(AuditChainVerifier(sha256: Self.sha256))
        try await streamEvents(sql) { event in
            if let problem = state.verifier.check(event) { state.add(problem) }
        }
        if let head = try await sql.raw("SELECT last_sequence, last_hash FROM audit_chain WHERE id = 1").first(),
           let last = try head.integer("last_sequence"), let hash = try head.text("last_hash") {
            if let problem = state.verifier.checkEnd(headSequence: last, headHash: hash) { state.add(problem) }
        } else {
            state.add(AuditChainBreak(sequence: 0, problem: "the record of the trail's end is missing"))
        }
        return AuditVerification(checked: state.verifier.checked, breaks: state.breaks, unlisted: state.unlisted)
    }

    /// Every event in sequence order, one at a time (for exports of any length).
    public func forEachEvent(_ body: @escaping @Sendable (AuditEvent) throws -> Void) async throws {
        let sql = try database.sql()
        let failure = FirstFailure()
        try await streamEvents(sql) { event in
            guard failure.error == nil else { return }
            do { try body(event) } catch { failure.error = error }
        }
        if let error = failure.error { throw error }
    }

    /// The newest events, newest first.
    public func latest(limit: Int) async throws -> [AuditEvent] {
        try await database.sql().raw("SELECT * FROM audit_events ORDER BY sequence DESC LIMIT \(unsafeRaw: String(max(1, min(limit, 1_000))))").all().compactMap { try Self.event($0) }
    }

    /// The events about one record, or about records whose keys start with a prefix, newest first.
    /// `keyPrefix` matches the key itself and keys below it ("123" matches "123" and "123/RT5", not "1234").
    public func events(recordTypes: [String], keyPrefix: String, limit: Int = 200) async throws -> [AuditEvent] {
        let sql = try database.sql()
        let pattern = keyPrefix.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "/%"
        var query = SQLQueryString("SELECT * FROM audit_events WHERE (record_key = \(bind: keyPrefix) OR record_key LIKE \(bind: pattern)) AND record_type IN (")
        for (index, type) in recordTypes.enumerated() {
            query.appendInterpolation(unsafeRaw: index == 0 ? "" : ", ")
            query.appendInterpolation(bind: type)
        }
        query.appendInterpolation(unsafeRaw: ") ORDER BY sequence DESC LIMIT \(max(1, min(limit, 1_000)))")
        return try await sql.raw(query).all().compactMap { try Self.event($0) }
    }

    private func streamEvents(_ sql: any SQLDatabase, _ body: @escaping @Sendable (AuditEvent) -> Void) async throws {
        let failure = FirstFailure()
        try await sql.raw("SELECT * FROM audit_events ORDER BY sequence").run { row in
            do {
                if let event = try Self.event(row) { body(event) }
            } catch {
                failure.error = failure.error ?? error
            }
        }
        if let error = failure.error { throw error }
    }

    /// The latest removal of each record of a type, by its audit key: who removed it, when and why.
    static func removals(recordType: String, _ sql: any SQLDatabase) async throws -> [String: (at: String, by: String, reason: String?)] {
        var found: [String: (at: String, by: String, reason: String?)] = [:]
        for row in try await sql.raw("""
            SELECT record_key, occurred_at, actor, reason FROM audit_events WHERE action = 'delete' AND record_type = \(bind: recordType) ORDER BY sequence
            """).all() {
            guard let key = try row.text("record_key") else { continue }
            let occurred = try row.text("occurred_at") ?? ""
            let at = ChangeStamp.normalised(occurred) ?? occurred
            found[key] = (at, try row.text("actor") ?? "someone", try row.text("reason"))
        }
        return found
    }

    static func event(_ row: any SQLRow) throws -> AuditEvent? {
        guard let sequence = try row.integer("sequence") else { return nil }
        return AuditEvent(
            sequence: sequence, occurredAt: try row.text("occurred_at") ?? "", actor: try row.text("actor") ?? "",
            action: try row.text("action") ?? "", recordType: try row.text("record_type") ?? "", recordKey: try row.text("record_key") ?? "",
            changes: try row.text("changes") ?? "[]", reason: try row.text("reason") ?? "", requestID: try row.text("request_id") ?? "",
            previousHash: try row.text("previous_hash") ?? "", hash: try row.text("hash") ?? ""
        )
    }
}

/// The chain's head row is missing: the database was not migrated, or the row was removed.
struct AuditTrailMissing: Error, CustomStringConvertible {
    var description: String { "The audit trail's head record is missing; run `pace migrate`, then `pace audit verify`." }
}

/// The verifier as rows stream through it (one at a time, in order).
final class VerificationState: @unchecked Sendable {
    var verifier: AuditChainVerifier
    var breaks: [AuditChainBreak] = []
    var unlisted = 0

    init(_ verifier: AuditChainVerifier) {
        self.verifier = verifier
    }

    func add(_ problem: AuditChainBreak) {
        if breaks.count < AuditVerification.listed { breaks.append(problem) } else { unlisted += 1 }
    }
}

/// A SHA-256 taken a chunk at a time, as a file is read for import, so the file is read only once.
public final class StreamingSHA256: @unchecked Sendable {
    private var hasher = SHA256()

    public init() {}

    public func update(_ bytes: [UInt8]) {
        hasher.update(data: bytes)
    }

    /// The digest of everything given so far, as lowercase hex.
    public var hex: String {
        AuditTrail.hex(hasher.finalize())
    }
}

/// The first error thrown inside a row callback, carried out of it (rows arrive one at a time, in order).
final class FirstFailure: @unchecked Sendable {
    var error: (any Error)?
}
