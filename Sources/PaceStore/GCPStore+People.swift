import FluentKit
import Foundation
import PaceCore
import SQLKit

/// People (staff and researchers) and their training.
extension GCPStore {
    public func people() async throws -> [Person] {
        try await database.sql().raw("SELECT * FROM people ORDER BY name, id").all().map(Self.person)
    }

    public func person(_ id: Int) async throws -> Person? {
        try await database.sql().raw("SELECT * FROM people WHERE id = \(bind: id)").first().map(Self.person)
    }

    static func person(_ row: any SQLRow) throws -> Person {
        Person(id: try row.integer("id") ?? 0, name: try row.text("name") ?? "", email: try row.text("email"), jobTitle: try row.text("job_title"))
    }

    @discardableResult
    public func add(_ person: Person, by context: AuditContext) async throws -> Int {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard let id = try await sql.raw("INSERT INTO people (name, email, job_title) VALUES (\(bind: person.name), \(bind: person.email), \(bind: person.jobTitle)) RETURNING id").first()?.integer("id") else {
                throw NotSQLDatabase()
            }
            try await Self.audit(.create, "person", "person/\(id)", old: nil, new: person.auditFields, columns: Person.auditColumns, context, sql)
            return id
        }
    }

    /// Every person's training, by person.
    public func training() async throws -> [Int: [TrainingRecord]] {
        var byPerson: [Int: [TrainingRecord]] = [:]
        for row in try await database.sql().raw("SELECT * FROM training_records ORDER BY completed_on DESC, id DESC").all() {
            let record = try Self.training(row)
            byPerson[record.personID, default: []].append(record)
        }
        return byPerson
    }

    static func training(_ row: any SQLRow) throws -> TrainingRecord {
        TrainingRecord(id: try row.integer("id") ?? 0, personID: try row.integer("person_id") ?? 0, course: try row.text("course") ?? "",
                       completedOn: try row.day("completed_on") ?? Day(ordinal: 0), provider: try row.text("provider"))
    }

    public func add(_ record: TrainingRecord, by context: AuditContext) async throws {
        try await database.writeTransaction { transaction in
            let sql = try transaction.sql()
            guard try await sql.raw("SELECT 1 AS one FROM people WHERE id = \(bind: record.personID)").first() != nil else {
                throw FieldProblem(column: "person_id", message: "There is no such person.")
            }
            guard let id = try await sql.raw("""
                INSERT INTO training_records (person_id, course, completed_on, provider) VALUES (\(bind: record.personID), \(bind: record.course), \(bind: record.completedOn.iso), \(bind: record.provider)) RETURNING id
                """).first()?.integer("id") else { throw NotSQLDatabase() }
            try await Self.audit(.create, "training", "person/\(record.personID)/training/\(id)", old: nil,
                                 new: [record.course, record.completedOn.iso, record.provider ?? ""], columns: ["course", "completed_on", "provider"], context, sql)
        }
    }
}
