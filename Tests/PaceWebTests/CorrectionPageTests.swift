import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting

/// Correcting and removing records from the pages and the API, with a reason every time.
struct CorrectionPageTests {
    func recruited(at site: Site, in portfolio: DemoPortfolio) -> Participant? {
        portfolio.participants.first { participant in
            participant.cpmsID == site.cpmsID && participant.siteODS == site.siteODS && participant.status == .recruited
        }
    }

    /// The first participant row's correction link on a site page.
    func correctionLink(_ page: String) -> String? {
        guard let range = page.range(of: #"/participants/[0-9]+/correct"#, options: .regularExpression) else { return nil }
        return String(page[range])
    }

    @Test func aWithdrawalIsRecordedOnAnExistingParticipantAndAMistakeRemovedWithAReason() async throws {
        try await withPace { app, portfolio in
            let site = try #require(portfolio.recruitingHostSite)
            let sitePath = Paths.site(site.cpmsID, site.siteODS)
            let before = try await app.get("/api/v1/studies/\(site.cpmsID)/sites/RT5").json()["recruited"]
            let page = try await app.get(sitePath).text
            #expect(page.contains("Correct or withdraw"))
            let tail = try #require(correctionLink(page))
            let form = try await app.get(sitePath + tail)
            #expect(form.status == .ok)
            #expect(form.text.contains("<title>Correct a participant record"))
            let rowID = try #require(Int(tail.split(separator: "/")[1]))
            let stored = try #require(try await Register(database: app.db).participant(rowID: rowID, cpmsID: site.cpmsID, odsCode: "RT5"))
            // The pseudonym is on the page but never in its address or title.
            #expect(!tail.contains(stored.participantID))
            #expect(!form.text.contains("<title>Correct a participant record \(stored.participantID)"))
            let day = try #require(stored.recruitmentDay).adding(days: 1)
            let fields = [("status", "withdrawn"), ("consent_date", stored.consentDate?.iso ?? ""), ("recruited_date", stored.recruitedDate?.iso ?? ""), ("withdrawn_date", day.iso)]
            let noReason = try await app.postForm(sitePath + tail, fields)
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.text.contains("Give the reason for the correction"))
            let saved = try await app.postForm(sitePath + tail, fields + [("reason", "Withdrew consent at the week 4 visit")])
            #expect(saved.status == .seeOther)
            #expect(saved.headers.first(name: .location) == sitePath)
            let after = try await app.get(sitePath).text
            #expect(after.contains("Corrected: participant \(stored.participantID), now withdrawn."))
            // A withdrawn participant still counts as recruited on their date.
            #expect(try await app.get("/api/v1/studies/\(site.cpmsID)/sites/RT5").json()["recruited"] == before)

            // Removing the record: a confirmation page, a reason, then out of the totals at once.
            let removal = sitePath + tail.replacingOccurrences(of: "/correct", with: "/remove")
            #expect(try await app.get(removal).text.contains("This takes the record out of every report"))
            #expect(try await app.postForm(removal, [("reason", "")]).status == .unprocessableEntity)
            #expect(try await app.postForm(removal, [("reason", "Entered at the wrong site")]).status == .seeOther)
            let recruited = try await app.get("/api/v1/studies/\(site.cpmsID)/sites/RT5").json()["recruited"]
            if case .integer(let was)? = before { #expect(recruited == .integer(was - 1)) } else { Issue.record("no total before") }
            let history = try await app.get(Paths.study(site.cpmsID)).text
            #expect(history.contains("Entered at the wrong site"))
            #expect(try await app.get(removal).status == .notFound)
        }
    }

    @Test func aCountIsCorrectedFromTheSitePage() async throws {
        try await withPace { app, _ in
            let cpmsID = try await app.newQuietHostSite(target: 40)
            #expect(try await app.postForm(Paths.counts(cpmsID, "RT5"), [("period_start", "2026-10-01"), ("period_end", "2026-10-31"), ("count", "40")]).status == .seeOther)
            let page = try await app.get(Paths.site(cpmsID, "RT5")).text
            let start = try #require(Day(iso: "2026-10-01"))
            #expect(page.contains(Paths.countCorrection(cpmsID, "RT5", start)))
            let corrected = try await app.postForm(Paths.countCorrection(cpmsID, "RT5", start), [("period_end", "2026-10-31"), ("count", "4"), ("reason", "Typed 40 for 4")])
            #expect(corrected.status == .seeOther)
            #expect(try await app.get(Paths.site(cpmsID, "RT5")).text.contains("Corrected: the count from 1 October 2026 is now 4"))
            #expect(try await app.get("/api/v1/studies/\(cpmsID)/sites/RT5").json()["recruited"] == .integer(4))
            let big = try await app.postForm(Paths.countCorrection(cpmsID, "RT5", start), [("period_end", "2026-10-31"), ("count", "400"), ("reason", "Checking")])
            #expect(big.status == .unprocessableEntity)
            #expect(big.text.contains("Confirm and save correction"))
            #expect(try await app.postForm(Paths.countRemoval(cpmsID, "RT5", start), [("reason", "Counted at the wrong site")]).status == .seeOther)
            #expect(try await app.get("/api/v1/studies/\(cpmsID)/sites/RT5").json()["recruited"] == .integer(0))
            // With nothing left at it, the site and then the study can go.
            let site = try await app.postForm(Paths.siteRemoval(cpmsID, "RT5"), [("reason", "Added for a test")])
            #expect(site.status == .seeOther)
            #expect(try await app.postForm(Paths.studyRemoval(cpmsID), [("reason", "Added for a test")]).status == .seeOther)
            #expect(try await app.get(Paths.study(cpmsID)).status == .notFound)
        }
    }

    @Test func theAPICorrectsAndRemovesWithAReasonHeader() async throws {
        try await withPace { app, portfolio in
            let site = try #require(portfolio.recruitingHostSite)
            let participant = try #require(recruited(at: site, in: portfolio))
            let path = "/api/v1/studies/\(site.cpmsID)/sites/RT5/participants/\(participant.participantID)"
            let body = #"{"status": "withdrawn", "consent_date": "\#(participant.consentDate?.iso ?? "")", "recruited_date": "\#(participant.recruitedDate?.iso ?? "")", "withdrawn_date": "\#(Day.today().iso)"}"#
            #expect(try await app.sendJSON(.PUT, path, body).status == .unprocessableEntity)
            var headers = app.apiHeaders
            headers.contentType = .json
            headers.add(name: "X-Pace-Reason", value: "Withdrew consent")
            let put = try await app.testing().sendRequest(.PUT, path, headers: headers, body: ByteBuffer(string: body))
            #expect(put.status == .ok, "\(put.body.string)")
            let missing = try await app.testing().sendRequest(.DELETE, path + "-X", headers: headers)
            #expect(missing.status == .notFound)
            let delete = try await app.testing().sendRequest(.DELETE, path, headers: headers)
            #expect(delete.status == .noContent)
            let list = try await app.get("/api/v1/studies/\(site.cpmsID)/sites/RT5/participants?per_page=1000").text
            #expect(!list.contains("\"\(participant.participantID)\""))
            let inUse = try await app.testing().sendRequest(.DELETE, "/api/v1/organisations/RT5", headers: headers)
            #expect(inUse.status == .conflict)
            #expect(inUse.body.string.contains("cannot be removed"))
            let badDay = try await app.testing().sendRequest(.DELETE, "/api/v1/studies/\(site.cpmsID)/sites/RT5/counts/2026-13-01", headers: headers)
            #expect(badDay.status == .badRequest)
        }
    }
}

@Test func aPseudonymInAnAPIAddressNeverReachesALogLine() {
    #expect(Paths.forLog("/api/v1/studies/41001/sites/RT5/participants/CALM-0042") == "/api/v1/studies/41001/sites/RT5/participants/…")
    #expect(Paths.forLog("/api/v1/studies/41001/sites/RT5/participants") == "/api/v1/studies/41001/sites/RT5/participants")
    #expect(Paths.forLog("/studies/41001/sites/RT5/participants/12/correct") == "/studies/41001/sites/RT5/participants/…/correct")
}
