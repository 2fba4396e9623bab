import FluentKit
import PaceCore
import SQLKit

/// A record checked against the database's keys and ready to write.
struct ResolvedRecord<Key: Hashable>: Sendable where Key: Sendable {
    let key: Key
    let row: TableRow

    /// The row with when and by whom it changed (interchange.md, `last_changed`).
    func stamped(_ mark: ChangeMark) -> ResolvedRecord {
        var row = row
        row.columns += ChangeMark.columns
        row.values += [.text(mark.at), .text(mark.by)]
        return ResolvedRecord(key: key, row: row)
    }

    /// The row's key values as text, to match a stored row with the record it came from.
    func keyText(_ conflictKey: [String]) -> String {
        conflictKey.map { column in
            guard let index = row.columns.firstIndex(of: column) else { return "" }
            switch row.values[index] {
            case .text(let text): return text ?? ""
            case .integer(let number): return number.map(String.init) ?? ""
            case .boolean(let flag): return flag.map { $0 ? "1" : "0" } ?? ""
            }
        }.joined(separator: "\u{1F}")
    }
}

/// A record as stored, with its row's number.
struct StoredRecord<Record: Sendable>: Sendable {
    let record: Record
    let id: Int?
}

/// When a write happened and whose it was, stamped on every record it changes.
struct ChangeMark: Sendable {
    static let columns = ["last_changed", "last_changed_by"]
    let at: String
    let by: String

    init(by context: AuditContext) {
        at = ChangeStamp.now()
        by = AuditEvent.storable(context.actor)
    }
}

/// How one kind of record is checked and written. Every create and update of a register record —
/// from an import, a form or the API — goes through one of these.
protocol RecordWriter: Sendable {
    associatedtype Record: InterchangeRecord
    associatedtype Key: Hashable & Sendable

    static var table: String { get }
    static var conflictKey: [String] { get }
    /// The interchange column a person changes to make a new record's key unique.
    static var keyColumn: String { get }
    /// Which references to load before the first record.
    static var needs: (studies: Bool, organisations: Bool, sites: Bool) { get }

    /// Columns the writer derives from others: written only when the source supplied every column they
    /// come from; otherwise the database recomputes them (see `RecruitmentRollups`).
    static func derivedColumns(supplied: Set<String>) -> Set<String>

    func resolve(_ record: Record, _ references: References) -> Result<ResolvedRecord<Key>, FieldProblem>
    /// Problems a batch has beside what the register already holds (domain.md §3a, §4), by index in the batch.
    func checkAgainstRegister(_ batch: [ResolvedRecord<Key>], records: [Record], guard: RecruitmentGuard, _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)]
    /// Writes a batch; `presentColumns` are the interchange columns the source supplied (others keep their values).
    func write(_ batch: [ResolvedRecord<Key>], records: [Record], presentColumns: Set<String>, on sql: any SQLDatabase, references: References) async throws
    /// Writes what a batch implies for other records once it is written, and answers their audit entries.
    func sideEffects(_ batch: [ResolvedRecord<Key>], records: [Record], _ sql: any SQLDatabase) async throws -> [AuditEntry]
}

/// A writer for tables that grow with the region (participants, counts): an import marks each row it
/// writes with its number, and a row the same import already wrote is left alone and reported, so
/// duplicate keys are found without remembering every key of the file in memory.
protocol LargeRecordWriter: RecordWriter {
    func key(fromReturned row: any SQLRow) throws -> Key
    /// The stored records' select, its table under `recordAlias`.
    static var recordSelect: SQLQueryString { get }
    static var recordAlias: String { get }
    static func record(from row: some RecordRow) throws -> Record?
    /// Indexes beside the key, which a first load builds after its rows.
    static var secondaryIndexes: [SecondaryIndex] { get }
    /// The unique key as a named index, which a first load into SQLite builds after its rows too; nil
    /// where the key is a table constraint.
    static var keyIndex: SecondaryIndex? { get }
}

