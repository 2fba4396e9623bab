import ArgumentParser
import Foundation
import PaceStore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to a new file, consistently, while Pace keeps serving.",
        discussion: "For PostgreSQL, use pg_dump. Restore a SQLite backup by stopping Pace and putting the copy in place of the database file."
    )

    @Argument(help: "The file to write; it must not exist yet.")
    var file: String

    func run() async throws {
        let configuration = try loadConfiguration()
        // Said before connecting, so the advice is the same whether or not PostgreSQL is up.
        if configuration.database.isPostgres { throw ValidationError(Backup.postgresRefusal.description) }
        do {
            let bytes = try await withDatabase(configuration) { database in
                try await Backup.sqlite(database, location: configuration.database, to: file)
            }
            print("Backed up \(configuration.database) to \(file) (\(bytes / 1024) KB).")
        } catch let refused as Backup.Refused {
            throw ValidationError(refused.description)
        }
    }
}
