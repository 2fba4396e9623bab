import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting

@Suite(.serialized)
struct ImportAndAPITests {
    @Test func theBrowserImportWritesAGoodFileAndRefusesABadOne() async throws {
        try await withPace { app, _ in
            let good = try await app.postMultipart("/import", fields: [("kind", "organisations")],
                                                   file: ("file", "orgs.csv", "ods_code,name,type\nRX1,Nottingham University Hospitals NHS Trust,nhs-trust\n"))
            // First a preview: nothing is written until the person confirms it.
            #expect(good.status == .ok)
            #expect(good.text.contains("Check the changes before importing"))
            #expect(try await app.get("/api/v1/organisations/RX1").status == .notFound)
            let token = try #require(good.text.firstMatch(of: /name="token" value="([A-Za-z0-9_-]+)"/).map { String($0.1) })
            let written = try await app.postForm(Paths.importConfirm, [("token", token)])
            #expect(written.status == .ok)
            #expect(written.text.contains("orgs.csv: 1 organisations records read; 1 new, 0 changed, 0 unchanged"))
            #expect(try await app.get("/api/v1/organisations/RX1").status == .ok)
            // A token works once, and only for the person who uploaded the file.
            #expect(try await app.postForm(Paths.importConfirm, [("token", token)]).status == .unprocessableEntity)
            let again = try await app.postMultipart("/import", fields: [("kind", "organisations")],
                                                    file: ("file", "orgs.csv", "ods_code,name,type\nRX1,Nottingham University Hospitals,nhs-trust\n"))
            #expect(again.text.contains("Nottingham University Hospitals NHS Trust"))
            let otherToken = try #require(again.text.firstMatch(of: /name="token" value="([A-Za-z0-9_-]+)"/).map { String($0.1) })
            let admin = try await app.client(as: .admin)
            #expect(try await admin.postForm(Paths.importConfirm, [("token", otherToken)]).status == .forbidden)
            let bad = try await app.postMultipart("/import", fields: [("kind", "participants")],
                                                  file: ("file", "p.csv", "cpms_id,site_ods,participant_id,status\n1,RT5,9434765919,recruited\n"))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("p.csv:2:participant_id:"))
            #expect(bad.text.contains("p.csv:2:recruited_date:"))
            let nothing = try await app.postMultipart("/import", fields: [("kind", "")], file: nil)
            #expect(nothing.status == .unprocessableEntity)
            #expect(nothing.text.contains("id=\"kind-error\""))
            #expect(nothing.text.contains("id=\"file-error\""))
        }
    }

    @Test func uploadsOverTheLimitAreRefusedClearly() async throws {
        try await withPace(uploadLimitBytes: 1_024) { app, _ in
            let big = "ods_code,name,type\n" + String(repeating: "RX1,Somewhere,nhs-trust\n", count: 200)
            let browser = try await app.postMultipart("/import", fields: [("kind", "organisations")], file: ("file", "big.csv", big))
            #expect(browser.status == .payloadTooLarge)
            #expect(browser.text.contains("pace import KIND FILE"))
            var headers = app.apiHeaders
            headers.contentType = .init(type: "text", subType: "csv")
            let api = try await app.testing().sendRequest(.POST, "/api/v1/import/organisations", headers: headers, body: ByteBuffer(string: big))
            #expect(api.status == .payloadTooLarge)
            #expect(try api.json()["error"] != nil)
            #expect(try await app.get("/api/v1/organisations/RX1").status == .notFound)
        }
    }

    @Test func theAPIImportsAndListsEveryProblem() async throws {
        try await withPace { app, _ in
            var headers = app.apiHeaders
            headers.contentType = .init(type: "text", subType: "csv")
            headers.replaceOrAdd(name: "X-Pace-Filename", value: "orgs.csv")
            let ok = try await app.testing().sendRequest(.POST, "/api/v1/import/organisations", headers: headers,
                                                         body: ByteBuffer(string: "ods_code,name,type\nRX1,NUH,nhs-trust\n"))
            #expect(try ok.json()["created"] == .integer(1))
            let bad = try await app.testing().sendRequest(.POST, "/api/v1/import/organisations", headers: headers,
                                                          body: ByteBuffer(string: "ods_code,name,type\nRX1,NUH,hospital\nRX2,,nhs-trust\n"))
            #expect(bad.status == .unprocessableEntity)
            guard case .array(let problems) = try bad.json()["problems"] else { Issue.record("no problems"); return }
            #expect(problems.map { $0["text"] } == [.string("orgs.csv:2:type: 'hospital' is not one of: nhs-trust, university, commercial, gp-practice, funder, collaboration, other"),
                                                    .string("orgs.csv:3:name: is required")])
            #expect(try await app.testing().sendRequest(.POST, "/api/v1/import/widgets", headers: headers, body: ByteBuffer(string: "x\n")).status == .notFound)
        }
    }

    @Test func studiesAreCreatedReadAndUpdatedThroughTheAPI() async throws {
        try await withPace { app, _ in
            let created = try await app.sendJSON(.POST, "/api/v1/studies", """
                {"cpms_id": 88001, "short_name": "API-ONE", "route": "commercial", "ctimp": true, "sample_size": 40,
                 "themes": ["Data2Health"], "sponsor_ods": "CALDER", "planned_open": "2027-01-01"}
                """)
            #expect(created.status == .created)
            let study = try created.json()["study"]
            #expect(study?["ctimp"] == .boolean(true))
            #expect(study?["sample_size"] == .integer(40))
            #expect(study?["themes"] == .array([.string("Data2Health")]))
            #expect(study?["sponsor_ods"] == .string("CALDER"))
            let updated = try await app.sendJSON(.PUT, "/api/v1/studies/88001", #"{"short_name": "API-ONE-B", "route": "commercial"}"#)
            #expect(updated.status == .ok)
            #expect(try updated.json()["study"]?["short_name"] == .string("API-ONE-B"))
            #expect(try updated.json()["study"]?["sample_size"] == .null)
            let missing = try await app.sendJSON(.PUT, "/api/v1/studies/88999", #"{"short_name": "X", "route": "commercial"}"#)
            #expect(missing.status == .notFound)
            let invalid = try await app.sendJSON(.POST, "/api/v1/studies", #"{"cpms_id": 88002, "route": "private", "colour": "blue"}"#)
            #expect(invalid.status == .unprocessableEntity)
            #expect(try invalid.json()["problems"] == .array([.object([("field", .string("colour")), ("message", .string("unknown field; studies have: \(Study.columns.map(\.name).joined(separator: ", "))"))])]))
            let incomplete = try await app.sendJSON(.POST, "/api/v1/studies", #"{"cpms_id": 88002, "route": "private"}"#)
            guard case .array(let problems) = try incomplete.json()["problems"] else { Issue.record("no problems"); return }
            #expect(Set(problems.compactMap { if case .string(let field)? = $0["field"] { field } else { nil } }) == ["short_name", "route"])
            #expect(try await app.sendJSON(.POST, "/api/v1/studies", "[1, 2]").status == .unprocessableEntity)
            #expect(try await app.sendJSON(.POST, "/api/v1/studies", "{not json").status == .unprocessableEntity)
        }
    }

    @Test func sitesParticipantsAndCountsGoThroughTheAPI() async throws {
        try await withPace { app, portfolio in
            let study = try #require(portfolio.studies.first)
            let site = try await app.sendJSON(.POST, "/api/v1/studies/\(study.cpmsID)/sites", #"{"site_ods": "RP1", "role": "recruiting", "site_target": 10}"#)
            #expect(site.status == .created)
            #expect(try site.json()["site"]?["site_target"] == .integer(10))
            let participant = try await app.sendJSON(.POST, "/api/v1/studies/\(study.cpmsID)/sites/RP1/participants",
                                                     #"{"participant_id": "API-P1", "status": "recruited", "consent_date": "2026-11-01"}"#)
            #expect(participant.status == .created)
            let nhs = try await app.sendJSON(.POST, "/api/v1/studies/\(study.cpmsID)/sites/RP1/participants", #"{"participant_id": "4010232137", "status": "consented"}"#)
            #expect(nhs.status == .unprocessableEntity)
            #expect(nhs.text.contains("NHS number"))
            // A site records participants or counts, never both: the same people would count twice.
            let mixed = try await app.sendJSON(.POST, "/api/v1/studies/\(study.cpmsID)/sites/RP1/counts", #"{"period_start": "2026-10-01", "period_end": "2026-10-31", "count": 3}"#)
            #expect(mixed.status == .unprocessableEntity)
            #expect(mixed.text.contains("participant by participant"))
            #expect(try await app.sendJSON(.POST, "/api/v1/studies/\(study.cpmsID)/sites", #"{"site_ods": "RHA", "role": "recruiting", "site_target": 10}"#).status == .created)
            let count = try await app.sendJSON(.POST, "/api/v1/studies/\(study.cpmsID)/sites/RHA/counts", #"{"period_start": "2026-10-01", "period_end": "2026-10-31", "count": 3}"#)
            #expect(count.status == .created)
            let read = try await app.get("/api/v1/studies/\(study.cpmsID)/sites/RP1").json()
            #expect(read["recruited"] == .integer(1))
            #expect(try await app.get("/api/v1/studies/\(study.cpmsID)/sites/RHA").json()["recruited"] == .integer(3))
            let list = try await app.get("/api/v1/studies/\(study.cpmsID)/sites/RP1/participants").json()
            #expect(list["total"] == .integer(1))
            #expect(try await app.get("/api/v1/studies/\(study.cpmsID)/sites/ZZZ9/participants").status == .notFound)
            let correction = #"{"role": "recruiting", "date_site_open": "2026-09-01"}"#
            let sitePath = "/api/v1/studies/\(study.cpmsID)/sites/RP1"
            // September 2026 is in a quarter already reported: the API gives the reason in a header.
            let unexplained = try await app.sendJSON(.PUT, sitePath, correction)
            #expect(unexplained.status == .unprocessableEntity)
            var headers = app.apiHeaders
            headers.contentType = .json
            headers.replaceOrAdd(name: "X-Pace-Reason", value: "Opening date confirmed by the sponsor")
            let updated = try await app.testing().sendRequest(.PUT, sitePath, headers: headers, body: ByteBuffer(string: correction))
            #expect(try updated.json()["site"]?["date_site_open"] == .string("2026-09-01"))
        }
    }

    @Test func organisationsAndSitesAreListedThroughTheAPI() async throws {
        try await withPace { app, portfolio in
            let list = try await app.get("/api/v1/organisations").json()
            guard case .array(let organisations) = list["organisations"] else { Issue.record("no organisations"); return }
            #expect(organisations.count == portfolio.organisations.count)
            let host = try await app.get("/api/v1/organisations/RT5").json()
            #expect(host["organisation"]?["subtype"] == .string("mental-health"))
            guard case .array(let studies) = host["studies"] else { Issue.record("no studies"); return }
            #expect(studies.count == Set(portfolio.sites.filter { $0.siteODS == "RT5" }.map(\.cpmsID)).count)
            let created = try await app.sendJSON(.POST, "/api/v1/organisations", #"{"ods_code": "rx1", "name": "NUH", "type": "nhs-trust"}"#)
            #expect(created.status == .created)
            #expect(try created.json()["organisation"]?["ods_code"] == .string("RX1"))
            #expect(try await app.sendJSON(.POST, "/api/v1/organisations", #"{"ods_code": "RX1", "name": "NUH", "type": "nhs-trust"}"#).status == .unprocessableEntity)
            let renamed = try await app.sendJSON(.PUT, "/api/v1/organisations/RX1", #"{"name": "Nottingham University Hospitals NHS Trust", "type": "nhs-trust", "subtype": "acute"}"#)
            #expect(try renamed.json()["organisation"]?["subtype"] == .string("acute"))
            #expect(try await app.get("/api/v1/organisations/RX1").json()["organisation"]?["name"] == .string("Nottingham University Hospitals NHS Trust"))
            #expect(try await app.sendJSON(.PUT, "/api/v1/organisations/RX9", #"{"name": "Nowhere", "type": "other"}"#).status == .notFound)
            let study = try #require(portfolio.studies.first)
            let sites = try await app.get("/api/v1/studies/\(study.cpmsID)/sites").json()
            guard case .array(let siteList) = sites["sites"] else { Issue.record("no sites"); return }
            #expect(siteList.count == portfolio.sites.filter { $0.cpmsID == study.cpmsID }.count)
            #expect(try await app.get("/api/v1/studies/999999/sites").status == .notFound)
        }
    }

    @Test func theOpenAPIDocumentMatchesTheRoutes() async throws {
        try await withPace { app, _ in
            let document = try await app.get("/api/v1/openapi.json").json()
            guard case .object(let paths) = document["paths"] else { Issue.record("no paths"); return }
            var documented: Set<String> = []
            for (path, item) in paths {
                guard case .object(let operations) = item else { continue }
                for (method, _) in operations {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            let routed = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component -> String in
                    switch component.description {
                    case ":cpms": "{cpms_id}"
                    case ":ods": "{ods_code}"
                    case ":kind": "{kind}"
                    case ":person": "{person_id}"
                    case ":participant": "{participant_id}"
                    case ":start": "{period_start}"
                    case ":step": "{step}"
                    case ":ref": "{amendment_ref}"
                    // The study team's record kinds are named paths beside {kind}; the document describes them as {kind}.
                    case let name where GCPRecordKind(rawValue: name)?.studyTeamRecords == true: "{kind}"
                    default: component.description
                    }
                }.joined(separator: "/")
                return path.hasPrefix("/api/v1") ? "\(route.method.rawValue) \(path)" : nil
            })
            #expect(documented == routed)
            #expect(documented.count == OpenAPIDocument.operations.count)
        }
    }
}
