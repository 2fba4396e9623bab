import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Plot
import Testing
import VaporTesting

@Suite(.serialized)
struct FormTests {
    @Test func addingAStudyRedirectsToItsPage() async throws {
        try await withPace { app, _ in
            let response = try await app.postForm("/studies", [
                ("cpms_id", "77001"), ("short_name", "NEW-ONE"), ("route", "non-commercial"), ("design", "observational"),
                ("status", "In Setup"), ("sponsor_ods", "ULEIC"), ("themes", "Data2Health; Managing Multimorbidity"), ("planned_open", "2026-12-01"),
            ])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/studies/77001")
            let page = try await app.get("/studies/77001")
            #expect(page.text.contains("NEW-ONE"))
            #expect(page.text.contains("Managing Multimorbidity"))
            #expect(page.text.contains("University of Leicester"))
        }
    }

    @Test func aBadStudyFormShowsErrorsBesideTheFieldsAndKeepsTheInput() async throws {
        try await withPace { app, portfolio in
            let response = try await app.postForm("/studies", [
                ("cpms_id", "x1"), ("short_name", "Kept <b>text</b>"), ("route", ""), ("planned_open", "2026-02-30"),
            ])
            #expect(response.status == .unprocessableEntity)
            let html = response.text
            #expect(html.contains("There is a problem"))
            #expect(html.contains("id=\"cpms_id-error\""))
            #expect(html.contains("id=\"route-error\""))
            #expect(html.contains("id=\"planned_open-error\""))
            #expect(html.contains("value=\"Kept &lt;b&gt;text&lt;/b&gt;\""))
            #expect(html.contains("aria-invalid=\"true\""))
            let existing = try #require(portfolio.studies.first)
            let duplicate = try await app.postForm("/studies", [("cpms_id", String(existing.cpmsID)), ("short_name", "Dup"), ("route", "commercial")])
            #expect(duplicate.status == .unprocessableEntity)
            #expect(duplicate.text.contains("CPMS \(existing.cpmsID) already exists"))
        }
    }

    @Test func editingAStudyKeepsItsKey() async throws {
        try await withPace { app, portfolio in
            let study = try #require(portfolio.studies.first)
            let response = try await app.postForm("/studies/\(study.cpmsID)/edit", [
                ("cpms_id", "1"), ("short_name", "RENAMED"), ("route", study.route.rawValue), ("sample_size", "321"),
            ])
            #expect(response.status == .seeOther)
            let page = try await app.get("/studies/\(study.cpmsID)")
            #expect(page.text.contains("RENAMED"))
            #expect(page.text.contains("321"))
            #expect(try await app.get("/studies/1").status == .notFound)
        }
    }

