import SQLKit

/// Inserts rows in one statement; rows whose key exists are updated in the columns named by `update`.
/// The same call serves SQLite and PostgreSQL (both speak `ON CONFLICT … DO UPDATE`).
func upsert(
    _ sql: any SQLDatabase, into table: String, rows: [TableRow], conflictKey: [String], update: [String]
) async throws {
    guard let columns = rows.first?.columns else { return }
    var insert = sql.insert(into: table).columns(columns)
    for row in rows {
        insert = insert.values(row.values.map(\.expression))
    }
    if update.isEmpty {
        insert = insert.ignoringConflicts(with: conflictKey)
    } else {
        insert = insert.onConflict(with: conflictKey) { builder in
            var builder = builder
            for column in update {
                builder = builder.set(excludedValueOf: column)
            }
            return builder
        }
    }
    try await insert.run()
}