extension LargeRecordWriter {
    /// Writes the batch as import `importID`; returns the keys that this import had already written,
    /// and the keys of the records it created or changed (a row whose values are all the same keeps its
    /// `last_changed`, so an unchanged export changes nothing).
    /// `unchanged` holds, by place in the batch, the stored row number of each record the file holds
    /// exactly as stored: on SQLite only the import's number is written on it, found by that number.
    func write(
        _ batch: [ResolvedRecord<Key>], presentColumns: Set<String>, importID: Int, mark: ChangeMark, unchanged: [Int: Int] = [:],
        on sql: any SQLDatabase, session: LargeWriteSession
    ) async throws -> (repeated: Set<Key>, written: [Key]) {
        guard let first = batch.first else { return ([], []) }
        let columns = first.row.columns + ["import_id"]
        let compared = Self.updatedColumns(first.row, presentColumns: presentColumns, renamed: ["identified_by_id": "identified_by_ods"])
            .filter { !ChangeMark.columns.contains($0) }
        if let statement = try await session.statement(for: columns, compared: compared, table: Self.table, conflictKey: Self.conflictKey, on: sql) {
            if session.insertsOnly {
                // A first load: a repeated key is found when the key's index is built after the rows.
                for resolved in batch { _ = try statement.run(resolved.row.values, trailing: [.integer(importID)]) }
                return ([], batch.map(\.key))
            }
            var repeated = Set<Key>(), changed: [Key] = []
            let trailing: [DatabaseValue] = [.integer(importID), .integer(importID)]
            let marking = unchanged.isEmpty ? nil : try await session.marking(table: Self.table, compared: compared, on: sql)
            let comparedPlaces = compared.compactMap { first.row.columns.firstIndex(of: $0) }
            for (index, resolved) in batch.enumerated() {
                // The full upsert costs a key search and a comparison of every column; a row the file
                // holds exactly as stored needs only the import's number. The mark checks every value
                // the upsert would compare, so when anything differs (a value the file does not show,
                // such as a derived one) or this import already wrote the key, the upsert decides.
                if let marking, let id = unchanged[index],
                   try marking.runCountingChanges([.integer(importID), .integer(id)] + comparedPlaces.map { resolved.row.values[$0] }) == 1 {
                    continue
                }
                switch try statement.run(resolved.row.values, trailing: trailing) {
                case .noRow: repeated.insert(resolved.key)
                case .text(let at) where at == mark.at: changed.append(resolved.key)
                case .text, .null: break
                }
            }
            return (repeated, changed)
        }
        if let staged = try await session.stagedBatch(on: sql) {
            if !staged.holds(batch.map { AnyHashable($0.key) }, columns: first.row.columns) {
                try await staged.stage(batch.map(\.row.values), columns: first.row.columns, like: Self.table, on: sql)
            }
            let upsert = PostgresStagedBatch.upsert(table: Self.table, columns: first.row.columns, compared: compared, conflictKey: Self.conflictKey, importID: importID)
            return try outcome(of: try await sql.raw(upsert).all(), batch: batch, mark: mark)
        }
        var insert = sql.insert(into: Self.table).columns(columns)
        for resolved in batch {
            insert = insert.values((resolved.row.values + [.integer(importID)]).map(\.expression))
        }
        // The stamp moves only when some value really differs (in the old row's terms: SET sees the old row).
        let differs = LargeWriteSession.differs(compared, table: Self.table, distinct: sql.dialect.name == "sqlite" ? "IS NOT" : "IS DISTINCT FROM")
        insert = insert.onConflict(with: Self.conflictKey) { builder in
            var builder = builder
            for column in compared + ["import_id"] {
                builder = builder.set(excludedValueOf: column)
            }
            for column in ChangeMark.columns {
                builder = builder.set(SQLIdentifier(column), to: SQLRaw("CASE WHEN \(differs) THEN excluded.\(column) ELSE \(Self.table).\(column) END"))
            }
            return builder.where(SQLColumn("import_id", table: Self.table), .is, SQLLiteral.null)
                .orWhere(SQLColumn("import_id", table: Self.table), .notEqual, SQLBind(importID))
        }
        let returned = (Self.conflictKey + ["last_changed"]).map { SQLColumn($0) as any SQLExpression }
        return try outcome(of: try await insert.returning(returned).all(), batch: batch, mark: mark)
    }

