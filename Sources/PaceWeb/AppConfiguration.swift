import Foundation
import PaceCore
import PaceStore

/// Everything Pace reads from its environment, with defaults that run on a laptop.
public struct AppConfiguration: Sendable {
    public var database: DatabaseLocation
    /// The organisation whose R&D office runs this Pace (its ODS code).
    public var hostODS: String
    /// The largest file accepted through the browser or the API; bigger files go through `pace import`.
    public var uploadLimitBytes: Int
    /// Minutes without a request after which a session ends.
    public var sessionIdleMinutes = 30
    /// Send the session cookie only over HTTPS (set when Pace is served behind TLS).
    public var secureCookies = false
    /// Addresses of reverse proxies (e.g. nginx on 127.0.0.1) whose `X-Forwarded-For` names the real
    /// client; from anyone else the header is ignored, so a client cannot choose its own address.
    public var trustedProxies: Set<String> = []
    /// Bcrypt's cost; lower only in tests, where hashing speed matters more than strength.
    public var passwordCost = 12

    public static let defaultUploadLimit = 20 * 1024 * 1024

    /// A session's last-seen time is written when it is older than this, not on every request.
    static let sessionTouchSeconds: Double = 60

    /// Idle seconds after which a session ends: the idle minutes, plus the minute last-seen may lag.
    var sessionIdleLimit: Double { Double(sessionIdleMinutes * 60) + Self.sessionTouchSeconds }

    public init(database: DatabaseLocation = .sqliteFile(path: "pace.sqlite"), hostODS: String = "RT5", uploadLimitBytes: Int = AppConfiguration.defaultUploadLimit) {
        self.database = database
        self.hostODS = hostODS
        self.uploadLimitBytes = uploadLimitBytes
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `PACE_DATABASE_URL`, `PACE_HOST_ODS`, `PACE_SESSION_IDLE_MINUTES`, `PACE_SECURE_COOKIES`, `PACE_UPLOAD_LIMIT_MB`
    /// and `PACE_TRUSTED_PROXIES`; a bad value names its variable.
    public static func fromEnvironment(_ environment: [String: String]) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.database = try DatabaseLocation(parsing: environment[DatabaseLocation.environmentVariable] ?? DatabaseLocation.defaultValue)
        if let host = environment["PACE_HOST_ODS"] {
            guard let code = Identifiers.normalisedODSCode(host) else {
                throw Invalid(description: "PACE_HOST_ODS='\(host)' is not an ODS code (2–12 letters or digits, e.g. RT5)")
            }
            configuration.hostODS = code
        }
        if let minutes = environment["PACE_SESSION_IDLE_MINUTES"] {
            guard let value = Int(minutes), (1...720).contains(value) else {
                throw Invalid(description: "PACE_SESSION_IDLE_MINUTES='\(minutes)' must be a whole number of minutes from 1 to 720")
            }
            configuration.sessionIdleMinutes = value
        }
        if let secure = environment["PACE_SECURE_COOKIES"] {
            guard ["yes", "no"].contains(secure) else {
                throw Invalid(description: "PACE_SECURE_COOKIES='\(secure)' must be yes or no")
            }
            configuration.secureCookies = secure == "yes"
        }
        if let limit = environment["PACE_UPLOAD_LIMIT_MB"] {
            guard let megabytes = Int(limit), (1...1_024).contains(megabytes) else {
                throw Invalid(description: "PACE_UPLOAD_LIMIT_MB='\(limit)' must be a whole number of megabytes from 1 to 1024")
            }
            configuration.uploadLimitBytes = megabytes * 1024 * 1024
        }
        if let proxies = environment["PACE_TRUSTED_PROXIES"] {
            let addresses = proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard addresses.allSatisfy(Self.looksLikeAddress) else {
                throw Invalid(description: "PACE_TRUSTED_PROXIES='\(proxies)' must be IP addresses separated by commas, e.g. 127.0.0.1")
            }
            configuration.trustedProxies = Set(addresses)
        }
        return configuration
    }

    /// An IPv4 or IPv6 address as text: digits, hex letters, dots and colons, at most 45 characters.
    static func looksLikeAddress(_ text: String) -> Bool {
        (2...45).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            Identifiers.isASCIIDigit(byte) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
        }
    }
}