    @Test func addingAPartnerShowsOnTheStudyAndOrganisation() async throws {
        try await withPace { app, portfolio in
            let study = try #require(portfolio.studies.first)
            let response = try await app.postForm(Paths.studyPartners(study.cpmsID), [("ods_code", "LBORO"), ("role", "collaborator")])
            #expect(response.status == .seeOther)
            #expect(try await app.get(Paths.study(study.cpmsID)).text.contains("Loughborough University</a> – Collaborator"))
            #expect(try await app.get("/organisations/LBORO").text.contains(study.shortName))
            let bad = try await app.postForm(Paths.studyPartners(study.cpmsID), [("ods_code", "NOPE9"), ("role", "landlord")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("id=\"role-error\""))
        }
    }

    @Test func sitesAreAddedAndTheirMilestonesEdited() async throws {
        try await withPace { app, portfolio in
            let study = try #require(portfolio.studies.first)
            let created = try await app.postForm(Paths.sites(study.cpmsID), [("site_ods", "RP1"), ("role", "recruiting"), ("site_target", "25"), ("date_site_selected", "2026-01-05")])
            #expect(created.status == .seeOther)
            #expect(created.headers.first(name: .location) == Paths.site(study.cpmsID, "RP1"))
            let again = try await app.postForm(Paths.sites(study.cpmsID), [("site_ods", "RP1"), ("role", "recruiting")])
            #expect(again.text.contains("already exists"))
            let milestones = [
                ("role", "recruiting"), ("site_target", "30"), ("date_site_selected", "2026-01-05"), ("date_site_open", "2026-02-10"),
                ("delay_attribution", "sponsor"),
            ]
            // February 2026 is in a quarter already reported, so the correction needs its reason.
            let unexplained = try await app.postForm(Paths.editSite(study.cpmsID, "RP1"), milestones)
            #expect(unexplained.status == .unprocessableEntity)
            #expect(unexplained.text.contains("id=\"reason-error\""))
            let edited = try await app.postForm(Paths.editSite(study.cpmsID, "RP1"), milestones + [("reason", "Corrected from the site file")])
            #expect(edited.status == .seeOther)
            let history = try await AuditTrail(database: app.db).events(recordTypes: ["site"], keyPrefix: "\(study.cpmsID)/RP1")
            #expect(history.first?.reason == "Corrected from the site file")
            #expect(history.first?.fieldChanges.contains(FieldChange(field: "date_site_open", old: nil, new: "2026-02-10")) == true)
            #expect(history.first?.actor == "user:manager@pace.example")
            let page = try await app.get(Paths.site(study.cpmsID, "RP1")).text
            #expect(page.contains("10 February 2026"), "dates read as a person writes them")
            #expect(page.contains("Sponsor"))
            // Dates come as day, month and year boxes: 31 February is refused in words, the boxes keep what was typed.
            let wrong = try await app.postForm(Paths.editSite(study.cpmsID, "RP1"), [
                ("role", "recruiting"), ("date_site_open-day", "31"), ("date_site_open-month", "2"), ("date_site_open-year", "2026"),
            ])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.text.contains("id=\"date_site_open-error\""))
            #expect(wrong.text.contains("Date the site opened must be a real date, for example 15 3 2026"))
            #expect(wrong.text.contains("name=\"date_site_open-day\" value=\"31\""))
            #expect(wrong.text.contains("name=\"date_site_open-year\" value=\"2026\""))
            #expect(wrong.text.hasPrefix("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>Error: "))
            // One digit or two, as a person types them.
            let right = try await app.postForm(Paths.editSite(study.cpmsID, "RP1"), [
                ("role", "recruiting"), ("date_site_open-day", "9"), ("date_site_open-month", "02"), ("date_site_open-year", "2026"), ("reason", "SIV moved"),
            ])
            #expect(right.status == .seeOther)
            let after = try await app.get(Paths.site(study.cpmsID, "RP1")).text
            #expect(after.contains("9 February 2026"))
            #expect(after.contains("Changes to the site saved."), "the banner confirms the save")
            #expect(!(try await app.get(Paths.site(study.cpmsID, "RP1")).text.contains("Changes to the site saved.")), "once")
        }
    }

    @Test func recordingAParticipantRaisesTheCount() async throws {
        try await withPace { app, portfolio in
            let site = try #require(portfolio.recruitingHostSite)
            let before = try await app.get("/api/v1/studies/\(site.cpmsID)/sites/RT5").json()["recruited"]
            let response = try await app.postForm(Paths.participants(site.cpmsID, "RT5"), [
                ("participant_id", "WEB-0001"), ("status", "recruited"), ("consent_date", "2026-11-01"), ("recruited_date", "2026-11-02"),
            ])
            #expect(response.status == .seeOther)
            let after = try await app.get("/api/v1/studies/\(site.cpmsID)/sites/RT5").json()["recruited"]
            guard case .integer(let was) = before, case .integer(let now) = after else { Issue.record("no counts"); return }
            #expect(now == was + 1)
            // The message waits in the session: the pseudonym never travels in the URL.
            let location = try #require(response.headers.first(name: .location))
            #expect(location == Paths.site(site.cpmsID, "RT5"))
            let page = try await app.get(location)
            #expect(page.text.contains("Recorded: participant WEB-0001."))
            #expect(!(try await app.get(location)).text.contains("Recorded: participant WEB-0001."), "shown once, not again on reload")
            let duplicate = try await app.postForm(Paths.participants(site.cpmsID, "RT5"), [("participant_id", "WEB-0001"), ("status", "consented")])
            #expect(duplicate.status == .unprocessableEntity)
            #expect(duplicate.text.contains("already exists"))
        }
    }