    /// The keys a batch's upsert did not write (this import already had), and those it created or changed.
    private func outcome(of written: [any SQLRow], batch: [ResolvedRecord<Key>], mark: ChangeMark) throws -> (repeated: Set<Key>, written: [Key]) {
        let changed = try written.filter { try $0.decode(column: "last_changed", as: String?.self) == mark.at }.map(key(fromReturned:))
        guard written.count < batch.count else { return ([], changed) }
        let writtenKeys = Set(try written.map(key(fromReturned:)))
        return (Set(batch.map(\.key)).subtracting(writtenKeys), changed)
    }
}

extension LargeRecordWriter {
    /// The batch's records as stored now, by audit key: found key by key, as `storedStamps` finds them.
    /// On SQLite one look-up prepared for the import finds each record by its key; preparing a look-up
    /// of 200 keys for every batch cost as much as the writing.
    func storedRecords(_ batch: [ResolvedRecord<Key>], _ sql: any SQLDatabase, session: LargeWriteSession) async throws -> [String: StoredRecord<Record>] {
        var found: [String: StoredRecord<Record>] = [:]
        func keep(_ row: some RecordRow) throws {
            if let record = try Self.record(from: row) { found[AuditSubject(record).key] = StoredRecord(record: record, id: try row.integer("id")) }
        }
        if let lookup = try await session.lookup(Self.recordLookup(sql), on: sql) {
            for resolved in batch {
                let key = Self.conflictKey.map { column in resolved.row.columns.firstIndex(of: column).map { resolved.row.values[$0] } ?? .text(nil) }
                for row in try lookup.rows(key) { try keep(row) }
            }
            return found
        }
        if let staged = try await session.stagedBatch(on: sql), let first = batch.first {
            // The batch goes to the staging table now, and the upsert writes it from there.
            try await staged.stage(batch.map(\.row.values), columns: first.row.columns, like: Self.table, waitingToBeWritten: batch.map { AnyHashable($0.key) }, on: sql)
            var query = Self.recordSelect
            query.appendInterpolation(unsafeRaw: " JOIN \(PostgresStagedBatch.staging) r ON "
                + Self.conflictKey.map { "r.\"\($0)\" = \(Self.recordAlias).\"\($0)\"" }.joined(separator: " AND "))
            for row in try await sql.raw(query).all() { try keep(SQLKitRow(row: row)) }
            return found
        }
        for chunk in batch.chunked(into: 200) where !chunk.isEmpty {
            var query = Self.recordSelect
            query.appendInterpolation(unsafeRaw: " WHERE ")
            Self.appendKeys(of: Array(chunk), alias: Self.recordAlias, to: &query)
            for row in try await sql.raw(query).all() { try keep(SQLKitRow(row: row)) }
        }
        return found
    }

    /// One stored record by its key, every key column a `?` parameter.
    static func recordLookup(_ sql: any SQLDatabase) -> String {
        var serializer = SQLSerializer(database: sql)
        recordSelect.serialize(to: &serializer)
        return serializer.sql + " WHERE " + conflictKey.map { "\(recordAlias).\"\($0)\" = ?" }.joined(separator: " AND ")
    }
}

/// What one large import keeps from batch to batch: on SQLite, the upsert prepared once.
final class LargeWriteSession: @unchecked Sendable {
    // @unchecked: one import's batches run one after another, inside its transaction.
    private var connection: SQLitePreparedStatement.RawConnection?
    private var lookedForConnection = false
    private var prepared: (columns: [String], statement: SQLitePreparedStatement)?
    /// Rows are only inserted, with no key to meet yet: a first load into an empty table, whose unique
    /// key is built after the rows.
    private(set) var insertsOnly = false

