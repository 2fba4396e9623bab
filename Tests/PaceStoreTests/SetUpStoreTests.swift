import FluentKit
import Foundation
import PaceCore
import PaceStore
import Testing

/// Set-up steps and amendments go in and out through the same import, checks, audit and corrections
/// as the rest of the register, on SQLite and PostgreSQL alike.
@Suite(.serialized)
struct SetUpStoreTests {
    let context = AuditContext.commandLine("test")

    /// The test's dates are in earlier quarters, so a change to a site's reported date comes with a reason.
    var corrected: AuditContext { context.because("Correcting the set-up record") }

    func importText(_ kind: InterchangeKind, _ text: String, _ database: any Database, reason: Bool = true) async throws -> ImportSummary {
        try await Importer(database: database).importFile(kind, named: "\(kind.rawValue).csv", reader: CSVReader(text: text), sha256: { "test" }, by: reason ? corrected : context)
    }

    func refusal(_ kind: InterchangeKind, _ text: String, _ database: any Database, reason: Bool = true) async throws -> [String] {
        do {
            _ = try await importText(kind, text, database, reason: reason)
            return []
        } catch let rejected as ImportRejected {
            return rejected.issues.map { "\($0.row):\($0.column): \($0.message)" }
        }
    }

    func export(_ kind: InterchangeKind, _ database: any Database) async throws -> String {
        let collected = Collected()
        _ = try await Exporter(database: database).export(kind) { collected.append($0) }
        return collected.text
    }

    func day(_ text: String) -> Day { Day(iso: text) ?? Day(ordinal: 0) }

    /// CALM at RT5 approved 1 September 2025 and open 1 October; at RHA approved, not yet confirmed or open.
    func load(_ database: any Database) async throws {
        for (kind, text) in [
            (InterchangeKind.organisations, "ods_code,name,type\nRT5,Leicestershire Partnership NHS Trust,nhs-trust\nRHA,Nottinghamshire Healthcare NHS Foundation Trust,nhs-trust\n"),
            (.studies, "cpms_id,short_name,route\n41001,CALM,non-commercial\n"),
            (.sites, "cpms_id,site_ods,role,site_target,hra_approval,date_site_open\n41001,RT5,recruiting,40,2025-09-01,2025-10-01\n41001,RHA,recruiting,40,2025-09-01,\n"),
        ] { _ = try await importText(kind, text, database) }
    }

    static let steps = """
        cpms_id,site_ods,step,held_by,started,completed,owner,outcome,note
        41001,RHA,pharmacy-review,provider,2025-09-02,2025-09-30,Pharmacist,Approved,
        41001,RHA,contract,sponsor,2025-09-05,,Sponsor's legal team,,"Redlines, second round"
        41001,RHA,capacity-and-capability,provider,2025-10-01,2025-10-06,R&D manager,Confirmed,

        """

