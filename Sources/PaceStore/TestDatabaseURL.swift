import FluentKit
import SQLKit

extension DatabaseLocation {
    /// A PostgreSQL database of its own for one group of tests, created beside the one in `baseURL`, so
    /// test targets running at the same time never empty each other's schema.
    public static func separatePostgres(baseURL: String, suffix: String) async throws -> DatabaseLocation {
        guard let slash = baseURL.range(of: "/", options: .backwards, range: baseURL.range(of: "://").map { $0.upperBound..<baseURL.endIndex }) else {
            throw Invalid(value: baseURL)
        }
        let afterSlash = baseURL[slash.upperBound...]
        let name = afterSlash.prefix { $0 != "?" }
        let query = afterSlash.dropFirst(name.count)
        let databaseName = "\(name)_\(suffix)"
        let opened = try PaceDatabase(.postgres(url: baseURL))
        do {
            let sql = try opened.database.sql()
            let exists = try await sql.raw("SELECT 1 AS found FROM pg_database WHERE datname = \(bind: databaseName)").first() != nil
            if !exists {
                try await sql.raw("CREATE DATABASE \(ident: databaseName)").run()
            }
            await opened.shutdown()
        } catch {
            await opened.shutdown()
            throw error
        }
        return .postgres(url: String(baseURL[..<slash.upperBound]) + databaseName + query)
    }
}