    /// Whether this import can write through a prepared statement: SQLite, inside a transaction,
    /// with the connection's handle reachable.
    func canPrepare(on sql: any SQLDatabase) async throws -> Bool {
        if !lookedForConnection {
            lookedForConnection = true
            let inTransaction = (sql as? any Database)?.inTransaction ?? false
            connection = inTransaction ? try await SQLitePreparedStatement.connectionHandle(of: sql) : nil
        }
        return connection != nil
    }

    /// From now on rows are inserted without an upsert; only where a statement can be prepared, since
    /// SQLKit's path needs the key to name its conflict.
    func insertOnly(on sql: any SQLDatabase) async throws -> Bool {
        insertsOnly = try await canPrepare(on: sql)
        return insertsOnly
    }

    /// The prepared upsert (or insert) for rows of these columns, or nil where Pace writes through
    /// SQLKit (PostgreSQL, or a connection whose handle cannot be reached).
    func statement(for columns: [String], compared: [String], table: String, conflictKey: [String], on sql: any SQLDatabase) async throws -> SQLitePreparedStatement? {
        if let prepared, prepared.columns == columns { return prepared.statement }
        guard try await canPrepare(on: sql), let connection else { return nil }
        let text = insertsOnly ? Self.insert(table: table, columns: columns)
            : Self.upsert(table: table, columns: columns, compared: compared, conflictKey: conflictKey)
        let statement = try SQLitePreparedStatement(text, on: connection)
        prepared = (columns, statement)
        return statement
    }

    /// The prepared look-up `text`, or nil where Pace reads through SQLKit.
    func lookup(_ text: String, on sql: any SQLDatabase) async throws -> SQLitePreparedStatement? {
        if let lookup = preparedLookup { return lookup }
        guard try await canPrepare(on: sql), let connection else { return nil }
        preparedLookup = try SQLitePreparedStatement(text, on: connection)
        return preparedLookup
    }

    private var preparedLookup: SQLitePreparedStatement?
    private var preparedMarking: (columns: [String], statement: SQLitePreparedStatement)?

    /// Marks one stored row, by its number, as written by this import, if each of the `compared`
    /// columns holds the value given for it: the first parameter is the import's number, the second
    /// the row's, then the compared values in order. Nothing changes for a row this import already
    /// marked, or one with any compared value different.
    func marking(table: String, compared: [String], on sql: any SQLDatabase) async throws -> SQLitePreparedStatement? {
        if let preparedMarking, preparedMarking.columns == compared { return preparedMarking.statement }
        guard try await canPrepare(on: sql), let connection else { return nil }
        let statement = try SQLitePreparedStatement(Self.marking(table: table, compared: compared), on: connection)
        preparedMarking = (compared, statement)
        return statement
    }

    static func marking(table: String, compared: [String]) -> String {
        "UPDATE \"\(table)\" SET \"import_id\" = ?1 WHERE \"id\" = ?2 AND (\"import_id\" IS NULL OR \"import_id\" <> ?1)"
            + compared.enumerated().map { " AND \"\($1)\" IS ?\($0 + 3)" }.joined()
    }
    private var staged: PostgresStagedBatch?
    private var lookedForStaging = false

    /// On PostgreSQL inside a transaction, the staging table batches are copied into.
    func stagedBatch(on sql: any SQLDatabase) async throws -> PostgresStagedBatch? {
        if !lookedForStaging {
            lookedForStaging = true
            staged = try await PostgresStagedBatch.open(on: sql)
        }
        return staged
    }

