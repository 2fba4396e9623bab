import Foundation
import PaceCore
import Testing

struct GCPTests {
    let today = Day(iso: "2026-11-27")!

    func gcp(_ daysAgo: Int) -> TrainingRecord { TrainingRecord(personID: 1, completedOn: today.adding(days: -daysAgo)) }

    @Test func trainingIsCurrentForTheRenewalInterval() {
        #expect(GCPTraining.current(on: today, [gcp(730)], renewalDays: 730) != nil)
        #expect(GCPTraining.current(on: today, [gcp(731)], renewalDays: 730) == nil)
        #expect(GCPTraining.current(on: today, [gcp(731), gcp(10)], renewalDays: 730)?.completedOn == today.adding(days: -10))
        #expect(GCPTraining.current(on: today, [TrainingRecord(personID: 1, course: "Fire safety", completedOn: today)], renewalDays: 730) == nil)
        #expect(GCPTraining.expiry([gcp(100)], renewalDays: 730) == today.adding(days: 630))
        #expect(GCPTraining.expiry([], renewalDays: 730) == nil)
    }

    @Test func nobodyIsDelegatedWithoutCurrentTraining() {
        let start = today.adding(days: -100)
        // Trained 760 days ago: current when the duty started, expired 30 days ago, so an ongoing delegation is refused.
        let problem = Delegation.trainingProblem(startOn: start, endOn: nil, today: today, training: [gcp(760)], renewalDays: 730, personName: "Tom")
        #expect(problem?.column == "person_id")
        #expect(problem?.message.contains("expired on") == true)
        // The same log line, ended before the training ran out, is fine.
        #expect(Delegation.trainingProblem(startOn: start, endOn: start.adding(days: 10), today: today, training: [gcp(760)], renewalDays: 730, personName: "Tom") == nil)
        #expect(Delegation.trainingProblem(startOn: start, endOn: nil, today: today, training: [], renewalDays: 730, personName: "Tom")?.message.contains("no GCP training") == true)
        #expect(Delegation.trainingProblem(startOn: start, endOn: nil, today: today, training: [gcp(50)], renewalDays: 730, personName: "Tom")?.message.contains("after that day") == true)
        #expect(Delegation.trainingProblem(startOn: start, endOn: nil, today: today, training: [gcp(200)], renewalDays: 730, personName: "Tom") == nil)
    }

    @Test func safetyReportsAreLateAfterTheProtocolsLimit() throws {
        let aware = try #require(LocalTime.parse("2026-11-20 09:00"))
        let onTime = SafetyEvent(cpmsID: 1, siteODS: "RT5", participantID: "P-1", onsetOn: today, awareAt: aware, reportedAt: aware.addingTimeInterval(24 * 3_600))
        let late = SafetyEvent(cpmsID: 1, siteODS: "RT5", participantID: "P-1", onsetOn: today, awareAt: aware, reportedAt: aware.addingTimeInterval(24 * 3_600 + 60))
        let unreported = SafetyEvent(cpmsID: 1, siteODS: "RT5", participantID: "P-1", onsetOn: today, awareAt: aware)
        let now = aware.addingTimeInterval(30 * 3_600)
        #expect(!onTime.isLate(limitHours: 24, now: now))
        #expect(late.isLate(limitHours: 24, now: now))
        #expect(unreported.isLate(limitHours: 24, now: now))
        #expect(!unreported.isLate(limitHours: 48, now: now))
    }

