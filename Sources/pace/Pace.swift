import ArgumentParser
import Foundation
import PaceCore
import PaceStore
import PaceWeb

@main
struct Pace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pace",
        abstract: "Research delivery for NHS organisations: study register, set-up milestones and recruitment.",
        discussion: """
            Configuration comes from the environment:
              PACE_DATABASE_URL  sqlite:PATH (default sqlite:pace.sqlite) or postgres://user:password@host:port/database
              PACE_HOST_ODS      the ODS code of the organisation running Pace (default RT5)
              PACE_UPLOAD_LIMIT_MB  the largest file accepted through the browser or API (default 20)
              PACE_SESSION_IDLE_MINUTES  minutes without a request before a session ends (default 30)
              PACE_SECURE_COOKIES  yes when Pace is served over HTTPS, so cookies are sent only over it (default no)
            Every command applies pending database migrations first.
            """,
        subcommands: [Serve.self, Demo.self, Migrate.self, Import.self, Export.self, ReportCommand.self, RulesCommand.self, Generate.self, UserCommand.self, AuditCommand.self, BackupCommand.self, CorrectCommand.self, RemoveCommand.self]
    )
}

extension AuditContext {
    /// Changes made at the command line are recorded against the operating-system user who ran it.
    static var operatingSystemUser: AuditContext {
        .commandLine(ProcessInfo.processInfo.environment["USER"] ?? NSUserName())
    }
}

/// Reads the configuration, turning a bad variable into a clear message rather than a crash.
func loadConfiguration() throws -> AppConfiguration {
    do {
        return try AppConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
    } catch {
        throw ValidationError(String(describing: error))
    }
}

struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: "The address to listen on.")
    var hostname = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on.")
    var port = 8080

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
    }
}