    static func insert(table: String, columns: [String]) -> String {
        "INSERT INTO \"\(table)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }

    /// The same upsert the SQLKit path builds, for one row, every value bound as a `?` parameter; the
    /// final parameter is the import's number again, for the guard that finds a key written twice.
    static func upsert(table: String, columns: [String], compared: [String], conflictKey: [String]) -> String {
        let quoted = { (column: String) in "\"\(column)\"" }
        return insert(table: table, columns: columns)
            + " ON CONFLICT (\(conflictKey.map(quoted).joined(separator: ", "))) DO UPDATE SET \(assignments(compared: compared, table: table, distinct: "IS NOT"))"
            + " WHERE \(quoted(table)).\"import_id\" IS NULL OR \(quoted(table)).\"import_id\" <> ?"
            + " RETURNING \"last_changed\""
    }

    /// What a key already held takes from the row: the compared values and the import's number, and
    /// the change stamps only where some value really differs.
    static func assignments(compared: [String], table: String, distinct: String) -> String {
        let quoted = { (column: String) in "\"\(column)\"" }
        let set = (compared + ["import_id"]).map { "\(quoted($0)) = excluded.\(quoted($0))" }
            + ChangeMark.columns.map { "\(quoted($0)) = CASE WHEN \(differs(compared, table: table, distinct: distinct)) THEN excluded.\(quoted($0)) ELSE \(quoted(table)).\(quoted($0)) END" }
        return set.joined(separator: ", ")
    }

    static func differs(_ compared: [String], table: String, distinct: String) -> String {
        compared.isEmpty ? "FALSE" : compared.map { "\(table).\"\($0)\" \(distinct) excluded.\"\($0)\"" }.joined(separator: " OR ")
    }
}

extension RecordWriter {
    /// Columns updated when a key already exists: those supplied, less the key itself.
    static func derivedColumns(supplied: Set<String>) -> Set<String> { [] }

    func checkAgainstRegister(_ batch: [ResolvedRecord<Key>], records: [Record], guard: RecruitmentGuard, _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)] { [] }

    func sideEffects(_ batch: [ResolvedRecord<Key>], records: [Record], _ sql: any SQLDatabase) async throws -> [AuditEntry] { [] }

    /// When, and by whom, each stored record of the batch last changed, by the record's key text.
    func storedStamps(_ batch: [ResolvedRecord<Key>], _ sql: any SQLDatabase) async throws -> [String: (at: String?, by: String?)] {
        // SQLite refuses an expression more than 1,000 deep, and each OR nests one deeper.
        guard batch.count <= 200 else {
            var found: [String: (at: String?, by: String?)] = [:]
            for chunk in batch.chunked(into: 200) { found.merge(try await storedStamps(Array(chunk), sql)) { $1 } }
            return found
        }
        guard !batch.isEmpty else { return [:] }
        var query = SQLQueryString("SELECT ")
        query.appendInterpolation(unsafeRaw: (Self.conflictKey + ChangeMark.columns).joined(separator: ", ") + " FROM \(Self.table) WHERE ")
        Self.appendKeys(of: batch, to: &query)
        var found: [String: (at: String?, by: String?)] = [:]
        for row in try await sql.raw(query).all() {
            let key = Self.conflictKey.map { column in
                (try? row.decode(column: column, as: Int.self)).map(String.init) ?? (try? row.decode(column: column, as: String.self)) ?? ""
            }.joined(separator: "\u{1F}")
            found[key] = (try row.decode(column: "last_changed", as: String?.self), try row.decode(column: "last_changed_by", as: String?.self))
        }
        return found
    }

    /// `(key = … AND …) OR (…)`, one bracket per record: each finds its row through the key's index.
    /// (An IN list per key column would search every combination of the lists.)
    static func appendKeys(of batch: [ResolvedRecord<Key>], alias: String? = nil, to query: inout SQLQueryString) {
        let prefix = alias.map { "\($0)." } ?? ""
        for (number, resolved) in batch.enumerated() {
            query.appendInterpolation(unsafeRaw: number == 0 ? "(" : " OR (")
            for (position, column) in Self.conflictKey.enumerated() {
                guard let index = resolved.row.columns.firstIndex(of: column) else { continue }
                query.appendInterpolation(unsafeRaw: (position == 0 ? "" : " AND ") + prefix + column + " = ")
                query.appendInterpolation(bind: resolved.row.values[index])
            }
            query.appendInterpolation(unsafeRaw: ")")
        }
    }

    /// True when a source with these columns leaves some derived column for the database to recompute.
    static func leavesDerivedColumnsStale(supplied: Set<String>) -> Bool {
        derivedColumns(supplied: supplied) != derivedColumns(supplied: Set(Record.columns.map(\.name)))
    }

