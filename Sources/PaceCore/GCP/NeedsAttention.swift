import Foundation

/// What the R&D office should look at today, each item with where to find it and why.
public struct NeedsAttention: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case overdueMilestone = "Overdue milestones"
        case noRecentRecruitment = "Open sites with no recruitment in the last month"
        case training = "GCP training expiring or expired"
        case lateSafetyReport = "Late safety reports"
        case overdueMonitoringAction = "Overdue monitoring actions"
        case lateSetUpStep = "Set-up steps past their finish-by day"
        case overdueAmendment = "Amendments overdue for assessment"
    }

    public struct Item: Sendable, Hashable {
        public let kind: Kind
        /// The study it belongs to (nil for a person's training).
        public let cpmsID: Int?
        public let siteODS: String?
        public let personID: Int?
        public let subject: String
        public let reason: String
        /// Days overdue or, for training still current, days left (negative): most urgent first.
        public let urgency: Int
    }

    public let items: [Item]

    public func items(_ kind: Kind) -> [Item] { items.filter { $0.kind == kind } }

    /// Training expiring within this many days is listed.
    public static let trainingWarningDays = 60
    /// An open site with no recruitment in this many days is listed.
    public static let quietDays = 31

    public struct PersonTraining: Sendable {
        public let person: Person
        public let training: [TrainingRecord]
        public let delegations: [Delegation]

        public init(person: Person, training: [TrainingRecord], delegations: [Delegation]) {
            self.person = person
            self.training = training
            self.delegations = delegations
        }
    }

    /// The host's set-up work and amendments, for the items that come from them.
    public struct SetUpWork: Sendable {
        public let steps: [SetUpStep]
        public let amendments: [Amendment]
        public let kinds: [SetUpStepKind]

        public init(steps: [SetUpStep], amendments: [Amendment], kinds: [SetUpStepKind]) {
            self.steps = steps
            self.amendments = amendments
            self.kinds = kinds
        }

        public static let none = SetUpWork(steps: [], amendments: [], kinds: [])
    }

    public init(
        hostSites: [SiteRecord], people: [PersonTraining], safetyEvents: [(event: SafetyEvent, limitHours: Int, studyName: String)],
        visits: [(visit: MonitoringVisit, studyName: String)], setUp: SetUpWork = .none, today: Day, now: Date, rules: MetricRules
    ) {
        var items: [Item] = []
        items = Self.siteItems(hostSites, today: today, rules: rules) + Self.setUpItems(hostSites, setUp, today: today, rules: rules)
        for entry in people {
            guard let expiry = GCPTraining.expiry(entry.training, renewalDays: rules.gcpTrainingRenewalDays) else {
                if let delegation = entry.delegations.first(where: { $0.isActive(on: today) }) {
                    items.append(Item(kind: .training, cpmsID: nil, siteODS: nil, personID: entry.person.id, subject: entry.person.name,
                                      reason: "no GCP training on record, on the delegation log of CPMS \(delegation.cpmsID) at \(delegation.siteODS)", urgency: 0))
                }
                continue
            }
            let left = today.days(to: expiry)
            if left < 0, let delegation = entry.delegations.first(where: { $0.isActive(on: today) }) {
                items.append(Item(kind: .training, cpmsID: nil, siteODS: nil, personID: entry.person.id, subject: entry.person.name,
                                  reason: "GCP training expired \(expiry.iso) while on the delegation log of CPMS \(delegation.cpmsID) at \(delegation.siteODS)", urgency: -left))
            } else if (0...Self.trainingWarningDays).contains(left) {
                items.append(Item(kind: .training, cpmsID: nil, siteODS: nil, personID: entry.person.id, subject: entry.person.name,
                                  reason: "GCP training expires \(expiry.iso), in \(left) day\(left == 1 ? "" : "s")", urgency: -left))
            }
        }
        for (event, limit, studyName) in safetyEvents where event.isLate(limitHours: limit, now: now) {
            let hours = Int(event.hoursToReport(now: now).rounded(.down))
            let reason = event.reportedAt == nil
                ? "participant \(event.participantID): not yet reported to the sponsor, \(hours) hours after the team became aware (limit \(limit) hours)"
                : "participant \(event.participantID): reported \(hours) hours after the team became aware (limit \(limit) hours)"
            items.append(Item(kind: .lateSafetyReport, cpmsID: event.cpmsID, siteODS: event.siteODS, personID: nil, subject: studyName, reason: reason, urgency: hours - limit))
        }
        for (visit, studyName) in visits {
            for action in visit.actions where action.isOverdue(on: today) {
                let late = action.dueOn.days(to: today)
                items.append(Item(kind: .overdueMonitoringAction, cpmsID: visit.cpmsID, siteODS: visit.siteODS, personID: nil, subject: studyName,
                                  reason: "\"\(action.action)\" from the \(visit.visitedOn.iso) visit was due \(action.dueOn.iso): \(late) day\(late == 1 ? "" : "s") overdue", urgency: late))
            }
        }
        self.items = items.sorted { ($0.kind.order, -$0.urgency, $0.subject) < ($1.kind.order, -$1.urgency, $1.subject) }
    }
}

