import PaceCore
import PaceStore
import Vapor

/// CSV upload through the browser, checked and written exactly as `pace import` does.
struct ImportController: RouteCollection {
    let uploadLimitBytes: Int

    func boot(routes: any RoutesBuilder) throws {
        routes.get("import", use: form).requires(.changePortfolio)
        routes.on(.POST, "import", body: .collect(maxSize: ByteCount(value: uploadLimitBytes)), use: upload).requires(.changePortfolio)
    }

    struct Upload: Content {
        var kind: String?
        var file: File?
        var reason: String?
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
        page.form = FormState(values: ["kind": kind.rawValue, "reason": reason])
        do {
            let bytes = Array(file.data.readableBytesView)
            page.summary = try await Importer(database: request.db).importFile(kind, named: file.filename, reader: CSVReader(bytes: bytes), sha256: { AuditTrail.sha256(bytes: bytes) }, by: request.auditContext.because(reason.isEmpty ? nil : reason))
            return page.render(hostName: try await request.hostName()).response()
        } catch let rejected as ImportRejected {
            page.rejected = rejected
            return page.render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }
}
