import FluentKit
import PaceCore
import PaceStore
import Testing

/// Recruitment that cannot have happened is refused the same way from an import and from a save,
/// naming the file, row and field (domain.md §3a, §4).
@Suite(.serialized)
struct PlausibilityStoreTests {
    static let basics: [(InterchangeKind, String)] = [
        (.organisations, "ods_code,name,type\nRT5,Leicestershire Partnership NHS Trust,nhs-trust\nRHA,Nottinghamshire Healthcare NHS Foundation Trust,nhs-trust\n"),
        (.studies, "cpms_id,short_name,route\n41001,CALM,non-commercial\n"),
        (.sites, "cpms_id,site_ods,role,site_target,hra_approval,date_site_open\n41001,RT5,recruiting,40,2025-09-01,2025-10-01\n41001,RHA,recruiting,40,2025-09-01,2025-10-01\n"),
        (.participants, "cpms_id,site_ods,participant_id,status,consent_date\n41001,RT5,CALM-001,recruited,2025-10-06\n"),
        (.recruitmentCounts, "cpms_id,site_ods,period_start,period_end,count\n41001,RHA,2025-10-01,2025-10-31,4\n"),
    ]

    func importText(_ kind: InterchangeKind, _ text: String, _ database: any Database, options: ImportOptions = ImportOptions()) async throws -> ImportSummary {
        try await Importer(database: database).importFile(kind, named: "\(kind.rawValue).csv", reader: CSVReader(text: text), sha256: { "test" }, by: .commandLine("test"), options: options)
    }

    func refusal(_ kind: InterchangeKind, _ text: String, _ database: any Database, options: ImportOptions = ImportOptions()) async throws -> [ImportIssue] {
        do {
            _ = try await importText(kind, text, database, options: options)
            return []
        } catch let rejected as ImportRejected {
            return rejected.issues
        }
    }

    func day(_ text: String) -> Day {
        Day(iso: text) ?? Day(ordinal: 0)
    }

    @Test(arguments: TestDatabases.locations)
    func implausibleRecruitmentIsRefusedNamingTheRow(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "plausibility") { database in
            for (kind, text) in Self.basics { _ = try await importText(kind, text, database) }
            let register = Register(database: database)

            let early = try await refusal(.participants, "cpms_id,site_ods,participant_id,status,consent_date\n41001,RT5,CALM-002,recruited,2025-10-06\n41001,RT5,CALM-003,recruited,2025-09-15\n", database)
            #expect(early.map { "\($0.row):\($0.column)" } == ["3:consent_date"])
            #expect(early.first?.message.contains("15 September 2025, before the site opened on 1 October 2025") == true)

            let mixed = try await refusal(.participants, "cpms_id,site_ods,participant_id,status,consent_date\n41001,RHA,NOTTS-001,recruited,2025-10-06\n", database)
            #expect(mixed.map { "\($0.row):\($0.column)" } == ["2:participant_id"])
            let countsBeside = try await refusal(.recruitmentCounts, "cpms_id,site_ods,period_start,period_end,count\n41001,RT5,2025-11-01,2025-11-30,2\n", database)
            #expect(countsBeside.first?.message == RecruitmentPlausibility.countsBesideParticipants)

            // Overlapping the stored October, and overlapping a row earlier in the same file.
            let overlaps = try await refusal(.recruitmentCounts, """
                cpms_id,site_ods,period_start,period_end,count
                41001,RHA,2025-10-15,2025-11-14,3
                41001,RHA,2025-12-01,2025-12-31,3
                41001,RHA,2025-12-20,2026-01-19,3
                """, database)
            #expect(overlaps.map { "\($0.row):\($0.column)" } == ["2:period_start", "4:period_start"])
            #expect(overlaps.first?.message.contains("overlaps the count already held for 1 October 2025 to 31 October 2025") == true)
            // Re-importing the same period with a new number replaces it: that is not an overlap.
            _ = try await importText(.recruitmentCounts, "cpms_id,site_ods,period_start,period_end,count\n41001,RHA,2025-10-01,2025-10-31,5\n", database)

            // The issue's 99,999 at a site with a target of 40: refused, then accepted once confirmed.
            let huge = "cpms_id,site_ods,period_start,period_end,count\n41001,RHA,2025-11-01,2025-11-30,99999\n"
            let unconfirmed = try await refusal(.recruitmentCounts, huge, database)
            #expect(unconfirmed.map { "\($0.row):\($0.column)" } == ["2:count"])
            #expect(unconfirmed.first?.message.contains("more than the site's whole target of 40") == true)
            _ = try await importText(.recruitmentCounts, huge, database, options: ImportOptions(confirmingLargeCounts: true))
            let confirmedInFile = "cpms_id,site_ods,period_start,period_end,count,confirmed\n41001,RHA,2025-12-01,2025-12-31,500,yes\n"
            _ = try await importText(.recruitmentCounts, confirmedInFile, database)
            let counts = try #require(try await register.site(cpmsID: 41001, odsCode: "RHA")).counts
            #expect(counts.filter(\.confirmed).map(\.count).sorted() == [500, 99_999])

            // A site cannot move its opening after the recruitment it already holds.
            let moved = try await refusal(.sites, "cpms_id,site_ods,role,date_site_open\n41001,RT5,recruiting,2025-11-01\n", database)
            #expect(moved.map(\.column) == ["date_site_open"])
            #expect(moved.first?.message.contains("after recruitment already recorded there from 6 October 2025") == true)

            // A save goes through the same rules as an import.
            await #expect(throws: FieldProblem.self) {
                try await register.save(Participant(cpmsID: 41001, siteODS: "RT5", participantID: "CALM-EARLY", status: .recruited, consentDate: day("2025-09-30")), .create, by: .commandLine("test"))
            }
            await #expect(throws: FieldProblem.self) {
                try await register.save(RecruitmentCount(cpmsID: 41001, siteODS: "RHA", periodStart: day("2025-10-20"), periodEnd: day("2025-10-25"), count: 1), .create, by: .commandLine("test"))
            }
            do {
                try await register.save(RecruitmentCount(cpmsID: 41001, siteODS: "RHA", periodStart: day("2026-01-01"), periodEnd: day("2026-01-31"), count: 41), .create, by: .commandLine("test"))
                Issue.record("a count above the target saved without confirmation")
            } catch let problem as FieldProblem {
                #expect(problem.needsConfirmation && problem.column == "count")
            }
            try await register.save(RecruitmentCount(cpmsID: 41001, siteODS: "RHA", periodStart: day("2026-01-01"), periodEnd: day("2026-01-31"), count: 41, confirmed: true), .create, by: .commandLine("test"))
            // Nothing refused was written.
            let host = try #require(try await register.site(cpmsID: 41001, odsCode: "RT5"))
            #expect(host.participants.map(\.participantID) == ["CALM-001"])
            #expect(host.site.dateSiteOpen == day("2025-10-01"))
        }
    }
}