    @Test(arguments: TestDatabases.locations)
    func stepsImportOnceAndCompletingCapacityConfirmsTheSite(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "set_up_steps") { database in
            try await load(database)
            let register = Register(database: database)
            let first = try await importText(.setUpSteps, Self.steps, database)
            #expect((first.records, first.created, first.changed) == (3, 3, 0))
            // Completing the confirmation of capacity and capability recorded the site's date, audited as a site change.
            #expect(try await register.site(cpmsID: 41001, odsCode: "RHA")?.site.dateSiteConfirmed == day("2025-10-06"))
            let siteEvents = try await AuditTrail(database: database).events(recordTypes: ["site"], keyPrefix: "41001/RHA")
            #expect(siteEvents.contains { $0.changes.contains("date_site_confirmed") && $0.changes.contains("2025-10-06") })

            let exported = try await export(.setUpSteps, database)
            #expect(exported.hasPrefix("cpms_id,site_ods,step,held_by,started,completed,owner,outcome,note,last_changed\r\n"))
            #expect(exported.contains("\"Redlines, second round\""))
            let again = try await importText(.setUpSteps, exported, database)
            #expect((again.created, again.changed, again.unchanged) == (0, 0, 3))
            #expect(try await export(.setUpSteps, database) == exported)

            // The contract comes back from the sponsor: completing it is audited with old and new.
            var contract = try #require(try await register.setUpStep(cpmsID: 41001, odsCode: "RHA", step: "contract"))
            contract.completed = day("2025-10-03")
            try await register.save(contract, .update, by: corrected)
            let events = try await AuditTrail(database: database).events(recordTypes: ["set-up-step"], keyPrefix: "41001/RHA/contract")
            #expect(events.first { $0.action == AuditAction.change.rawValue }.map { $0.changes.contains("completed") && $0.changes.contains("2025-10-03") } == true)
            let report = try await register.setUpTimeReport(from: day("2025-09-01"), to: day("2025-10-31"), organisation: "RHA")
            #expect(report.rows.map { $0[0].csv + "/" + $0[1].csv } == ["pharmacy-review/provider", "contract/sponsor", "capacity-and-capability/provider"])
            #expect(report.rows[1][5] == .integer(28))
        }
    }

    @Test(arguments: TestDatabases.locations)
    func badStepsAreRefusedNamingTheRowAndNothingIsWritten(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "set_up_refusals") { database in
            try await load(database)
            let register = Register(database: database)
            let header = "cpms_id,site_ods,step,held_by,started,completed\n"
            // One good row and one unknown step: nothing is written.
            let unknown = try await refusal(.setUpSteps, header + "41001,RHA,finance-review,provider,2025-09-02,2025-09-10\n41001,RHA,radiotherapy-check,provider,2025-09-02,\n", database)
            #expect(unknown.count == 1 && unknown[0].hasPrefix("3:step: 'radiotherapy-check' is not in the office's list"))
            #expect(try await register.setUpSteps(cpmsID: 41001, odsCode: "RHA").isEmpty)
            // Once the office adds it to its list, the same file imports.
            let kind = try await register.addSetUpStepKind(name: "Radiotherapy check", usualHolder: .provider, by: context)
            #expect(kind.code == "radiotherapy-check")
            await #expect(throws: FieldProblem.self) { try await register.addSetUpStepKind(name: "radiotherapy  CHECK", usualHolder: .provider, by: context) }
            _ = try await importText(.setUpSteps, header + "41001,RHA,finance-review,provider,2025-09-02,2025-09-10\n41001,RHA,radiotherapy-check,provider,2025-09-02,\n", database)
            // Confirming capacity after the site opened breaks the set-up order; a second date disagrees with the first.
            let late = try await refusal(.setUpSteps, header + "41001,RT5,capacity-and-capability,provider,2025-09-20,2025-10-05\n", database)
            #expect(late.count == 1 && late[0].hasPrefix("2:completed: Completing this step confirms capacity and capability on 5 October 2025, but"))
            // Without a reason, a step may not set a date an earlier quarter's return holds.
            let unexplained = try await refusal(.setUpSteps, header + "41001,RHA,capacity-and-capability,provider,2025-09-20,2025-09-25\n", database, reason: false)
            #expect(unexplained.count == 1 && unexplained[0].hasPrefix("2:reason: Completing this step on 25 September 2025 sets the date"))
            _ = try await importText(.setUpSteps, header + "41001,RHA,capacity-and-capability,provider,2025-09-20,2025-09-25\n", database)
            // The step recorded the site's date, so moving the step moves it.
            _ = try await importText(.setUpSteps, header + "41001,RHA,capacity-and-capability,provider,2025-09-20,2025-09-26\n", database)
            #expect(try await register.site(cpmsID: 41001, odsCode: "RHA")?.site.dateSiteConfirmed == day("2025-09-26"))
            // Unknown site, future date, bad holder.
            let more = try await refusal(.setUpSteps, header + "41001,RXX,contract,provider,2025-09-02,\n41001,RHA,contract,nobody,2999-01-01,\n", database)
            #expect(more.map { String($0.prefix(11)) }.sorted() == ["2:site_ods:", "3:held_by: ", "3:started: "])
            // A site with set-up work cannot be removed by mistake.
            await #expect(throws: RecordInUse.self) { try await register.removeSite(cpmsID: 41001, odsCode: "RHA", by: context.because("Added by mistake")) }
            // A step recorded in error is removed with a reason, and its values stay in the trail.
            await #expect(throws: FieldProblem.self) { try await register.removeSetUpStep(cpmsID: 41001, odsCode: "RHA", step: "finance-review", by: context) }
            try await register.removeSetUpStep(cpmsID: 41001, odsCode: "RHA", step: "finance-review", by: context.because("Recorded at the wrong site"))
            #expect(try await register.setUpStep(cpmsID: 41001, odsCode: "RHA", step: "finance-review") == nil)
            let removal = try await AuditTrail(database: database).events(recordTypes: ["set-up-step"], keyPrefix: "41001/RHA/finance-review").first { $0.action == AuditAction.delete.rawValue }
            #expect(removal?.reason == "Recorded at the wrong site")
        }
    }

    @Test(arguments: TestDatabases.locations)
    func theSitesConfirmationFollowsTheStepThatRecordedIt(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "set_up_confirmation") { database in
            try await load(database)
            let register = Register(database: database)
            func confirmed() async throws -> Day? { try await register.site(cpmsID: 41001, odsCode: "RHA")?.site.dateSiteConfirmed }
            var step = SetUpStep(cpmsID: 41001, siteODS: "RHA", step: "capacity-and-capability", heldBy: .provider, started: day("2025-09-10"), completed: day("2025-09-20"))
            await #expect(throws: FieldProblem.self) { try await register.save(step, .create, by: context) }
            try await register.save(step, .create, by: corrected)
            #expect(try await confirmed() == day("2025-09-20"))
            // Moved: the site's date moves with it.
            step.completed = day("2025-09-22")
            try await register.save(step, .update, by: corrected)
            #expect(try await confirmed() == day("2025-09-22"))
            // Reopened: the site is no longer confirmed.
            step.completed = nil
            try await register.save(step, .update, by: corrected)
            #expect(try await confirmed() == nil)
            // Completed again, then removed as a mistake: the date goes with it, audited.
            step.completed = day("2025-09-25")
            try await register.save(step, .update, by: corrected)
            try await register.removeSetUpStep(cpmsID: 41001, odsCode: "RHA", step: "capacity-and-capability", by: context.because("Recorded at the wrong site"))
            #expect(try await confirmed() == nil)
            let siteEvents = try await AuditTrail(database: database).events(recordTypes: ["site"], keyPrefix: "41001/RHA")
            #expect(siteEvents.filter { $0.changes.contains("date_site_confirmed") }.count == 5)
            // A date the site got from its milestones is never overwritten by a step.
            var site = try #require(try await register.site(cpmsID: 41001, odsCode: "RHA")?.site)
            site.dateSiteConfirmed = day("2025-09-28")
            try await register.save(site, .update, by: corrected)
            step.completed = day("2025-09-27")
            await #expect(throws: FieldProblem.self) { try await register.save(step, .create, by: corrected) }
            step.completed = nil
            try await register.save(step, .create, by: corrected)
            #expect(try await confirmed() == day("2025-09-28"))
            // An amendment reference typed in other capitals is the same amendment.
            try await register.save(Amendment(cpmsID: 41001, siteODS: "RHA", reference: "SA01", received: day("2025-10-01")), .create, by: context)
            await #expect(throws: FieldProblem.self) {
                try await register.save(Amendment(cpmsID: 41001, siteODS: "RHA", reference: "sa01", received: day("2025-10-01")), .create, by: context)
            }
        }
    }

    @Test(arguments: TestDatabases.locations)
    func amendmentsGoInAndOutAndAreAssessedAgainstTheWindow(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "amendments") { database in
            try await load(database)
            let register = Register(database: database)
            let file = """
                cpms_id,site_ods,amendment_ref,received,category,needs_reconfirmation,assessed,implemented,description
                41001,RT5,SA01,2025-11-03,B,yes,2025-11-20,2025-11-28,Protocol version 3
                41001,RT5,Modification 2,2026-05-04,substantial,no,,,New questionnaire

                """
            let summary = try await importText(.amendments, file, database)
            #expect(summary.created == 2)
            let exported = try await export(.amendments, database)
            #expect(exported.contains("41001,RT5,Modification 2,2026-05-04,substantial,no,,,New questionnaire,"))
            #expect(try await importText(.amendments, exported, database).unchanged == 2)
            let report = try await register.amendmentsReport(on: day("2026-06-30"), organisation: "RT5")
            #expect(report.rows.map { $0[2].csv } == ["SA01", "Modification 2"])
            // 4 May 2026 + 35 days = 8 June 2026, not assessed by 30 June: overdue.
            #expect(report.rows[1][5] == .day(day("2026-06-08")) && report.rows[1][8] == .boolean(true) && report.rows[1][9] == .boolean(false))
            #expect(report.rows[0][7] == .integer(17) && report.rows[0][9] == .boolean(true))
            // Implemented before it was reconfirmed is refused, as in the file.
            let refused = try await refusal(.amendments, "cpms_id,site_ods,amendment_ref,received,needs_reconfirmation,implemented\n41001,RT5,SA09,2025-11-03,yes,2025-11-10\n", database)
            #expect(refused.count == 1 && refused[0].hasPrefix("2:implemented:"))
            var second = try #require(try await register.amendment(cpmsID: 41001, odsCode: "RT5", reference: "Modification 2"))
            second.assessed = day("2026-06-10")
            try await register.save(second, .update, by: context)
            #expect(try await register.amendmentsReport(on: day("2026-06-30"), organisation: "RT5").rows[1][9] == .boolean(false))
            try await register.removeAmendment(cpmsID: 41001, odsCode: "RT5", reference: "Modification 2", by: context.because("Sent to the wrong site"))
            #expect(try await register.amendments(cpmsID: 41001, odsCode: "RT5").map(\.reference) == ["SA01"])
        }
    }
}

