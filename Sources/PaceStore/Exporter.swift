import FluentKit
import PaceCore
import SQLKit

/// Writes interchange files from the database, ordered by key so that export → import → export is the identity.
public struct Exporter: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Calls `write` with the header line and then each record's line, streaming rows from the database.
    public func export(_ kind: InterchangeKind, write: @escaping @Sendable (String) throws -> Void) async throws -> Int {
        let sql = try database.sql()
        try write(CSVWriter.line(kind.exportColumnNames))
        let counter = LineCounter()
        switch kind {
        case .organisations:
            try await sql.raw("SELECT * FROM organisations ORDER BY ods_code").run { row in
                counter.emit(write) { try row.organisation().csvFields + [row.text("last_changed") ?? ""] }
            }
        case .studies:
            let themes = try await themesByStudy(sql)
            let sponsors = try await sponsorsByStudy(sql)
            try await sql.raw("SELECT * FROM studies ORDER BY cpms_id").run { row in
                counter.emit(write) {
                    var study = try row.study()
                    let id = try row.decode(column: "id", as: Int.self)
                    study.themes = themes[id] ?? []
                    study.sponsorODS = sponsors[id]
                    return study.csvFields + [try row.text("last_changed") ?? ""]
                }
            }
        case .sites:
            try await sql.raw(RegisterSQL.siteSelect() + " ORDER BY s.cpms_id, o.ods_code").run { row in
                counter.emit(write) { try row.site().csvFields + [row.text("last_changed") ?? ""] }
            }
        case .participants:
            try await sql.raw(RegisterSQL.participantSelect + " ORDER BY s.cpms_id, o.ods_code, p.participant_id").run { row in
                counter.emit(write) { try row.participant().csvFields + [row.text("last_changed") ?? ""] }
            }
        case .recruitmentCounts:
            try await sql.raw(RegisterSQL.countSelect + " ORDER BY s.cpms_id, o.ods_code, c.period_start").run { row in
                counter.emit(write) { try row.recruitmentCount().map { $0.csvFields + [try row.text("last_changed") ?? ""] } }
            }
        case .setUpSteps:
            try await sql.raw(RegisterSQL.setUpStepSelect + " ORDER BY s.cpms_id, o.ods_code, t.step").run { row in
                counter.emit(write) { try row.setUpStep().map { $0.csvFields + [try row.text("last_changed") ?? ""] } }
            }
        case .amendments:
            try await sql.raw(RegisterSQL.amendmentSelect + " ORDER BY s.cpms_id, o.ods_code, a.amendment_ref").run { row in
                counter.emit(write) { try row.amendment().map { $0.csvFields + [try row.text("last_changed") ?? ""] } }
            }
        }
        try counter.check()
        return counter.lines
    }

    func themesByStudy(_ sql: any SQLDatabase) async throws -> [Int: [String]] {
        var themes: [Int: [String]] = [:]
        for row in try await sql.raw("SELECT study_id, theme FROM study_themes ORDER BY id").all() {
            themes[try row.decode(column: "study_id", as: Int.self), default: []].append(try row.decode(column: "theme", as: String.self))
        }
        return themes
    }

    func sponsorsByStudy(_ sql: any SQLDatabase) async throws -> [Int: String] {
        var sponsors: [Int: String] = [:]
        let rows = try await sql.raw("""
            SELECT so.study_id, o.ods_code FROM study_organisations so JOIN organisations o ON o.id = so.organisation_id
            WHERE so.role = 'sponsor' ORDER BY so.id
            """).all()
        for row in rows {
            sponsors[try row.decode(column: "study_id", as: Int.self)] = try row.decode(column: "ods_code", as: String.self)
        }
        return sponsors
    }
}

/// Counts lines written from the database's row callback and keeps the first failure, since the callback cannot throw.
final class LineCounter: @unchecked Sendable {
    private(set) var lines = 0
    private var failure: (any Error)?

    func emit(_ write: (String) throws -> Void, _ fields: () throws -> [String]?) {
        guard failure == nil else { return }
        do {
            guard let fields = try fields() else { return }
            try write(CSVWriter.line(fields))
            lines += 1
        } catch {
            failure = error
        }
    }

    func check() throws {
        if let failure { throw failure }
    }
}
