import Foundation
import PaceCore
import PaceStore
@testable import PaceWeb
import Testing
import VaporTesting

@Suite(.serialized)
struct GCPRecordTests {
    @Test(arguments: WebTestDatabases.locations)
    func anRDManagerKeepsAStudysGCPRecordsInTheBrowserAndTheAPI(location: DatabaseLocation) async throws {
        try await withPace(location, suite: "web_gcp") { app, portfolio in
            let cpms = try #require(portfolio.openHostStudies(on: Day.today()).last)
            let today = Day.today()

            // A new starter cannot be delegated duties until their GCP training is recorded.
            let added = try await app.postForm("/people", [("name", "Sam New"), ("job_title", "Research practitioner")])
            let personPath = try #require(added.headers.first(name: .location))
            let personID = try #require(Int(personPath.split(separator: "/").last ?? ""))
            let delegate = [("del_site_ods", "RT5"), ("del_person_id", String(personID)), ("del_duty_consent", "yes"), ("del_start_on", today.iso)]
            let refused = try await app.postForm("/studies/\(cpms)/records/delegations", delegate)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Sam New cannot be delegated duties from \(today.iso): they have no GCP training on record"))
            let future = try await app.postForm("\(personPath)/training", [("course", TrainingRecord.gcp), ("completed_on", today.adding(days: 3).iso)])
            #expect(future.status == .unprocessableEntity)
            #expect(try await app.postForm("\(personPath)/training", [("course", TrainingRecord.gcp), ("completed_on", today.adding(days: -3).iso), ("provider", "NIHR Learn")]).status == .seeOther)
            let accepted = try await app.postForm("/studies/\(cpms)/records/delegations", delegate + [("del_duty_crf", "yes"), ("del_pi_signed_on", today.iso)])
            #expect(accepted.headers.first(name: .location) == "/studies/\(cpms)/records#delegation-log")
            let line = try #require(try await GCPStore(database: app.db).delegations(personID: personID).first)
            #expect(line.duties == ["consent", "crf"])
            let early = try await app.postForm("/studies/\(cpms)/records/ended-delegations", [("end_delegation_id", String(line.id)), ("end_end_on", today.adding(days: -1).iso)])
            #expect(early.status == .unprocessableEntity)
            #expect(early.text.contains("is before the delegation started"))
            let ended = try await app.postForm("/studies/\(cpms)/records/ended-delegations", [("end_delegation_id", String(line.id)), ("end_end_on", today.iso)])
            #expect(ended.status == .seeOther)
            #expect(try await GCPStore(database: app.db).delegations(personID: personID).first?.endOn == today)

            // A safety event reported 30 hours after awareness is late against the default 24 hours.
            let aware = Date().addingTimeInterval(-3 * 86_400)
            let event = try await app.postForm("/studies/\(cpms)/records/safety-events", [
                ("sae_site_ods", "RT5"), ("sae_participant_id", "SAE-TEST-1"), ("sae_onset_on", Day(aware).adding(days: -1).iso),
                ("sae_aware_at", LocalTime.formField(aware)), ("sae_reported_at", LocalTime.formField(aware.addingTimeInterval(30 * 3_600))),
            ])
            #expect(event.status == .seeOther)
            let badEvent = try await app.postForm("/studies/\(cpms)/records/safety-events", [("sae_site_ods", "RT5"), ("sae_participant_id", "01/02/1960"), ("sae_onset_on", "soon"), ("sae_aware_at", "today")])
            #expect(badEvent.status == .unprocessableEntity)
            #expect(badEvent.text.contains("id=\"sae_participant_id-error\"") && badEvent.text.contains("id=\"sae_aware_at-error\""))

            // Through the API: an important deviation needs its actions; a visit with an action; two document versions.
            let deviation = try await app.sendJSON(.POST, "/api/v1/studies/\(cpms)/records/deviations", #"{"site_ods": "RT5", "occurred_on": "\#(today.iso)", "description": "Dose given late", "important": true}"#)
            #expect(deviation.status == .unprocessableEntity)
            #expect(deviation.text.contains("corrective_action"))
            let fixed = try await app.sendJSON(.POST, "/api/v1/studies/\(cpms)/records/deviations", #"{"site_ods": "RT5", "occurred_on": "\#(today.iso)", "description": "Dose given late", "important": true, "corrective_action": "Reviewed", "preventive_action": "Reminder set"}"#)
            #expect(fixed.status == .created)
            _ = try await app.sendJSON(.POST, "/api/v1/studies/\(cpms)/records/monitoring-visits", #"{"site_ods": "RT5", "visited_on": "\#(today.adding(days: -20).iso)", "monitor": "A. Monitor"}"#)
            var records = try await app.manager.getAPI("/api/v1/studies/\(cpms)/records").json()
            guard case .array(let visits) = records["monitoring_visits"], case .integer(let visitID)? = visits.first?["id"] else { Issue.record("no visit"); return }
            let action = try await app.sendJSON(.POST, "/api/v1/studies/\(cpms)/records/monitoring-actions", #"{"visit_id": \#(visitID), "action": "Chase signatures", "due_on": "\#(today.adding(days: -2).iso)"}"#)
            #expect(action.status == .created)
            for version in ["7.0", "8.0"] {
                let document = try await app.sendJSON(.POST, "/api/v1/studies/\(cpms)/records/documents", #"{"name": "Test protocol", "version": "\#(version)", "dated_on": "\#(today.iso)", "status": "approved", "approver": "Dr P"}"#)
                #expect(document.status == .created)
            }
            records = try await app.manager.getAPI("/api/v1/studies/\(cpms)/records").json()
            guard case .array(let documents) = records["documents"] else { Issue.record("no documents"); return }
            #expect(documents.filter { $0["name"] == .string("Test protocol") }.count == 2)
            #expect(documents.contains { $0["version"] == .string("7.0") && $0["status"] == .string("superseded") })
            #expect(documents.contains { $0["version"] == .string("8.0") && $0["status"] == .string("approved") })
            #expect(try await app.sendJSON(.POST, "/api/v1/studies/\(cpms)/records/widgets", "{}").status == .notFound)

            // The attention page and API list the late report and the overdue action; the study's history shows who did what.
            let attention = try await app.get("/attention").text
            #expect(attention.contains("participant SAE-TEST-1: reported 30 hours after the team became aware (limit 24 hours)"))
            #expect(attention.contains("&quot;Chase signatures&quot;") || attention.contains("\"Chase signatures\""))
            let page = try await app.get("/studies/\(cpms)/records").text
            #expect(page.contains("Sam New") && page.contains("Late: 30.0 hours") && page.contains("Dose given late"))
            let history = try await app.get("/studies/\(cpms)").text
            #expect(history.contains("manager@pace.example added a delegation record at") && history.contains("added a safety event record at"))
            #expect(try await AuditTrail(database: app.db).verify().problem == nil)
        }
    }
}

/// Research nurses record safety events and deviations for their own studies, at their own trust's
/// sites; delegation and monitoring stay with the R&D office.
@Test func aStudyTeamRecordsSafetyEventsAndDeviationsForItsOwnStudies() async throws {
    try await withPace { app, portfolio in
        let accounts = Accounts(database: app.db)
        let team = try #require(try await accounts.account(email: TestAccounts.email(.studyTeam))?.account)
        let study = try #require(team.studies.sorted().first)
        let nurse = try await app.client(as: .studyTeam)
        let page = try await nurse.get(Paths.studyRecords(study)).text
        #expect(page.contains("Record a serious adverse event"))
        #expect(page.contains("Record a deviation"))
        #expect(!page.contains("Delegate duties"))
        let deviation = [("dev_site_ods", "RT5"), ("dev_occurred_on", Day.today().adding(days: -3).iso), ("dev_description", "Visit held outside the window"), ("dev_important", "no")]
        let recorded = try await nurse.postForm(Paths.studyRecords(study, .deviations), deviation)
        #expect(recorded.status == .seeOther, "\(recorded.text.prefix(400))")
        #expect(try await nurse.get(Paths.studyRecords(study)).text.contains("Visit held outside the window"))
        // Not at another trust's site, not for another study, and not the R&D office's records.
        let other = portfolio.sites.first { $0.cpmsID == study && $0.siteODS != "RT5" }
        if let other {
            let elsewhere = try await nurse.postForm(Paths.studyRecords(study, .deviations), [("dev_site_ods", other.siteODS)] + deviation.dropFirst())
            #expect(elsewhere.status == .forbidden)
        }
        let unassigned = try #require(portfolio.studies.first { !team.studies.contains($0.cpmsID) }?.cpmsID)
        #expect(try await nurse.postForm(Paths.studyRecords(unassigned, .deviations), deviation).status == .forbidden)
        #expect(try await nurse.postForm(Paths.studyRecords(study, .monitoringVisits), [("mon_site_ods", "RT5")]).status == .forbidden)
        let api = try await nurse.sendJSON(.POST, "/api/v1/studies/\(study)/records/deviations",
                                           #"{"site_ods": "RT5", "occurred_on": "\#(Day.today().adding(days: -2).iso)", "description": "Consent form version", "important": "no"}"#)
        #expect(api.status == .created, "\(api.text)")
    }
}

/// A report time belongs to its event: a study team may not record one for another trust's event.
@Test func aStudyTeamRecordsReportTimesOnlyForItsOwnTrustsEvents() async throws {
    try await withPace { app, portfolio in
        let accounts = Accounts(database: app.db)
        let team = try #require(try await accounts.account(email: TestAccounts.email(.studyTeam))?.account)
        let study = try #require(team.studies.sorted().first)
        let other = try #require(portfolio.sites.first { $0.cpmsID == study && $0.siteODS != "RT5" && $0.role.recruits })
        let onset = Day.today().adding(days: -2).iso
        let event = try await app.sendJSON(.POST, "/api/v1/studies/\(study)/records/safety-events",
                                           #"{"site_ods": "\#(other.siteODS)", "participant_id": "EVT-77", "onset_on": "\#(onset)", "aware_at": "\#(onset) 09:00", "summary": "Admitted to hospital"}"#)
        #expect(event.status == .created, "\(event.text)")
        let events = try await GCPStore(database: app.db).safetyEvents(cpmsID: study)
        let id = try #require(events.first { $0.siteODS == other.siteODS && $0.participantID == "EVT-77" }?.id)
        let nurse = try await app.client(as: .studyTeam)
        let report = try await nurse.postForm(Paths.studyRecords(study, .safetyReports), [("rep_event_id", String(id)), ("rep_reported_at", "\(onset)T12:00")])
        #expect(report.status == .forbidden)
    }
}