    static func updatedColumns(_ row: TableRow, presentColumns: Set<String>, renamed: [String: String] = [:]) -> [String] {
        let derived = derivedColumns(supplied: presentColumns)
        return row.columns.filter { column in
            !conflictKey.contains(column) && (presentColumns.contains(renamed[column] ?? column) || derived.contains(column) || ChangeMark.columns.contains(column))
        }
    }

    func write(_ batch: [ResolvedRecord<Key>], records: [Record], presentColumns: Set<String>, on sql: any SQLDatabase, references: References) async throws {
        guard let first = batch.first else { return }
        let update = Self.updatedColumns(first.row, presentColumns: presentColumns, renamed: ["identified_by_id": "identified_by_ods"])
        try await upsert(sql, into: Self.table, rows: batch.map(\.row), conflictKey: Self.conflictKey, update: update)
    }
}

struct OrganisationWriter: RecordWriter {
    static let keyColumn = "ods_code"
    static let table = "organisations"
    static let conflictKey = ["ods_code"]
    static let needs = (studies: false, organisations: false, sites: false)

    func resolve(_ record: Organisation, _ references: References) -> Result<ResolvedRecord<String>, FieldProblem> {
        .success(ResolvedRecord(key: record.odsCode, row: TableRow([
            "ods_code": .text(record.odsCode),
            "name": .text(record.name),
            "type": .code(record.type),
            "subtype": .text(record.subtype),
        ])))
    }
}

struct StudyWriter: RecordWriter {
    static let keyColumn = "cpms_id"
    static let table = "studies"
    static let conflictKey = ["cpms_id"]
    static let needs = (studies: true, organisations: true, sites: false)

    func resolve(_ record: Study, _ references: References) -> Result<ResolvedRecord<Int>, FieldProblem> {
        if let sponsor = record.sponsorODS, case .failure(let problem) = references.organisation(sponsor, column: "sponsor_ods") {
            return .failure(problem)
        }
        return .success(ResolvedRecord(key: record.cpmsID, row: TableRow([
            "cpms_id": .integer(record.cpmsID),
            "iras_id": .text(record.irasID),
            "short_name": .text(record.shortName),
            "title": .text(record.title),
            "route": .code(record.route),
            "design": .code(record.design),
            "ctimp": .boolean(record.ctimp),
            "phase": .text(record.phase),
            "managing_specialty": .text(record.managingSpecialty),
            "chief_investigator": .text(record.chiefInvestigator),
            "sample_size": .integer(record.sampleSize),
            "planned_open": .day(record.plannedOpen),
            "actual_open": .day(record.actualOpen),
            "planned_close": .day(record.plannedClose),
            "actual_close": .day(record.actualClose),
            "status": .code(record.status),
        ])))
    }

    func write(_ batch: [ResolvedRecord<Int>], records: [Study], presentColumns: Set<String>, on sql: any SQLDatabase, references: References) async throws {
        guard let first = batch.first else { return }
        try await upsert(sql, into: Self.table, rows: batch.map(\.row), conflictKey: Self.conflictKey,
                         update: Self.updatedColumns(first.row, presentColumns: presentColumns))
        let cpmsIDs = records.map(\.cpmsID)
        for row in try await sql.select().columns("id", "cpms_id").from("studies").where("cpms_id", .in, cpmsIDs).all() {
            references.rememberStudy(cpmsID: try row.decode(column: "cpms_id", as: Int.self), id: try row.decode(column: "id", as: Int.self))
        }
        let studyIDs = records.compactMap { try? references.study($0.cpmsID).get() }
        if presentColumns.contains("themes") {
            try await sql.delete(from: "study_themes").where("study_id", .in, studyIDs).run()
            let rows = records.flatMap { study in
                study.themes.compactMap { theme in
                    (try? references.study(study.cpmsID).get()).map { TableRow(["study_id": .integer($0), "theme": .text(theme)]) }
                }
            }
            for chunk in rows.chunked(into: 2_000) {
                try await upsert(sql, into: "study_themes", rows: Array(chunk), conflictKey: ["study_id", "theme"], update: [])
            }
        }
        if presentColumns.contains("sponsor_ods") {
            try await sql.delete(from: "study_organisations").where("study_id", .in, studyIDs).where("role", .equal, PartnerRole.sponsor.rawValue).run()
            let rows = records.compactMap { study -> TableRow? in
                guard let sponsor = study.sponsorODS, let organisationID = try? references.organisation(sponsor, column: "sponsor_ods").get(),
                      let studyID = try? references.study(study.cpmsID).get() else { return nil }
                return TableRow(["study_id": .integer(studyID), "organisation_id": .integer(organisationID), "role": .code(PartnerRole.sponsor)])
            }
            try await upsert(sql, into: "study_organisations", rows: rows, conflictKey: ["study_id", "organisation_id", "role"], update: [])
        }
    }
}

