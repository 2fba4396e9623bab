import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting

/// The R&D office runs a site's set-up and an amendment from the pages and the API, with bad input
/// refused beside its field and every change on the record.
@Suite(.serialized)
struct SetUpPageTests {
    let today = Day.today()

    func boxes(_ name: String, _ day: Day) -> [(String, String)] {
        [(name + "-day", String(day.parts.day)), (name + "-month", String(day.parts.month)), (name + "-year", String(day.parts.year))]
    }

    /// A study approved 30 days ago whose host site is being set up.
    func newSite(_ app: Application) async throws -> String {
        let register = Register(database: app.db)
        try await register.save(Study(cpmsID: 77100, shortName: "SETUP-ONE", route: .commercial, ctimp: true), .create, by: .commandLine("test"))
        var site = Site(cpmsID: 77100, siteODS: "RT5", role: .recruiting)
        site.siteTarget = 20
        site.hraApproval = today.adding(days: -30)
        try await register.save(site, .create, by: .commandLine("test"))
        return "/studies/77100/sites/RT5"
    }

    @Test func aSiteIsWalkedThroughSetUpFromThePages() async throws {
        try await withPace { app, _ in
            let site = try await newSite(app)
            // Bad input: no step chosen, and completed before it started. Both are named and the input is kept.
            let bad = try await app.postForm(site + "/set-up", [("held_by", "provider"), ("owner", "Kept <i>owner</i>")] + boxes("started", today.adding(days: -3)) + boxes("completed", today.adding(days: -5)))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("<title>Error: Set-up: SETUP-ONE"))
            #expect(bad.text.contains("id=\"step-error\"") && bad.text.contains("id=\"completed-error\""))
            #expect(bad.text.contains("value=\"Kept &lt;i&gt;owner&lt;/i&gt;\""))

            let recorded = try await app.postForm(site + "/set-up", [("step", "pharmacy-review"), ("held_by", "provider"), ("owner", "Pharmacist")] + boxes("started", today.adding(days: -20)))
            #expect(recorded.status == .seeOther && recorded.headers.first(name: .location) == site + "/set-up")
            let board = try await app.get(site + "/set-up")
            #expect(board.text.contains("Day 30 of 60 since HRA approval"))
            // Approved 30 days ago: the site must open in 30 days, so the review must finish 10 days before that.
            #expect(board.text.contains(today.adding(days: 20).longText))
            #expect(board.text.contains("Pharmacy review"))
            let duplicate = try await app.postForm(site + "/set-up", [("step", "pharmacy-review"), ("held_by", "provider")] + boxes("started", today))
            #expect(duplicate.status == .unprocessableEntity && duplicate.text.contains("Pharmacy review is open at this site already"))
            // A query to the sponsor, answered, then a second one: recorded again, numbered.
            _ = try await app.postForm(site + "/set-up", [("step", "sponsor-query"), ("held_by", "sponsor")] + boxes("started", today.adding(days: -9)) + boxes("completed", today.adding(days: -6)))
            #expect(try await app.postForm(site + "/set-up", [("step", "sponsor-query"), ("held_by", "sponsor")] + boxes("started", today.adding(days: -4))).status == .seeOther)
            #expect(try await app.get(site + "/set-up").text.contains("Query with the sponsor (2)"))

            let completed = try await app.postForm(site + "/set-up/pharmacy-review", [("held_by", "provider"), ("outcome", "Approved")] + boxes("started", today.adding(days: -20)) + boxes("completed", today.adding(days: -2)))
            #expect(completed.status == .seeOther)
            #expect(try await app.get(site + "/set-up").text.contains("Completed steps"))
            // Completing the confirmation of capacity and capability records the date the site confirmed.
            _ = try await app.postForm(site + "/set-up", [("step", "capacity-and-capability"), ("held_by", "provider")] + boxes("started", today.adding(days: -2)) + boxes("completed", today.adding(days: -1)))
            #expect(try await Register(database: app.db).site(cpmsID: 77100, odsCode: "RT5")?.site.dateSiteConfirmed == today.adding(days: -1))
            // A step recorded by mistake needs a reason to remove.
            #expect(try await app.postForm(site + "/set-up/pharmacy-review/remove", []).status == .unprocessableEntity)
            #expect(try await app.postForm(site + "/set-up/pharmacy-review/remove", [("reason", "Recorded against the wrong study")]).status == .seeOther)
            #expect(try await app.get(site + "/set-up/pharmacy-review/edit").status == .notFound)
            #expect(try await app.get(site + "/set-up/no-such-step/edit").status == .notFound)
            // Every site in set-up, and its filters.
            let portfolio = try await app.get("/set-up?held_by=provider")
            #expect(portfolio.status == .ok)
            #expect(try await app.get("/set-up?held_by=nobody").status == .badRequest)
            #expect(try await app.get("/set-up?step=%3Cscript%3E").status == .badRequest)
        }
    }

    @Test func anAmendmentIsReceivedAssessedAndImplemented() async throws {
        try await withPace { app, _ in
            let site = try await newSite(app)
            let received = today.adding(days: -40)
            let recorded = try await app.postForm(site + "/amendments", [("amendment_ref", "Modification 2"), ("category", "substantial"), ("needs_reconfirmation", "yes")] + boxes("received", received))
            #expect(recorded.status == .seeOther, "\(recorded.text.components(separatedBy: "<main").dropFirst().first?.prefix(900) ?? recorded.text.prefix(300))")
            let list = try await app.get(site + "/amendments")
            #expect(list.text.contains("Overdue for assessment"))
            #expect(list.text.contains("/amendments/Modification%202/edit"))
            #expect(try await app.get("/attention").text.contains("amendment Modification 2, received \(received.longText)"))
            // Implemented before it was reconfirmed is refused beside the field.
            let early = try await app.postForm(site + "/amendments/Modification%202", [("category", "substantial"), ("needs_reconfirmation", "yes")] + boxes("received", received) + boxes("implemented", today))
            #expect(early.status == .unprocessableEntity && early.text.contains("id=\"implemented-error\""))
            _ = try await app.postForm(site + "/amendments/Modification%202", [("category", "substantial"), ("needs_reconfirmation", "yes")] + boxes("received", received) + boxes("assessed", today.adding(days: -1)))
            #expect(try await app.get(site + "/amendments").text.contains("Reconfirmed, to implement (late)"))
            _ = try await app.postForm(site + "/amendments/Modification%202", [("category", "substantial"), ("needs_reconfirmation", "yes")] + boxes("received", received) + boxes("assessed", today.adding(days: -1)) + boxes("implemented", today))
            #expect(try await app.get(site + "/amendments").text.contains("<span class=\"tag green\">Implemented"))
            #expect(try await app.get("/reports/amendments").text.contains("Modification 2"))
            #expect(try await app.get(site + "/amendments/SA%2F9/edit").status == .notFound)
        }
    }

    @Test func theAPIRecordsChangesAndRemovesWithAReason() async throws {
        try await withPace { app, _ in
            let site = "/api/v1" + (try await newSite(app))
            let started = today.adding(days: -10).iso
            let created = try await app.sendJSON(.POST, site + "/set-up-steps", #"{"step": "contract", "held_by": "sponsor", "started": "\#(started)", "owner": "Sponsor's legal team"}"#)
            #expect(created.status == .created)
            let refused = try await app.sendJSON(.POST, site + "/set-up-steps", #"{"step": "contract", "held_by": "sponsor", "started": "2999-01-01", "colour": "red"}"#)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("colour"))
            let changed = try await app.sendJSON(.PUT, site + "/set-up-steps/contract", #"{"held_by": "sponsor", "started": "\#(started)", "completed": "\#(today.iso)"}"#)
            #expect(changed.status == .ok)
            #expect(try await app.manager.getAPI(site + "/set-up-steps").text.contains(#""completed":"\#(today.iso)""#))
            #expect(try await app.sendJSON(.PUT, site + "/set-up-steps/imaging-review", #"{"held_by": "provider", "started": "\#(started)"}"#).status == .notFound)
            #expect(try await app.sendJSON(.DELETE, site + "/set-up-steps/contract", "").status == .unprocessableEntity)
            let amendment = try await app.sendJSON(.POST, site + "/amendments", #"{"amendment_ref": "SA 03", "received": "\#(started)", "category": "B"}"#)
            #expect(amendment.status == .created)
            let listed = try await app.manager.getAPI(site + "/amendments")
            #expect(listed.text.contains(#""assessment_due":"\#(today.adding(days: 25).iso)""#) && listed.text.contains(#""overdue":false"#))
            #expect(try await app.sendJSON(.PUT, site + "/amendments/SA%2003", #"{"received": "\#(started)", "assessed": "\#(today.iso)"}"#).status == .ok)
            #expect(try await app.manager.getAPI("/api/v1/reports/amendments").text.contains(#""amendment_ref":"SA 03""#))
            let csv = try await app.manager.getAPI("/api/v1/reports/set-up-time?format=csv").text
            #expect(csv.hasPrefix("step,held_by,completed_steps,median_days,p90_days,total_days") && csv.contains("\ncontract,sponsor,"), "\(csv)")
        }
    }
}
