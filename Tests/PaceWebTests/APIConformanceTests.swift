import PaceCore
@testable import PaceWeb
import Testing
import VaporTesting

/// What schemathesis found against the OpenAPI document, kept as plain tests: a method a path does not
/// take is 405 with Allow, a query Pace cannot read is 400 naming the parameter, and a person's name
/// must be text.
@Suite struct APIConformanceTests {
    @Test func anUnsupportedMethodIs405WithTheMethodsAllowed() async throws {
        try await withPace { app, portfolio in
            let study = try #require(portfolio.studies.first)
            let trace = try await app.sendJSON(.TRACE, "/api/v1/studies", "{}")
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers.first(name: .allow) == "GET, HEAD, POST")
            let post = try await app.sendJSON(.POST, "/api/v1/studies/\(study.cpmsID)", "{}")
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers.first(name: .allow) == "DELETE, GET, HEAD, PUT")
            let nowhere = try await app.sendJSON(.DELETE, "/api/v1/nowhere", "{}")
            #expect(nowhere.status == .notFound)
        }
    }

    @Test func aQueryPaceCannotReadIs400NamingTheParameter() async throws {
        try await withPace { app, portfolio in
            for (query, named) in [("per_page=null", "per_page"), ("page=0", "page"), ("route=weekly", "route"), ("phase=x", "phase"), ("partner=%3Cb%3E", "partner")] {
                let response = try await app.manager.getAPI("/api/v1/studies?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.body.string.contains(named), "\(query): \(response.body.string)")
            }
            // A blank choice, as a form sends it, means "any".
            #expect(try await app.manager.getAPI("/api/v1/studies?route=&per_page=").status == .ok)
            #expect(try await app.get("/studies?route=&phase=").status == .ok)
            let study = try #require(portfolio.studies.first)
            let participants = try await app.manager.getAPI("/api/v1/studies/\(study.cpmsID)/sites/RT5/participants?per_page=abc")
            #expect(participants.status == .badRequest)
        }
    }

    @Test func aPersonsNameMustBeText() async throws {
        try await withPace { app, _ in
            let response = try await app.sendJSON(.POST, "/api/v1/people", #"{"name": false, "email": "", "job_title": ""}"#)
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("must be text"))
            #expect(try await app.sendJSON(.POST, "/api/v1/people", #"{"name": "Dr A. Example", "email": null}"#).status == .created)
        }
    }
}
