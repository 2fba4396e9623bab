import SQLKit

/// A larger SQLite page cache for the length of one large import. The table and its key index outgrow
/// SQLite's default 2 MB cache after a few tens of thousands of rows, and from then on every insert
/// reads pages back from the file. The cache belongs to the connection, which goes back to the pool
/// afterwards, so it is put back as it was.
struct ImportPageCache {
    /// In kibibytes (SQLite reads a negative `cache_size` as KiB): 64 MiB, well inside the import's memory goal.
    static let importKibibytes = 65_536

    private let sql: any SQLDatabase
    private let previous: Int?

    static func enlarge(_ sql: any SQLDatabase) async throws -> ImportPageCache {
        guard sql.dialect.name == "sqlite" else { return ImportPageCache(sql: sql, previous: nil) }
        let previous = try await sql.raw("PRAGMA cache_size").first()?.decode(column: "cache_size", as: Int.self)
        try await sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(importKibibytes))").run()
        return ImportPageCache(sql: sql, previous: previous)
    }

    /// SQLite sorts an index's entries in memory up to the page cache's size before it spills them to
    /// temporary files, so with the load's full cache beside it a sort would double SQLite's memory
    /// (5,000,000 participants: 251 MB at the peak). The indexes a first load builds after its rows read
    /// the table in order and need little cache.
    static let indexBuildKibibytes = 16_384

    func shrinkForIndexBuilds() async throws {
        guard previous != nil else { return }
        try await sql.raw("PRAGMA cache_size = -\(unsafeRaw: String(Self.indexBuildKibibytes))").run()
    }

    func restore() async throws {
        guard let previous else { return }
        try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(previous))").run()
    }
}
