import ArgumentParser
import Foundation
import PaceCore
import PaceStore
import PaceWeb


struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve Pace with a demo portfolio (a mental-health and community trust, RT5).",
        discussion: "Loads the demo portfolio into an empty database (by default ./pace.sqlite), then serves it. An existing portfolio is left as it is unless --fresh is given."
    )

    @OptionGroup var server: ServerOptions

    @ArgumentParser.Option(help: "The seed for the generated portfolio; the same seed and day give the same portfolio.")
    var seed: UInt64 = 2026

    @ArgumentParser.Option(help: "How many studies to generate.")
    var studies = 80

    @ArgumentParser.Flag(help: "Delete the SQLite database file first and start from a new demo portfolio.")
    var fresh = false

    func validate() throws {
        guard (1...5_000).contains(studies) else { throw ValidationError("--studies must be from 1 to 5000") }
    }

    func run() async throws {
        let configuration = try loadConfiguration()
        if fresh {
            guard case .sqliteFile(let path) = configuration.database else {
                throw ValidationError("--fresh only deletes SQLite files; empty a PostgreSQL database yourself")
            }
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        // PACE_DEMO_PASSWORD fixes the demo password (for scripted tests); otherwise each new demo gets its own.
        let password = ProcessInfo.processInfo.environment["PACE_DEMO_PASSWORD"].flatMap { $0.count >= Passwords.minimumLength ? $0 : nil }
            ?? "demo-" + String(UUID().uuidString.lowercased().prefix(13))
        try await serve(configuration: configuration, server: server) { app in
            let register = Register(database: app.db)
            let portfolio = DemoPortfolio(seed: seed, asOf: Day.today(), studyCount: studies)
            if try await register.isEmpty() {
                try await register.load(portfolio, by: .operatingSystemUser)
                try await GCPStore(database: app.db).loadDemo(portfolio, today: Day.today(), by: .operatingSystemUser)
                app.logger.notice("Loaded the demo portfolio: \(portfolio.studies.count) studies, \(portfolio.sites.count) sites, \(portfolio.participants.count) participants, \(portfolio.counts.count) monthly counts.")
            } else {
                app.logger.notice("The database already holds a portfolio; serving it as it is (use --fresh to start again).")
            }
            let accounts = try await DemoAccounts.create(on: app.db, portfolio: portfolio, password: password, by: .operatingSystemUser)
            guard !accounts.isEmpty else { return }
            var lines = ["Demo sign-in at http://\(server.hostname):\(server.port)/sign-in with password \(password) as:"]
            for account in accounts {
                lines.append("  \(account.email.padding(toLength: 22, withPad: " ", startingAt: 0)) \(account.role.title) (\(account.note))")
            }
            // Written straight to standard output (not buffered), so a script reading the log sees it at once.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
