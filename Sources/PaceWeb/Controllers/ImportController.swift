import PaceCore
import PaceStore
import Vapor

/// CSV upload through the browser, checked exactly as `pace import` does. An upload is first a
/// preview — what is new, what changes field by field, what is unchanged — and is written only when
/// the person confirms it.
struct ImportController: RouteCollection {
    let uploadLimitBytes: Int

    func boot(routes: any RoutesBuilder) throws {
        routes.get("import", use: form).requires(.changePortfolio)
        routes.on(.POST, "import", body: .collect(maxSize: ByteCount(value: uploadLimitBytes)), use: upload).requires(.changePortfolio)
        routes.post("import", "confirm", use: confirm).requires(.changePortfolio)
    }

    struct Upload: Content {
        var kind: String?
        var file: File?
        var reason: String?
        var confirm_counts: String?
    }

    func form(request: Request) async throws -> Response {
        ImportPage(uploadLimitBytes: uploadLimitBytes).render(hostName: try await request.hostName()).response()
    }

    func upload(request: Request) async throws -> Response {
        try request.requireUploadWithinLimit()
        var page = ImportPage(uploadLimitBytes: uploadLimitBytes)
        let upload: Upload
        do {
            upload = try request.content.decode(Upload.self)
        } catch {
            page.form = FormState(problems: [FieldProblem(column: "file", message: "choose a CSV file to import")])
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
        var problems: [FieldProblem] = []
        let kind = upload.kind.flatMap(InterchangeKind.init(rawValue:))
        if kind == nil { problems.append(FieldProblem(column: "kind", message: "choose what the file holds")) }
        if upload.file == nil || upload.file?.filename.isEmpty == true { problems.append(FieldProblem(column: "file", message: "choose a CSV file to import")) }
        let reason = (upload.reason ?? "").trimmingSpaces
        if !reason.isEmpty, let problem = Reason.problem(reason) { problems.append(FieldProblem(column: "reason", message: problem)) }
        guard let kind, let file = upload.file, problems.isEmpty else {
            page.form = FormState(values: ["kind": upload.kind ?? "", "reason": reason], problems: problems)
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
        let confirmingCounts = upload.confirm_counts == "yes"
        page.form = FormState(values: ["kind": kind.rawValue, "reason": reason, "confirm_counts": confirmingCounts ? "yes" : ""])
        let bytes = Array(file.data.readableBytesView)
        let options = ImportOptions(confirmingLargeCounts: confirmingCounts, dryRun: true)
        do {
            let preview = try await Importer(database: request.db).importFile(kind, named: file.filename, reader: CSVReader(bytes: bytes), sha256: { AuditTrail.sha256(bytes: bytes) },
                                                                             by: request.auditContext.because(reason.isEmpty ? nil : reason), options: options)
            guard let userID = request.caller?.account.id else { throw Abort(.forbidden) }
            let token = Credentials.randomSecret()
            try await PendingImports(database: request.db).keep(token: token, userID: userID, kind: kind, fileName: file.filename, reason: reason.isEmpty ? nil : reason,
                                                                confirmingLargeCounts: confirmingCounts, bytes: bytes, checkedAt: preview.checkedAt)
            page.preview = preview
            page.token = token
            return page.render(hostName: try await request.hostName()).response()
        } catch let rejected as ImportRejected {
            page.rejected = rejected
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    /// Writes a previewed file, exactly as it was checked (the person's own upload, within the hour).
    func confirm(request: Request) async throws -> Response {
        var page = ImportPage(uploadLimitBytes: uploadLimitBytes)
        let values = try request.formValues()
        guard let userID = request.caller?.account.id, let token = values["token"], !token.isEmpty, token.utf8.count <= 100,
              let pending = try await PendingImports(database: request.db).take(token: token, userID: userID) else {
            page.form = FormState(problems: [FieldProblem(column: "file", message: "The preview has expired or was already imported: upload the file again.")])
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
        page.form = FormState(values: ["kind": pending.kind.rawValue, "reason": pending.reason ?? ""])
        do {
            page.summary = try await Importer(database: request.db).importFile(
                pending.kind, named: pending.fileName, reader: CSVReader(bytes: pending.bytes), sha256: { AuditTrail.sha256(bytes: pending.bytes) },
                by: request.auditContext.because(pending.reason),
                options: ImportOptions(confirmingLargeCounts: pending.confirmingLargeCounts, unstampedRowsAsOf: pending.checkedAt)
            )
            return page.render(hostName: try await request.hostName()).response()
        } catch let rejected as ImportRejected {
            // Someone changed a record between the preview and the confirmation.
            page.rejected = rejected
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }
}
