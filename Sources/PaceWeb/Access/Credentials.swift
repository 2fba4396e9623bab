import PaceCore
import PaceStore
import Vapor

/// Secrets Pace hands out (session keys, CSRF and API tokens) and how it keeps them.
enum Credentials {
    static let sessionCookie = "pace_session"
    static let signInCookie = "pace_sign_in"
    static let csrfField = "csrf_token"
    static let csrfHeader = "X-CSRF-Token"
    static let tokenPrefix = "pace_"

    /// 256 random bits, URL-safe.
    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func newAPIToken() -> String { tokenPrefix + randomSecret() }

    /// Keys and tokens are stored only as their SHA-256.
    static func storedHash(_ secret: String) -> String { AuditTrail.sha256(secret) }

    /// Compares secrets in time that does not depend on where they first differ.
    static func matches(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        guard a.count == b.count, !a.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// Password hashing with Bcrypt, shared by the web forms and `pace user add`.
public enum Passwords {
    public static let minimumLength = 12
    /// Bcrypt reads only the first 72 bytes, so a longer password would sign in with its first 72 alone.
    public static let maximumBytes = 72

    public static func hash(_ password: String, cost: Int = 12) throws -> String {
        try Bcrypt.hash(password, cost: cost)
    }

    /// Throws a `FieldProblem` naming the field when a new password is not acceptable.
    public static func check(_ password: String, email: String, field: String = "new_password") throws {
        guard password.count >= minimumLength else {
            throw FieldProblem(column: field, message: "Use at least \(minimumLength) characters; a few unrelated words make a strong password.")
        }
        guard password.utf8.count <= maximumBytes else {
            throw FieldProblem(column: field, message: "Use at most \(maximumBytes) bytes: 72 letters, digits or spaces, fewer where it has accented letters or symbols.")
        }
        guard !RowReader.containsControlCharacter(password) else {
            throw FieldProblem(column: field, message: "Use letters, digits, spaces and punctuation only: a tab or line break cannot be typed at sign-in.")
        }
        guard password.lowercased() != email.lowercased() else {
            throw FieldProblem(column: field, message: "Choose a password that is not your email address.")
        }
    }
}

/// API tokens for the command line (`pace user token`), made and stored as the web pages make them.
public enum APITokens {
    public static func newToken() -> String { Credentials.newAPIToken() }
    public static func storedHash(_ token: String) -> String { Credentials.storedHash(token) }
}