struct SiteWriter: RecordWriter {
    static let keyColumn = "site_ods"
    static let table = "sites"
    static let conflictKey = ["study_id", "organisation_id"]
    static let needs = (studies: true, organisations: true, sites: false)

    func checkAgainstRegister(_ batch: [ResolvedRecord<References.SiteKey>], records: [Site], guard: RecruitmentGuard, _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)] {
        try await RecruitmentGuard.check(sites: records, keys: batch.map(\.key), sql)
    }

    func resolve(_ record: Site, _ references: References) -> Result<ResolvedRecord<References.SiteKey>, FieldProblem> {
        let studyID: Int
        let organisationID: Int
        switch (references.study(record.cpmsID), references.organisation(record.siteODS, column: "site_ods")) {
        case (.failure(let problem), _), (_, .failure(let problem)): return .failure(problem)
        case (.success(let foundStudy), .success(let foundOrganisation)):
            studyID = foundStudy
            organisationID = foundOrganisation
        }
        var row = TableRow([
            "study_id": .integer(studyID),
            "organisation_id": .integer(organisationID),
            "role": .code(record.role),
            "local_pi": .text(record.localPI),
            "site_target": .integer(record.siteTarget),
            "planned_recruitment_start": .day(record.plannedRecruitmentStart),
            "planned_recruitment_end": .day(record.plannedRecruitmentEnd),
        ])
        for milestone in Milestone.allCases {
            row.columns.append(milestone.rawValue)
            row.values.append(.day(record[milestone: milestone]))
        }
        row.columns += ["non_confirmation_status", "delay_reason", "delay_attribution", "sponsor_intention"]
        row.values += [.text(record.nonConfirmationStatus), .text(record.delayReason), .code(record.delayAttribution), .text(record.sponsorIntention)]
        return .success(ResolvedRecord(key: References.SiteKey(studyID: studyID, organisationID: organisationID), row: row))
    }
}

extension ParticipantWriter {
    static let recordSelect = RegisterSQL.participantSelect
    static let recordAlias = "p"
    static let secondaryIndexes = [RecruitmentRollups.participantsByDay]
    static let keyIndex: SecondaryIndex? = NameParticipantKey.key
    static func record(from row: some RecordRow) throws -> Participant? { try row.participant() }

    func key(fromReturned row: any SQLRow) throws -> ParticipantKey {
        ParticipantKey(siteID: try row.decode(column: "site_id", as: Int.self), participantID: try row.decode(column: "participant_id", as: String.self))
    }
}

extension RecruitmentCountWriter {
    static let recordSelect = RegisterSQL.countSelect
    static let recordAlias = "c"
    static let secondaryIndexes = [RecruitmentRollups.countsByPeriodEnd]
    // The counts keep their key as a constraint: the checks of a load read them by site as it goes.
    static let keyIndex: SecondaryIndex? = nil
    static func record(from row: some RecordRow) throws -> RecruitmentCount? { try row.recruitmentCount() }

    func key(fromReturned row: any SQLRow) throws -> CountKey {
        CountKey(siteID: try row.decode(column: "site_id", as: Int.self), periodStart: try row.day("period_start") ?? Day(ordinal: 0))
    }
}

/// A key that belongs to one site, so a write knows which sites' roll-ups to refresh.
protocol SiteScopedKey {
    var siteID: Int { get }
}

