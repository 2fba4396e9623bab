import ArgumentParser
import Foundation
import Logging
import PaceCore
import PaceStore
import PaceWeb
import Vapor

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve Pace's web pages and JSON API.")

    @OptionGroup var server: ServerOptions

    func run() async throws {
        try await serve(configuration: loadConfiguration(), server: server) { _ in }
    }
}

/// Starts the web application, lets `prepare` work on it (e.g. load demo data), then serves until stopped.
func serve(configuration: AppConfiguration, server: ServerOptions, prepare: (Application) async throws -> Void) async throws {
    let environment = Environment(name: "production", arguments: ["pace"])
    let app = try await buildApplication(configuration, environment: environment)
    app.logger.logLevel = Logger.Level(rawValue: ProcessInfo.processInfo.environment["PACE_LOG_LEVEL"] ?? "info") ?? .info
    do {
        try await prepare(app)
        app.http.server.configuration.hostname = server.hostname
        app.http.server.configuration.port = server.port
        app.logger.notice("Pace is serving \(configuration.database) at http://\(server.hostname):\(server.port)")
        try await app.execute()
        try await app.asyncShutdown()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}
