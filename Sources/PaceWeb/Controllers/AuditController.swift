import PaceCore
import PaceStore
import Vapor

/// The audit trail for the R&D office and an inspector: the page, and the whole trail as CSV or JSON.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("admin", "audit", use: page).requires(.readAuditTrail)
        routes.get("api", "v1", "audit-events", use: export).requires(.readAuditTrail)
    }

    func page(request: Request) async throws -> Response {
        let trail = AuditTrail(database: request.db)
        let verification = try await trail.verify()
        return AuditTrailPage(events: try await trail.latest(limit: 200), verification: verification)
            .render(hostName: try await request.hostName()).response()
    }

    func export(request: Request) async throws -> Response {
        let format = request.query[String.self, at: "format"] ?? "json"
        guard format == "json" || format == "csv" else {
            throw Abort(.badRequest, reason: "format must be json or csv")
        }
        let lines = EventLines()
        try await AuditTrail(database: request.db).forEachEvent { event in
            if format == "csv" {
                lines.append(CSVWriter.line(AuditExport.csvFields(event)))
            } else {
                lines.append(AuditExport.json(event).serialized)
            }
        }
        if format == "csv" {
            return csvDownload(CSVWriter.line(AuditExport.columns) + lines.joined(separator: ""), filename: "pace-audit-trail.csv")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(string: "[" + lines.joined(separator: ",") + "]"))
    }
}

/// Lines collected as events stream from the database (one at a time, in order).
final class EventLines: @unchecked Sendable {
    private var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
    func joined(separator: String) -> String { lines.joined(separator: separator) }
}
