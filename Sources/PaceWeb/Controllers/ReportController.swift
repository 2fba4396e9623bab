import Foundation
import PaceCore
import PaceStore
import Vapor

/// Reports in the browser and through the API; both build the same `Report` as `pace report`.
struct ReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", "sites", use: sitesPage)
        routes.get("api", "v1", "reports", "sites", use: sitesAPI)
    }

    struct Parameters {
        let day: Day
        let organisation: String?
    }

    /// `on` defaults to today; `organisation` to every organisation. Bad values are a 400 naming the parameter.
    static func parameters(_ request: Request) throws -> Parameters {
        let on = request.query[String.self, at: "on"].flatMap { $0.isEmpty ? nil : $0 }
        let organisation = request.query[String.self, at: "organisation"].flatMap { $0.isEmpty ? nil : $0 }
        var day = Day.today()
        if let on {
            guard let parsed = Day(iso: on) else { throw Abort(.badRequest, reason: "on='\(on)' is not a date: write it as YYYY-MM-DD.") }
            day = parsed
        }
        var code: String?
        if let organisation {
            guard let parsed = Identifiers.normalisedODSCode(organisation) else {
                throw Abort(.badRequest, reason: "organisation='\(organisation)' is not an organisation code.")
            }
            code = parsed
        }
        return Parameters(day: day, organisation: code)
    }

    func sitesPage(request: Request) async throws -> Response {
        let parameters = try Self.parameters(request)
        let report = try await request.register.sitesReport(on: parameters.day, organisation: parameters.organisation)
        return SitesReportPage(
            report: report, day: parameters.day, organisation: parameters.organisation,
            organisations: try await request.register.organisationChoices(), rules: .national
        ).render(hostName: try await request.hostName()).response()
    }

    func sitesAPI(request: Request) async throws -> Response {
        let parameters = try Self.parameters(request)
        let format = try request.query[String.self, at: "format"].map { text in
            guard let format = Report.Format(rawValue: text) else { throw Abort(.badRequest, reason: "format='\(text)' must be json or csv.") }
            return format
        } ?? .json
        let report = try await request.register.sitesReport(on: parameters.day, organisation: parameters.organisation)
        switch format {
        case .json:
            return try report.json(generatedAt: ISO8601DateFormatter().string(from: Date())).jsonResponse(status: .ok)
        case .csv:
            var headers = HTTPHeaders()
            headers.contentType = .init(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            headers.contentDisposition = .init(.attachment, filename: "sites-\(parameters.day.iso).csv")
            return Response(status: .ok, headers: headers, body: .init(string: report.csv))
        }
    }
}