/// The KPI report reads snapshots from the roll-ups so a region's report never rescans participants;
/// it must give exactly the figures the full histories give, month by month and for the whole period.
@Suite(.serialized)
struct KPISnapshotTests {
    @Test(arguments: TestDatabases.locations)
    func snapshotsGiveTheFiguresFullHistoriesGive(location: DatabaseLocation) async throws {
        try await TestDatabases.with(location, suite: "kpi_snapshots") { database in
            let register = Register(database: database)
            let today = Day.today()
            try await register.load(DemoPortfolio(seed: 7, asOf: today, studyCount: 30), by: .commandLine("test"))
            for (start, end) in [(FinancialYear(containing: today).firstDay, today), (today.adding(days: -430), today.adding(days: -200))] {
                for organisation in ["RT5", nil] as [String?] {
                    let fromStore = try await register.kpiReport(from: start, to: end, organisation: organisation, byMonth: true)
                    let records = try await register.siteRecords(organisation: organisation)
                    let full = KPIReport.report(records, from: start, to: end, rules: .national, byMonth: true)
                    let differing = zip(fromStore.rows, full.rows).filter { $0 != $1 }.map { "\($0.0.map(\.csv)) vs \($0.1.map(\.csv))" }
                    #expect(fromStore.rows.count == full.rows.count && differing.isEmpty, "\(start)–\(end) \(organisation ?? "all"): \(differing.prefix(3))")
                    #expect(fromStore.rows.contains { $0[0] == .text("on-track") && $0[1] != .integer(0) })
                }
            }
        }
    }
}
