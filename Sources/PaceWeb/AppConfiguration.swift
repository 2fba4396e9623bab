import PaceCore
import PaceStore

/// Everything Pace reads from its environment, with defaults that run on a laptop.
public struct AppConfiguration: Sendable {
    public var database: DatabaseLocation
    /// The organisation whose R&D office runs this Pace (its ODS code).
    public var hostODS: String
    /// The largest file accepted through the browser or the API; bigger files go through `pace import`.
    public var uploadLimitBytes: Int

    public static let defaultUploadLimit = 20 * 1024 * 1024

    public init(database: DatabaseLocation = .sqliteFile(path: "pace.sqlite"), hostODS: String = "RT5", uploadLimitBytes: Int = AppConfiguration.defaultUploadLimit) {
        self.database = database
        self.hostODS = hostODS
        self.uploadLimitBytes = uploadLimitBytes
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `PACE_DATABASE_URL`, `PACE_HOST_ODS` and `PACE_UPLOAD_LIMIT_MB`; a bad value names its variable.
    public static func fromEnvironment(_ environment: [String: String]) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.database = try DatabaseLocation(parsing: environment[DatabaseLocation.environmentVariable] ?? DatabaseLocation.defaultValue)
        if let host = environment["PACE_HOST_ODS"] {
            guard let code = Identifiers.normalisedODSCode(host) else {
                throw Invalid(description: "PACE_HOST_ODS='\(host)' is not an ODS code (2–12 letters or digits, e.g. RT5)")
            }
            configuration.hostODS = code
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