    @Test func patientIdentifiersAreRefusedWithTheReason() async throws {
        try await withPace { app, portfolio in
            let site = try #require(portfolio.recruitingHostSite)
            for identifier in ["943 476 5919", "12/03/1985"] {
                let response = try await app.postForm(Paths.participants(site.cpmsID, "RT5"), [("participant_id", identifier), ("status", "consented")])
                #expect(response.status == .unprocessableEntity)
                #expect(response.text.contains("never a patient identifier"))
                #expect(response.text.contains("value=\"\(identifier)\""))
            }
        }
    }

    @Test func countsAreRecordedAndPICSitesTakeNoRecruitment() async throws {
        try await withPace { app, portfolio in
            let cpmsID = try await app.newQuietHostSite()
            let response = try await app.postForm(Paths.counts(cpmsID, "RT5"), [("period_start", "2026-10-01"), ("period_end", "2026-10-31"), ("count", "4")])
            #expect(response.status == .seeOther)
            let counts = try await app.get("/api/v1/studies/\(cpmsID)/sites/RT5/counts").text
            #expect(counts.contains("\"period_start\":\"2026-10-01\""))
            let backwards = try await app.postForm(Paths.counts(cpmsID, "RT5"), [("period_start", "2026-10-31"), ("period_end", "2026-10-01"), ("count", "-1")])
            #expect(backwards.status == .unprocessableEntity)
            #expect(backwards.text.contains("id=\"period_end-error\""))
            #expect(backwards.text.contains("id=\"count-error\""))
            let pic = try #require(portfolio.picSite)
            #expect(!(try await app.get(Paths.site(pic.cpmsID, pic.siteODS)).text.contains("Record a participant")))
            let refused = try await app.postForm(Paths.participants(pic.cpmsID, pic.siteODS), [("participant_id", "PIC-1"), ("status", "consented"), ("consent_date", "2026-11-01")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Participant Identification Centre"))
        }
    }

    /// The issue's 99,999 in a month at a site with a target of 40: a second step asks the person to
    /// confirm it, and only then is it saved; the API needs `confirmed: true` the same way.
    @Test func aCountFarAboveTheTargetNeedsConfirming() async throws {
        try await withPace { app, _ in
            let cpmsID = try await app.newQuietHostSite(target: 40)
            let fields = [("period_start", "2026-10-01"), ("period_end", "2026-10-31"), ("count", "99999")]
            let first = try await app.postForm(Paths.counts(cpmsID, "RT5"), fields)
            #expect(first.status == .unprocessableEntity)
            #expect(first.text.contains("more than the site&#39;s whole target of 40") || first.text.contains("more than the site's whole target of 40"))
            #expect(first.text.contains("name=\"confirmed\""))
            #expect(first.text.contains("Confirm and record count"))
            #expect(try await app.get("/api/v1/studies/\(cpmsID)/sites/RT5/counts").text == #"{"counts":[]}"#)
            let confirmed = try await app.postForm(Paths.counts(cpmsID, "RT5"), fields + [("confirmed", "yes")])
            #expect(confirmed.status == .seeOther)
            #expect(try await app.get("/api/v1/studies/\(cpmsID)/sites/RT5").json()["recruited"] == .integer(99_999))

            let api = try await app.sendJSON(.POST, "/api/v1/studies/\(cpmsID)/sites/RT5/counts", #"{"period_start": "2026-11-01", "period_end": "2026-11-30", "count": 500}"#)
            #expect(api.status == .unprocessableEntity)
            #expect(api.text.contains("confirm"))
            let apiConfirmed = try await app.sendJSON(.POST, "/api/v1/studies/\(cpmsID)/sites/RT5/counts", #"{"period_start": "2026-11-01", "period_end": "2026-11-30", "count": 500, "confirmed": true}"#)
            #expect(apiConfirmed.status == .created)
        }
    }

    /// The issue's site: first participant 15 September, open 1 October, HRA approval 10 November.
    @Test func setUpDatesOutOfOrderAreRefusedNamingBothDates() async throws {
        try await withPace { app, portfolio in
            let site = try #require(portfolio.recruitingHostSite)
            let response = try await app.postForm(Paths.editSite(site.cpmsID, site.siteODS), [
                ("role", "recruiting"), ("hra_approval", "2025-11-10"), ("date_site_open", "2025-10-01"), ("first_participant_recruited", "2025-09-15"),
                ("reason", "Checking the order"),
            ])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("The date the site opened, 1 October 2025, is before HRA approval, 10 November 2025."))
            let future = try await app.postForm(Paths.editSite(site.cpmsID, site.siteODS), [("role", "recruiting"), ("date_site_open", "2099-01-01")])
            #expect(future.status == .unprocessableEntity)
            #expect(future.text.contains("1 January 2099 is in the future"))
        }
    }

    @Test func organisationsAreAdded() async throws {
        try await withPace { app, _ in
            let response = try await app.postForm("/organisations", [("ods_code", "rx1"), ("name", "Nottingham University Hospitals NHS Trust"), ("type", "nhs-trust"), ("subtype", "acute")])
            #expect(response.headers.first(name: .location) == "/organisations/RX1")
            #expect(try await app.get("/organisations/RX1").text.contains("Nottingham University Hospitals"))
            let bad = try await app.postForm("/organisations", [("ods_code", "R"), ("name", ""), ("type", "hospital")])
            #expect(bad.status == .unprocessableEntity)
            for field in ["ods_code", "name", "type"] { #expect(bad.text.contains("id=\"\(field)-error\"")) }
        }
    }

    @Test func hostileTextIsShownAsText() async throws {
        try await withPace { app, _ in
            _ = try await app.postForm("/studies", [("cpms_id", "77002"), ("short_name", "<script>alert(1)</script>"), ("route", "commercial")])
            let page = try await app.get("/studies/77002").text
            #expect(!page.contains("<script>alert(1)</script>"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            // A quote in a name must not end an attribute early (Plot leaves attribute values to us).
            _ = try await app.postForm("/organisations", [("ods_code", "EVIL1"), ("name", "Evil\" onmouseover=\"alert(1)"), ("type", "other")])
            _ = try await app.postForm(Paths.sites(77002), [("site_ods", "EVIL1"), ("role", "recruiting"), ("site_target", "10")])
            let study = try await app.get("/studies/77002").text
            #expect(study.contains("Evil&quot; onmouseover=&quot;alert(1): 0 of 10 recruited"))
            #expect(!study.contains("onmouseover=\"alert(1): 0 of 10"))
            let form = try await app.postForm("/studies", [("cpms_id", "x"), ("short_name", "say \"hi\" ' <b>")])
            #expect(form.text.contains("value=\"say &quot;hi&quot; &#39; &lt;b&gt;\""))
        }
    }
}

/// The NHS.UK error summary: the title says "Error:" first, and focus moves to the summary on load.
@Test func aRefusedFormSaysErrorInItsTitleAndFocusesTheSummary() async throws {
    try await withPace { app, _ in
        let bad = try await app.postForm("/organisations", [("ods_code", "R"), ("name", ""), ("type", "hospital")])
        #expect(bad.status == .unprocessableEntity)
        #expect(bad.text.contains("<title>Error: Add an organisation – Pace</title>"))
        #expect(bad.text.contains("class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus=\"autofocus\""))
        let good = try await app.get("/organisations/new").text
        #expect(good.contains("<title>Add an organisation – Pace</title>"))
        #expect(!good.contains("autofocus"))
    }
}

/// The byte search a page's title check uses: first match, none, at either end, a partial match first.
@Test func findingTextInAPageByItsBytes() {
    #expect("<html><title>x".utf8Offset(of: "<title>") == 6)
    #expect("abc".utf8Offset(of: "abc") == 0)
    #expect("abc".utf8Offset(of: "c") == 2)
    #expect("ab".utf8Offset(of: "abc") == nil)
    #expect("aab".utf8Offset(of: "ab") == 1)
    #expect("é class=\"x\"".utf8Offset(of: "class") == 3)
    #expect("".utf8Offset(of: "a") == nil)
    #expect("abc".utf8Offset(of: "") == nil)
}

/// The organisations a filter offers are kept between pages, and a new one appears on the next page.
@Test func keptChoicesFollowAnAuditedChange() async throws {
    try await withPace { app, _ in
        #expect(!(try await app.get("/studies").text.contains("Kept Lists Test Practice")))
        let added = try await app.postForm("/organisations", [("ods_code", "Y99999"), ("name", "Kept Lists Test Practice"), ("type", "gp-practice")])
        #expect(added.status == .seeOther)
        #expect(try await app.get("/studies").text.contains("Kept Lists Test Practice"))
    }
}

/// Options written as text read exactly as Plot's option elements, escaping and selection included.
@Test func optionsWrittenAsTextMatchPlotsElements() {
    for (value, label, selected) in [("RT5", "Leicestershire Partnership", true), ("x\"><script>", "O'Brien & <Sons>", false), ("", "Any", false), ("", "Any", true)] {
        var text = ""
        FormField.appendOption(value, label, selected: selected, to: &text)
        let element: Node<HTML.BodyContext> = FormField.option(value, label, selected: selected)
        #expect(text == element.render())
    }
}

/// The number of studies a list finds is kept until the data changes: a study added is counted at once.
@Test func aKeptStudyCountFollowsAnAuditedChange() async throws {
    try await withPace { app, _ in
        func total() async throws -> Int? {
            let body = try JSONSerialization.jsonObject(with: Data(try await app.getAPIText("/api/v1/studies?phase=set-up").utf8)) as? [String: Any]
            return body?["total"] as? Int
        }
        let before = try #require(try await total())
        #expect(try await total() == before)
        let added = try await app.postForm("/studies", [("cpms_id", "77002"), ("short_name", "COUNTED"), ("route", "non-commercial"), ("status", "In Setup")])
        #expect(added.status == .seeOther)
        #expect(try await total() == before + 1)
        #expect(try await app.get("/studies?phase=set-up").text.contains("COUNTED"))
    }
}

/// A page whose title already begins "Error:" (a refused filter) is not given a second one.
@Test func aRefusedFilterSaysErrorOnceInItsTitle() async throws {
    try await withPace { app, _ in
        let refused = try await app.get("/studies?phase=bogus")
        #expect(refused.status == .badRequest)
        #expect(refused.text.contains("<title>Error: Studies – Pace</title>"))
    }
}

/// Only the document's own title is read: a chart's SVG title naming a study "Error: …" is not it.
@Test func onlyTheDocumentsTitleDecidesTheErrorPrefix() {
    let page = HTML(
        .head(.element(named: "title", text: "Studies – Pace")),
        .body(.div(.class("error-summary")), .element(named: "svg", nodes: [.element(named: "title", text: "Error: a study's name")]))
    )
    let text = page.response().body.string ?? ""
    #expect(text.contains("<title>Error: Studies – Pace</title>"))
}
