import Foundation
import PaceCore

/// Realistic GCP records for the demo portfolio's open host studies: a research team with training in
/// every state, delegation logs, safety events reported on time and late, deviations, monitoring visits
/// with open, done and overdue actions, and documents with superseded versions.
extension GCPStore {
    public func loadDemo(_ portfolio: DemoPortfolio, today: Day, by context: AuditContext) async throws {
        let open = Array(portfolio.openHostStudies(on: today).prefix(3))
        guard !open.isEmpty else { return }

        // (name, job title, days since GCP training; nil: never trained)
        let team: [(String, String, Int?)] = [
            ("Dr Priya Sharma", "Consultant psychiatrist, principal investigator", 200),
            ("Tom Bradley", "Research nurse", 690),        // expires within 60 days
            ("Aisha Okafor", "Clinical studies officer", 120),
            ("Gareth Lewis", "Research nurse", 760),       // expired; delegated while it was current
            ("Hannah Price", "Data manager", 400),
            ("Dr Ben Carter", "Specialty doctor, sub-investigator", 30),
            ("Nadia Hussain", "Research assistant", nil),  // new starter, not yet trained
        ]
        var ids: [Int] = []
        for (name, title, trainedDaysAgo) in team {
            let email = name.lowercased().replacingOccurrences(of: "dr ", with: "").replacingOccurrences(of: " ", with: ".") + "@nhs.net"
            let id = try await add(Person(name: name, email: email, jobTitle: title), by: context)
            ids.append(id)
            if let days = trainedDaysAgo {
                try await add(TrainingRecord(personID: id, completedOn: today.adding(days: -days), provider: "NIHR Learn"), by: context)
                // An earlier course, kept as the record of continuous training.
                try await add(TrainingRecord(personID: id, completedOn: today.adding(days: -days - 700), provider: "NIHR Learn"), by: context)
            }
        }
        for (index, cpmsID) in open.enumerated() {
            let site = DemoPortfolio.hostODS
            let started = today.adding(days: -150 + index * 10)
            // Recorded on the day it started, when everyone's training was current.
            let log: [(Int, [String])] = [(0, ["consent", "eligibility", "safety"]), (1, ["consent", "crf", "samples"]), (2, ["crf", "outcomes"]), (3, ["consent", "crf"])]
            for (person, duties) in log {
                try await add(Delegation(cpmsID: cpmsID, siteODS: site, personID: ids[person], duties: duties, startOn: started, piSignedOn: started.adding(days: 2)),
                              today: started, by: context)
            }
            try await add(Delegation(cpmsID: cpmsID, siteODS: site, personID: ids[4], duties: ["crf"], startOn: started, endOn: started.adding(days: 60), piSignedOn: started),
                          today: started, by: context)

            let now = Date()
            let aware = now.addingTimeInterval(-Double(40 - index * 10) * 86_400)
            try await add(SafetyEvent(cpmsID: cpmsID, siteODS: site, participantID: "P\(cpmsID)-0\(index + 3)", onsetOn: Day(aware).adding(days: -1),
                                      awareAt: aware, reportedAt: aware.addingTimeInterval(index == 1 ? 31 * 3_600 : 5 * 3_600),
                                      summary: index == 1 ? "Hospital admission (reported after the weekend)" : "Hospital admission"), by: context)
            if index == 0 {
                let recent = now.addingTimeInterval(-3 * 3_600)
                try await add(SafetyEvent(cpmsID: cpmsID, siteODS: site, participantID: "P\(cpmsID)-011", onsetOn: Day(recent), awareAt: recent, summary: "Fall with fracture"), by: context)
            }

            try await add(Deviation(cpmsID: cpmsID, siteODS: site, occurredOn: today.adding(days: -70 + index), description: "Week 4 visit held 5 days outside the window",
                                    important: false), by: context)
            if index == 0 {
                try await add(Deviation(cpmsID: cpmsID, siteODS: site, occurredOn: today.adding(days: -45), description: "Consent taken on a superseded version of the information sheet",
                                        important: true, correctiveAction: "Participant re-consented on the current version",
                                        preventiveAction: "Superseded versions removed from the clinic; version check added to the consent checklist"), by: context)
            }

            let visitDay = today.adding(days: -50 + index * 5)
            let visit = try await add(MonitoringVisit(cpmsID: cpmsID, siteODS: site, visitedOn: visitDay, monitor: "Claire Dunn (sponsor's monitor)",
                                                      findings: "Two CRFs missing source data; delegation log up to date"), by: context)
            try await add(MonitoringAction(visitID: visit, action: "Complete source data for two CRFs", dueOn: visitDay.adding(days: 14), doneOn: visitDay.adding(days: 10)), cpmsID: cpmsID, by: context)
            try await add(MonitoringAction(visitID: visit, action: "File the updated pharmacy manual", dueOn: visitDay.adding(days: 30)), cpmsID: cpmsID, by: context)
            try await add(MonitoringAction(visitID: visit, action: "Re-train staff on the new randomisation system", dueOn: today.adding(days: 21)), cpmsID: cpmsID, by: context)

            let opened = today.adding(days: -300)
            try await add(EssentialDocument(cpmsID: cpmsID, name: "Protocol", version: "1.0", datedOn: opened, status: .approved, approver: "Dr Priya Sharma"), by: context)
            try await add(EssentialDocument(cpmsID: cpmsID, name: "Protocol", version: "2.0", datedOn: opened.adding(days: 180), status: .approved, approver: "Dr Priya Sharma"), by: context)
            try await add(EssentialDocument(cpmsID: cpmsID, name: "Participant information sheet", version: "3.1", datedOn: today.adding(days: -20), status: .draft), by: context)
        }
        try await setSafetyLimit(cpmsID: open[0], hours: 24, by: context)
        if open.count > 2 { try await setSafetyLimit(cpmsID: open[2], hours: 48, by: context) }
    }
}