    @Test func ukTimeIsStoredAsUTC() throws {
        // British Summer Time is an hour ahead of UTC; winter time equals it.
        #expect(LocalTime.stored(try #require(LocalTime.parse("2026-07-01T10:30"))) == "2026-07-01T09:30:00Z")
        #expect(LocalTime.stored(try #require(LocalTime.parse("2026-12-01 10:30"))) == "2026-12-01T10:30:00Z")
        #expect(LocalTime.formField(try #require(LocalTime.parse("2026-07-01T10:30"))) == "2026-07-01T10:30")
        for bad in ["2026-07-01", "2026-07-01T25:00", "2026-02-30T10:00", "yesterday at 3", "2026-07-01T10:3x"] {
            #expect(LocalTime.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func safetyEventsRefuseIdentifiersAndImpossibleTimes() {
        let now = LocalTime.parse("2026-11-27 12:00")!
        var row = RowReader(values: ["site_ods": "RT5", "participant_id": "943 476 5919", "onset_on": "2026-11-25", "aware_at": "2026-11-24 10:00", "reported_at": "2026-11-23 10:00"])
        #expect(SafetyEvent(reading: &row, cpmsID: 1, now: now) == nil)
        let columns = Set(row.problems.map(\.column))
        #expect(columns == ["participant_id", "reported_at", "onset_on"])
    }

    @Test func importantDeviationsNeedCorrectiveAndPreventiveAction() {
        var row = RowReader(values: ["site_ods": "RT5", "occurred_on": "2026-11-01", "description": "Wrong consent form", "important": "yes", "corrective_action": "Re-consented"])
        #expect(Deviation(reading: &row, cpmsID: 1, today: today) == nil)
        #expect(row.problems.map(\.column) == ["preventive_action"])
        var minor = RowReader(values: ["site_ods": "RT5", "occurred_on": "2026-11-01", "description": "Visit outside window"])
        #expect(Deviation(reading: &minor, cpmsID: 1, today: today)?.important == false)
    }

    @Test func theAttentionListFindsEachKindMostUrgentFirst() throws {
        let portfolio = DemoPortfolio(seed: 3, asOf: today, studyCount: 30)
        let records = portfolio.siteRecords(for: "RT5")
        let person = Person(id: 7, name: "Gareth", jobTitle: "Research nurse")
        let delegation = Delegation(cpmsID: 1, siteODS: "RT5", personID: 7, duties: ["consent"], startOn: today.adding(days: -200))
        let expiring = Person(id: 8, name: "Tom")
        let aware = Date().addingTimeInterval(-40 * 3_600)
        let visit = MonitoringVisit(cpmsID: 1, siteODS: "RT5", visitedOn: today.adding(days: -40), monitor: "M", actions: [
            MonitoringAction(visitID: 1, action: "File manual", dueOn: today.adding(days: -3)),
            MonitoringAction(visitID: 1, action: "Done already", dueOn: today.adding(days: -9), doneOn: today.adding(days: -10)),
        ])
        let attention = NeedsAttention(
            hostSites: records,
            people: [.init(person: person, training: [gcp(800)], delegations: [delegation]), .init(person: expiring, training: [gcp(700)], delegations: [])],
            safetyEvents: [(SafetyEvent(cpmsID: 1, siteODS: "RT5", participantID: "P-9", onsetOn: today, awareAt: aware), 24, "S")],
            visits: [(visit, "S")], today: today, now: Date(), rules: .national
        )
        #expect(attention.items(.training).map(\.subject) == ["Gareth", "Tom"])
        #expect(attention.items(.training).first?.reason.contains("while on the delegation log") == true)
        #expect(attention.items(.lateSafetyReport).count == 1)
        #expect(attention.items(.overdueMonitoringAction).map(\.reason) == ["\"File manual\" from the \(today.adding(days: -40).iso) visit was due \(today.adding(days: -3).iso): 3 days overdue"])
        let overdue = attention.items(.overdueMilestone)
        #expect(overdue.map(\.urgency) == overdue.map(\.urgency).sorted(by: >))
        for item in overdue {
            let record = try #require(records.first { $0.site.cpmsID == item.cpmsID })
            #expect(record.site.closedToRecruitment == nil && record.site.nonConfirmationStatus == nil)
        }
        for item in attention.items(.noRecentRecruitment) {
            let record = try #require(records.first { $0.site.cpmsID == item.cpmsID })
            #expect(record.history.recruited(from: today.adding(days: -30), through: today) == 0)
        }
    }
}

extension DemoPortfolio {
    func siteRecords(for odsCode: String) -> [SiteRecord] {
        sites.filter { $0.siteODS == odsCode }.compactMap { site in
            guard let study = studies.first(where: { $0.cpmsID == site.cpmsID }) else { return nil }
            return SiteRecord(study: study, site: site, history: RecruitmentHistory(
                participants: participants.filter { $0.cpmsID == site.cpmsID && $0.siteODS == site.siteODS },
                counts: counts.filter { $0.cpmsID == site.cpmsID && $0.siteODS == site.siteODS }
            ))
        }
    }
}