extension ParticipantKey: SiteScopedKey {}
extension CountKey: SiteScopedKey {}

struct ParticipantKey: Hashable, Sendable {
    let siteID: Int
    let participantID: String
}

struct ParticipantWriter: LargeRecordWriter {
    static let keyColumn = "participant_id"
    static let table = "participants"
    static let conflictKey = ["site_id", "participant_id"]
    static let needs = (studies: true, organisations: true, sites: true)

    static func derivedColumns(supplied: Set<String>) -> Set<String> {
        RecruitmentRollups.decidingColumns.isSubset(of: supplied) ? ["recruitment_day"] : []
    }

    func checkAgainstRegister(_ batch: [ResolvedRecord<ParticipantKey>], records: [Participant], guard: RecruitmentGuard, _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)] {
        try await `guard`.check(participants: records, at: batch.map(\.key.siteID), sql)
    }

    func resolve(_ record: Participant, _ references: References) -> Result<ResolvedRecord<ParticipantKey>, FieldProblem> {
        let siteID: Int
        switch references.recruitingSiteFacts(cpmsID: record.cpmsID, odsCode: record.siteODS) {
        case .failure(let problem): return .failure(problem)
        case .success(let site):
            if let day = record.recruitmentDay,
               let problem = RecruitmentPlausibility.beforeOpen(day, open: site.open, what: "The participant was recruited on") {
                return .failure(FieldProblem(column: record.recruitedDate == nil ? "consent_date" : "recruited_date", message: problem))
            }
            siteID = site.id
        }
        var identifiedBy: Int?
        if let code = record.identifiedByODS {
            switch references.organisation(code, column: "identified_by_ods") {
            case .failure(let problem): return .failure(problem)
            case .success(let found): identifiedBy = found
            }
        }
        return .success(ResolvedRecord(key: ParticipantKey(siteID: siteID, participantID: record.participantID), row: TableRow([
            "site_id": .integer(siteID),
            "participant_id": .text(record.participantID),
            "status": .code(record.status),
            "consent_date": .day(record.consentDate),
            "recruited_date": .day(record.recruitedDate),
            "withdrawn_date": .day(record.withdrawnDate),
            "identified_by_id": .integer(identifiedBy),
            "recruitment_day": .day(record.recruitmentDay),
        ])))
    }
}

struct CountKey: Hashable, Sendable {
    let siteID: Int
    let periodStart: Day
}

struct RecruitmentCountWriter: LargeRecordWriter {
    static let keyColumn = "period_start"
    static let table = "recruitment_counts"
    static let conflictKey = ["site_id", "period_start"]
    static let needs = (studies: true, organisations: true, sites: true)

    func checkAgainstRegister(_ batch: [ResolvedRecord<CountKey>], records: [RecruitmentCount], guard: RecruitmentGuard, _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)] {
        try await `guard`.check(counts: records, at: batch.map(\.key.siteID), sql)
    }

    func resolve(_ record: RecruitmentCount, _ references: References) -> Result<ResolvedRecord<CountKey>, FieldProblem> {
        switch references.recruitingSiteFacts(cpmsID: record.cpmsID, odsCode: record.siteODS) {
        case .failure(let problem):
            return .failure(problem)
        case .success(let site):
            if let problem = RecruitmentPlausibility.beforeOpen(record.periodEnd, open: site.open, what: "The count's period ends on") {
                return .failure(FieldProblem(column: "period_end", message: problem))
            }
            let outlier = RecruitmentPlausibility.confirmationNeeded(record, siteTarget: site.target, perMonth: references.countConfirmationPerMonth)
            if let outlier, !record.confirmed, !references.confirmsLargeCounts {
                return .failure(FieldProblem(column: "count", message: outlier, needsConfirmation: true))
            }
            return .success(ResolvedRecord(key: CountKey(siteID: site.id, periodStart: record.periodStart), row: TableRow([
                "site_id": .integer(site.id),
                "period_start": .day(record.periodStart),
                "period_end": .day(record.periodEnd),
                "count": .integer(record.count),
                "confirmed": .boolean(outlier != nil),
            ])))
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
