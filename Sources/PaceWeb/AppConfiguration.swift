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

    /// Reads `PACE_DATABASE_URL`, `PACE_HOST_ODS`, `PACE_SESSION_IDLE_MINUTES`, `PACE_SECURE_COOKIES` and `PACE_UPLOAD_LIMIT_MB`; a bad value names its variable.
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
        return configuration
    }
}
