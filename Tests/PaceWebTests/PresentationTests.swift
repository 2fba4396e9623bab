import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting

/// What people read: dates typed as day, month and year, messages in plain words, pages that offer a
/// role only what it may use, reports that answer in their first sentence.
@Suite(.serialized)
struct PresentationTests {
    @Test(arguments: [
        (("1", "3", "2026"), "2026-03-01"), (("01", "03", "2026"), "2026-03-01"), ((" 20 ", "11", "2026"), "2026-11-20"),
        (("", "", ""), ""), (("31", "2", "2026"), "2026-02-31"), (("20", "11", "26"), "20/11/26"), (("x", "1", "2026"), "x/1/2026"),
    ])
    func dayMonthAndYearBoxesBecomeOneDate(parts: (String, String, String), expected: String) {
        let values = DateParts.combine(["on-day": parts.0, "on-month": parts.1, "on-year": parts.2, "other": "kept"])
        #expect(values["on"] == expected)
        #expect(values["other"] == "kept")
        // The boxes show what a stored or typed value holds.
        if !expected.isEmpty {
            let split = DateParts.split(expected)
            #expect([split.day, split.month, split.year] == [expected.hasPrefix("2026-") ? String(Int(parts.0.trimmingSpaces) ?? 0) : parts.0.trimmingSpaces,
                                                              expected.hasPrefix("2026-") ? String(Int(parts.1) ?? 0) : parts.1, parts.2])
        }
    }

    @Test func aTimeBoxJoinsTheDate() {
        #expect(DateParts.joined(day: "21", month: "11", year: "2026", time: "9:15") == "2026-11-21 09:15")
        #expect(DateParts.joined(day: "21", month: "11", year: "2026", time: "9.15") == "2026-11-21 9.15")
        #expect(DateParts.split("2026-11-21T09:15:00Z").time == "09:15")
    }

    @Test func messagesReadAsSentences() {
        #expect(PlainMessage.sentence("is required", label: "CPMS ID") == "Enter CPMS ID")
        #expect(PlainMessage.sentence("is required", label: "Role", verb: "Select") == "Select role")
        #expect(PlainMessage.sentence("'2026-13-01' is not a date: write it as YYYY-MM-DD, e.g. 2025-04-01", label: "Date the site opened")
            == "Date the site opened must be a real date, for example 15 3 2026")
        #expect(PlainMessage.sentence("needs a recruited_date or consent_date", label: "Status") == "Status needs a date recruited or date of consent")
        #expect(PlainMessage.sentence("The date the site opened, 1 October 2025, is before HRA approval.", label: "x")
            == "The date the site opened, 1 October 2025, is before HRA approval.")
    }

    @Test func eachRoleIsOfferedOnlyWhatItMayUse() async throws {
        try await withPace { app, _ in
            let manager = try await app.get("/").text
            #expect(manager.contains("Add a study") && manager.contains("Import CSV files"))
            let viewer = try await app.client(as: .viewer)
            let viewerHome = try await viewer.get("/").text
            #expect(!viewerHome.contains("Add a study") && !viewerHome.contains("Import CSV files") && !viewerHome.contains(">Import<"))
            #expect(!(try await viewer.get("/organisations").text.contains("Add an organisation")))
            #expect(!(try await viewer.get("/admin/metric-rules").text.contains(">Change<")))
            #expect(try await app.get("/admin/metric-rules").text.contains(">Change<"), "R&D managers change the rules")
            let team = try await app.client(as: .studyTeam)
            let teamStudies = try await team.get("/studies").text
            #expect(!teamStudies.contains("Add a study"))
            #expect(!teamStudies.contains(">Portfolio<"), "a study team's home is its studies: one link, not two")
            // Refused and missing pages keep the person's navigation and say who can help.
            let refused = try await viewer.get("/admin/users")
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("aria-label=\"Main\"") && refused.text.contains("ask them to change your account"))
            let missing = try await app.get("/no-such-page")
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("aria-label=\"Main\"") && missing.text.contains("Go to your home page"))
        }
    }

    @Test func reportsLeadWithTheirFigureAndShowLongTablesAPageAtATime() async throws {
        try await withPace { app, _ in
            let pid = try await app.get("/reports/pid-initiating").text
            #expect(pid.contains(" return: ") && (pid.contains("-day benchmark (") || pid.contains("benchmark date fell in the 12 months")))
            let kpis = try await app.get("/reports/kpis").text
            #expect(kpis.contains("Open within 60 days of HRA approval"))
            #expect(!kpis.contains(">open-60<"), "the indicator's name, not its code")
            let sites = try await app.get("/reports/sites").text
            #expect(sites.contains("Rows 1 to 50 of ") && sites.contains("rel=\"next\""))
            let second = try await app.get("/reports/sites?page=2").text
            #expect(second.contains("Rows 51 to "))
            let refused = try await app.get("/reports/sites?page=0")
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("class=\"filters\""), "the report's form again, with the message")
            let league = try await app.get("/reports/league-table").text
            #expect(!league.contains(">nhs-trust<") && !league.contains(">gp-practice<"))
        }
    }

    @Test func studyAndSitePagesOpenWithWhereTheyStand() async throws {
        try await withPace { app, _ in
            let cpms = try await app.newQuietHostSite()
            // Open since 5 January 2026 with nobody recruited: the first participant was due by 4 February.
            let site = try await app.get(Paths.site(cpms, "RT5")).text
            let glance = try #require(site.range(of: "At a glance")).lowerBound
            #expect(glance < (site.range(of: "Record a participant")?.lowerBound ?? site.startIndex))
            #expect(site.contains("First participant recruited by 4 February 2026"))
            #expect(site.contains("30 days after the site opened on 5 January 2026"))
            #expect(site.contains("<span class=\"tag red\">Overdue</span>"))
            #expect(site.contains("First participant recruited was due by 4 February 2026."))
            #expect(site.contains("aria-label=\"Breadcrumb\""))
            let study = try await app.get(Paths.study(cpms)).text
            #expect(study.contains("At a glance") && study.contains("0 of 40 across the sites&#39; targets") || study.contains("0 of 40 across the sites' targets"))
            #expect(study.contains("first participant recruited was due by 4 February 2026"))
            #expect(study.contains("manager@pace.example added site RT5"), "the history reads as sentences")
        }
    }
}