extension NeedsAttention {
    /// What the host's own sites need today: a set-up interval past its limit while still waiting, or an
    /// open site with nobody recruited for a month. Only active sites wait: a closed or withdrawn study,
    /// a site closed to recruitment or one that declined has nothing left to chase (`SiteRecord.isActive`).
    /// The portfolio's list and the Needs attention page both come from here.
    public static func siteItems(_ records: [SiteRecord], today: Day, rules: MetricRules) -> [Item] {
        var items: [Item] = []
        for record in records where record.isActive(on: today) {
            let site = record.site
            for interval in record.intervals(on: today, rules: rules) where interval.end == nil && interval.met == false {
                let late = interval.days - interval.limit
                items.append(Item(kind: .overdueMilestone, cpmsID: site.cpmsID, siteODS: site.siteODS, personID: nil, subject: record.study.shortName,
                                  reason: "\(interval.toMilestone) was due by \(interval.deadline.iso) (\(interval.name)): \(late) day\(late == 1 ? "" : "s") late", urgency: late))
            }
            if site.role.recruits, record.isOpen(on: today), let open = site.dateSiteOpen, open.days(to: today) >= quietDays {
                let since = today.adding(days: -quietDays)
                if record.history.recruited(from: since.adding(days: 1), through: today) == 0 {
                    let last = record.history.events.last?.day
                    let quiet = last.map { $0.days(to: today) } ?? open.days(to: today)
                    items.append(Item(kind: .noRecentRecruitment, cpmsID: site.cpmsID, siteODS: site.siteODS, personID: nil, subject: record.study.shortName,
                                      reason: last.map { "last participant recorded \($0.iso), \(quiet) days ago" } ?? "open since \(open.iso) with nobody recruited", urgency: quiet))
                }
            }
        }
        return items
    }
}

extension NeedsAttention {
    /// Open set-up steps past the day they must finish by for the site to open within the KPI, and
    /// amendments past their assessment window with no assessment recorded.
    public static func setUpItems(_ records: [SiteRecord], _ work: SetUpWork, today: Day, rules: MetricRules) -> [Item] {
        let names = Dictionary(records.map { ($0.study.cpmsID, $0.study.shortName) }, uniquingKeysWith: { first, _ in first })
        var items: [Item] = []
        let steps = Dictionary(grouping: work.steps) { "\($0.cpmsID)/\($0.siteODS)" }
        for record in records where record.isActive(on: today) {
            let site = record.site
            guard let mine = steps["\(site.cpmsID)/\(site.siteODS)"] else { continue }
            let board = SetUpBoard(site: site, steps: mine, firstParticipant: record.history.firstDay ?? site.firstParticipantRecruited, today: today, rules: rules, kinds: work.kinds)
            for entry in board.late(on: today) {
                let late = -(entry.daysLeft(on: today) ?? 0)
                items.append(Item(kind: .lateSetUpStep, cpmsID: site.cpmsID, siteODS: site.siteODS, personID: nil, subject: record.study.shortName,
                                  reason: "\(entry.name), held by the \(entry.step.heldBy == .sponsor ? "sponsor" : "trust"), was to finish by \(entry.finishBy?.longText ?? "") for the site to open within \(rules.kpiOpenDays) days of HRA approval: \(late) day\(late == 1 ? "" : "s") late",
                                  urgency: late))
            }
        }
        for amendment in work.amendments {
            let assessment = AmendmentAssessment(amendment, on: today, rules: rules)
            guard assessment.overdue else { continue }
            let late = assessment.due.days(to: today)
            items.append(Item(kind: .overdueAmendment, cpmsID: amendment.cpmsID, siteODS: amendment.siteODS, personID: nil, subject: names[amendment.cpmsID] ?? "CPMS \(amendment.cpmsID)",
                              reason: "amendment \(amendment.reference), received \(amendment.received.longText), was due for assessment by \(assessment.due.longText): \(late) day\(late == 1 ? "" : "s") overdue",
                              urgency: late))
        }
        return items
    }
}

extension NeedsAttention.Kind {
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
