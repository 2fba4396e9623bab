import PaceCore
import Vapor

/// The one way a form that records something is handled: read the submitted record (with the fields
/// the address fixes), save it, leave a banner and redirect; or show the form again with what is wrong
/// and the values as typed.
enum FormSubmission {
    static func record<Record: InterchangeRecord>(
        _ request: Request, fixed: [String: String], save: (Record, AuditContext) async throws -> Void,
        done: (Record) -> (message: String, location: String), again: (FormState) async throws -> Response
    ) async throws -> Response {
        var values = try request.formValues()
        values.merge(fixed) { $1 }
        var row = RowReader(values: values)
        do {
            guard let record = Record(reading: &row) else { return try await again(FormState(values: values, problems: row.problems)) }
            // A reason typed with a change goes into the audit trail with it (and unlocks a reported date).
            try await save(record, request.auditContext.because(values["reason"]))
            let (message, location) = done(record)
            try await request.leaveMessage(message)
            return seeOther(location)
        } catch let problem as FieldProblem {
            return try await again(FormState(values: values, problems: [problem]))
        }
    }

    /// A removal with its reason: the reason goes into the audit trail with every value removed.
    static func removal(
        _ request: Request, remove: (AuditContext) async throws -> Void, message: String, location: String,
        again: (FormState) async throws -> Response
    ) async throws -> Response {
        let values = try request.formValues()
        do {
            try await remove(request.auditContext.because(values["reason"]))
            try await request.leaveMessage(message)
            return seeOther(location)
        } catch let problem as FieldProblem {
            return try await again(FormState(values: values, problems: [problem]))
        }
    }
}
