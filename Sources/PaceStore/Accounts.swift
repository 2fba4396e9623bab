import FluentKit
import Foundation
import PaceCore
import SQLKit

/// A stored account with what signing in needs.
public struct StoredAccount: Sendable {
    public let account: Account
    public let passwordHash: String
    public let failedSignIns: Int
    public let lockedUntil: Date?
    public let createdAt: String
}

/// A session found by its key, with the token its forms must carry.
public struct StoredSession: Sendable {
    public let account: Account
    public let csrfToken: String
    public let lastSeenAt: Date
    /// A message for the next page this person opens ("Participant recorded."), kept here rather than in a URL.
    public var flash: String? = nil
}

/// One API token as its owner sees it (never the token itself).
public struct APITokenSummary: Sendable, Equatable {
    public let id: Int
    public let name: String
    public let createdAt: String
    public let lastUsedAt: String?
    public let revokedAt: String?
}

/// Accounts, sessions and API tokens. Keys and tokens are stored only as SHA-256 hashes; passwords
/// arrive already hashed (Bcrypt) from the web layer.
public struct Accounts: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public static let lockAfterFailures = 5
    public static let lockMinutes = 15

    static let accountColumns = "u.id, u.email, u.name, u.role, u.password_hash, u.access_until, u.is_active, u.failed_sign_ins, u.locked_until, u.created_at"
    static let selectAccount = "SELECT \(accountColumns) FROM users u"

    public func account(email: String) async throws -> StoredAccount? {
        let sql = try database.sql()
        guard let row = try await sql.raw(SQLQueryString(Self.selectAccount) + " WHERE u.email = \(bind: Self.normalised(email))").first() else { return nil }
        return try await stored(row, sql)
    }

    public func account(id: Int) async throws -> StoredAccount? {
        let sql = try database.sql()
        guard let row = try await sql.raw(SQLQueryString(Self.selectAccount) + " WHERE u.id = \(bind: id)").first() else { return nil }
        return try await stored(row, sql)
    }

    public func all() async throws -> [StoredAccount] {
        let sql = try database.sql()
        var accounts: [StoredAccount] = []
        for row in try await sql.raw(SQLQueryString(Self.selectAccount) + " ORDER BY u.email").all() {
            accounts.append(try await stored(row, sql))
        }
        return accounts
    }

    public func isEmpty() async throws -> Bool {
        try await database.sql().raw("SELECT 1 AS one FROM users LIMIT 1").first() == nil
    }

    private func stored(_ row: any SQLRow, _ sql: any SQLDatabase) async throws -> StoredAccount {
        let id = try row.integer("id") ?? 0
        let role = Role(rawValue: try row.text("role") ?? "") ?? .viewer
        // Only study-scoped roles have studies, so the other roles need no second query.
        let studies = role.isStudyScoped
            ? try await sql.raw("SELECT cpms_id FROM user_studies WHERE user_id = \(bind: id)").all().compactMap { try $0.integer("cpms_id") }
            : []
        let account = Account(
            id: id, email: try row.text("email") ?? "", name: try row.text("name") ?? "",
            role: role, studies: Set(studies),
            accessUntil: try row.text("access_until").flatMap { Day(iso: $0) },
            isActive: try row.decode(column: "is_active", as: Bool.self)
        )
        return StoredAccount(
            account: account, passwordHash: try row.text("password_hash") ?? "",
            failedSignIns: try row.integer("failed_sign_ins") ?? 0,
            lockedUntil: try row.text("locked_until").flatMap(Self.date), createdAt: try row.text("created_at") ?? ""
        )
    }

    static func normalised(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func date(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    // MARK: Creating and changing accounts

    /// Creates an account; throws a `FieldProblem` naming the field that is wrong.
    @discardableResult
    public func create(_ form: AccountForm, passwordHash: String, by context: AuditContext) async throws -> Int {
        let checked = try form.checked()
        return try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            if try await sql.raw("SELECT 1 AS one FROM users WHERE email = \(bind: checked.email)").first() != nil {
                throw FieldProblem(column: "email", message: "There is already an account for \(checked.email).")
            }
            try await Self.requireStudiesExist(checked.studies, sql)
            let now = AuditTrail.timestamp()
            guard let row = try await sql.raw("""
                INSERT INTO users (email, name, role, password_hash, access_until, is_active, failed_sign_ins, locked_until, created_at, password_changed_at)
                VALUES (\(bind: checked.email), \(bind: checked.name), \(bind: checked.role.rawValue), \(bind: passwordHash), \(bind: checked.accessUntil?.iso), \(bind: true), 0, NULL, \(bind: now), \(bind: now))
                RETURNING id
                """).first(), let id = try row.integer("id") else { throw NotSQLDatabase() }
            for study in checked.studies.sorted() {
                try await sql.raw("INSERT INTO user_studies (user_id, cpms_id) VALUES (\(bind: id), \(bind: study))").run()
            }
            try await AuditTrail.append([AuditEntry(action: .create, recordType: "user", recordKey: checked.email, changes: checked.auditFields(old: nil))], context, sql)
            return id
        }
    }

    /// Changes an account's name, role, studies, end date or whether it is active; the email stays.
    public func update(id: Int, _ form: AccountForm, isActive: Bool, by context: AuditContext) async throws {
        let checked = try form.checked()
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let current = try await Accounts(database: transaction).account(id: id) else {
                throw FieldProblem(column: "email", message: "There is no such account.")
            }
            try await Self.requireStudiesExist(checked.studies, sql)
            try await sql.raw("""
                UPDATE users SET name = \(bind: checked.name), role = \(bind: checked.role.rawValue), access_until = \(bind: checked.accessUntil?.iso), is_active = \(bind: isActive)
                WHERE id = \(bind: id)
                """).run()
            try await sql.raw("DELETE FROM user_studies WHERE user_id = \(bind: id)").run()
            for study in checked.studies.sorted() {
                try await sql.raw("INSERT INTO user_studies (user_id, cpms_id) VALUES (\(bind: id), \(bind: study))").run()
            }
            if !isActive || current.account.role != checked.role {
                // A role change or a closed account takes effect now, not when the old session ends.
                try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run()
            }
            var changes = checked.auditFields(old: current.account)
            if current.account.isActive != isActive {
                changes.append(FieldChange(field: "active", old: current.account.isActive ? "yes" : "no", new: isActive ? "yes" : "no"))
            }
            try await AuditTrail.append([AuditEntry(action: .change, recordType: "user", recordKey: current.account.email, changes: changes)], context, sql)
        }
    }

    static func requireStudiesExist(_ studies: Set<Int>, _ sql: any SQLDatabase) async throws {
        for study in studies.sorted() where try await sql.raw("SELECT 1 AS one FROM studies WHERE cpms_id = \(bind: study)").first() == nil {
            throw FieldProblem(column: "studies", message: "There is no study with CPMS ID \(study).")
        }
    }

    public func changePassword(id: Int, newHash: String, keepingSession keptKeyHash: String?, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let current = try await Accounts(database: transaction).account(id: id) else { return }
            try await sql.raw("UPDATE users SET password_hash = \(bind: newHash), password_changed_at = \(bind: AuditTrail.timestamp()) WHERE id = \(bind: id)").run()
            // Every other session of this person ends: a stolen session does not outlive a new password.
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id) AND key_hash <> \(bind: keptKeyHash ?? "")").run()
            try await AuditTrail.append([AuditEntry(action: .passwordChange, recordType: "user", recordKey: current.account.email)], context, sql)
        }
    }

    // MARK: Signing in

    /// Claims one password check for an account, in one statement so that however many attempts
    /// arrive at once, at most `lockAfterFailures` in a row are checked. The attempt counts as a failure
    /// until the password proves right (`startSession` or `clearFailedSignIns` then resets it), and the
    /// claim that reaches the limit locks the account at once. A lock that has run out starts the count
    /// again. False when the account is locked: its password is then not checked at all.
    public func claimSignInAttempt(accountID: Int, at now: Date = Date()) async throws -> Bool {
        let current = AuditTrail.timestamp(now)
        let until = AuditTrail.timestamp(now.addingTimeInterval(Double(Self.lockMinutes * 60)))
        let limit = Self.lockAfterFailures
        // A lock that has run out starts the count at one, which locks at once only when the limit is one.
        let relockedUntil = limit <= 1 ? until : nil
        return try await database.writeTransaction { transaction in
            let rows = try await transaction.sql().raw("""
                UPDATE users SET
                    failed_sign_ins = CASE WHEN locked_until IS NOT NULL AND locked_until <= \(bind: current) THEN 1 ELSE failed_sign_ins + 1 END,
                    locked_until = CASE
                        WHEN locked_until IS NOT NULL AND locked_until <= \(bind: current) THEN \(bind: relockedUntil)
                        WHEN failed_sign_ins + 1 >= \(bind: limit) THEN \(bind: until)
                        ELSE locked_until END
                WHERE id = \(bind: accountID)
                  AND ((locked_until IS NULL AND failed_sign_ins < \(bind: limit)) OR locked_until <= \(bind: current))
                RETURNING id
                """).all()
            return !rows.isEmpty
        }
    }

    /// The password was right but the account may not sign in (closed, access ended): the wrong-password count starts again.
    public func clearFailedSignIns(accountID: Int) async throws {
        try await database.writeTransaction { transaction in
            try await transaction.sql().raw("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = \(bind: accountID)").run()
        }
    }

    /// Records a refused sign-in in the audit trail (the count itself was kept by `claimSignInAttempt`).
    public func recordFailedSignIn(email: String, reason: String, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let key = Self.normalised(email)
            let entry = AuditEntry(action: .signInFailed, recordType: "user", recordKey: String(key.prefix(200)), changes: [FieldChange(field: "reason", old: nil, new: reason)])
            try await AuditTrail.append([entry], context, sql)
        }
    }

    /// Starts a session for a person who gave the right password.
    public func startSession(for account: Account, keyHash: String, csrfToken: String, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            let now = AuditTrail.timestamp()
            try await sql.raw("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = \(bind: account.id)").run()
            try await sql.raw("""
                INSERT INTO sessions (key_hash, user_id, csrf_token, created_at, last_seen_at)
                VALUES (\(bind: keyHash), \(bind: account.id), \(bind: csrfToken), \(bind: now), \(bind: now))
                """).run()
            try await AuditTrail.append([AuditEntry(action: .signIn, recordType: "user", recordKey: account.email)], context, sql)
        }
    }

    public func session(keyHash: String) async throws -> StoredSession? {
        let sql = try database.sql()
        guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.accountColumns), x.csrf_token, x.last_seen_at, x.flash FROM sessions x JOIN users u ON u.id = x.user_id WHERE x.key_hash = \(bind: keyHash)").first() else {
            return nil
        }
        let stored = try await stored(row, sql)
        return StoredSession(
            account: stored.account, csrfToken: try row.text("csrf_token") ?? "",
            lastSeenAt: try row.text("last_seen_at").flatMap(Self.date) ?? .distantPast, flash: try row.text("flash")
        )
    }

    /// Removes every session idle since before `cutoff` (they can no longer be used), so the table stays small.
    public func endIdleSessions(before cutoff: Date) async throws {
        try await database.sql().raw("DELETE FROM sessions WHERE last_seen_at < \(bind: AuditTrail.timestamp(cutoff))").run()
    }

    /// Leaves a message for the session's next page (nil clears it).
    public func setFlash(_ message: String?, keyHash: String) async throws {
        try await database.sql().raw("UPDATE sessions SET flash = \(bind: message.map { String($0.prefix(500)) }) WHERE key_hash = \(bind: keyHash)").run()
    }

    public func touchSession(keyHash: String, at date: Date = Date()) async throws {
        try await database.sql().raw("UPDATE sessions SET last_seen_at = \(bind: AuditTrail.timestamp(date)) WHERE key_hash = \(bind: keyHash)").run()
    }

    public func endSession(keyHash: String, account: Account?, by context: AuditContext?) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            try await sql.raw("DELETE FROM sessions WHERE key_hash = \(bind: keyHash)").run()
            if let account, let context {
                try await AuditTrail.append([AuditEntry(action: .signOut, recordType: "user", recordKey: account.email)], context, sql)
            }
        }
    }

    // MARK: API tokens

    public func createToken(for account: Account, name: String, tokenHash: String, by context: AuditContext) async throws {
        let label = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(label.count), !RowReader.containsControlCharacter(label) else {
            throw FieldProblem(column: "name", message: "Give the token a name of up to 100 characters, e.g. the script that will use it.")
        }
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            try await sql.raw("""
                INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (\(bind: account.id), \(bind: label), \(bind: tokenHash), \(bind: AuditTrail.timestamp()))
                """).run()
            try await AuditTrail.append([AuditEntry(action: .tokenCreate, recordType: "api-token", recordKey: account.email, changes: [FieldChange(field: "name", old: nil, new: label)])], context, sql)
        }
    }

    public func tokens(of account: Account) async throws -> [APITokenSummary] {
        try await database.sql().raw("SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = \(bind: account.id) ORDER BY id").all().map { row in
            APITokenSummary(
                id: try row.integer("id") ?? 0, name: try row.text("name") ?? "", createdAt: try row.text("created_at") ?? "",
                lastUsedAt: try row.text("last_used_at"), revokedAt: try row.text("revoked_at")
            )
        }
    }

    /// Revokes one of the account's own tokens; answers false when there is no such live token.
    @discardableResult
    public func revokeToken(id: Int, of account: Account, by context: AuditContext) async throws -> Bool {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let row = try await sql.raw("SELECT name FROM api_tokens WHERE id = \(bind: id) AND user_id = \(bind: account.id) AND revoked_at IS NULL").first() else { return false }
            try await sql.raw("UPDATE api_tokens SET revoked_at = \(bind: AuditTrail.timestamp()) WHERE id = \(bind: id)").run()
            try await AuditTrail.append([AuditEntry(action: .tokenRevoke, recordType: "api-token", recordKey: account.email, changes: [FieldChange(field: "name", old: try row.text("name"), new: nil)])], context, sql)
            return true
        }
    }

    /// The account a live token belongs to.
    public func account(tokenHash: String) async throws -> Account? {
        let sql = try database.sql()
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: Self.accountColumns), t.id AS token_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: tokenHash) AND t.revoked_at IS NULL
            """).first(), let tokenID = try row.integer("token_id") else { return nil }
        // Last use is kept to the minute, so a busy script does not write on every call.
        let now = Date()
        if (try row.text("last_used_at").flatMap(Self.date)).map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try await sql.raw("UPDATE api_tokens SET last_used_at = \(bind: AuditTrail.timestamp(now)) WHERE id = \(bind: tokenID)").run()
        }
        return try await stored(row, sql).account
    }
}
