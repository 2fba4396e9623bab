/// A site's set-up as the office runs it in its set-up meeting: each step with its days and who holds
/// it, what is open and who is waiting, and the clock against the national timeframes.
public struct SetUpBoard: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let step: SetUpStep
        public let name: String
        public let days: Int
        /// The day an open step must finish by for the site to open within the KPI; nil once it has
        /// finished, or before HRA approval sets the clock going.
        public let finishBy: Day?

        /// Days left to the finish-by day (negative once it has passed).
        public func daysLeft(on today: Day) -> Int? { finishBy.map { today.days(to: $0) } }
    }

    /// The national timeframe the site is working to now.
    public enum Clock: Sendable, Equatable {
        /// Waiting for the HRA approval letter: no national clock yet.
        case awaitingApproval
        /// Approved and not yet open: days since approval against the open KPI; the site must open by `due`.
        case toOpen(daysSinceApproval: Int, limit: Int, due: Day)
        /// Open with no participant yet: days since opening against the first-participant KPI.
        case toFirstParticipant(daysSinceOpening: Int, limit: Int, due: Day)
        /// Open and recruiting: set-up is over.
        case recruiting
        /// The site declined or was not confirmed.
        case notConfirmed(String)

        public var isOverdue: Bool {
            switch self {
            case .toOpen(let days, let limit, _), .toFirstParticipant(let days, let limit, _): days > limit
            default: false
            }
        }
    }

    public let entries: [Entry]
    public let clock: Clock

    public init(site: Site, steps: [SetUpStep], firstParticipant: Day?, today: Day, rules: MetricRules, kinds: [SetUpStepKind]) {
        let openBy: Day?
        if let reason = site.nonConfirmationStatus {
            clock = .notConfirmed(reason)
            openBy = nil
        } else if let open = site.dateSiteOpen {
            clock = firstParticipant == nil && site.role.recruits
                ? .toFirstParticipant(daysSinceOpening: open.days(to: today), limit: rules.kpiFirstParticipantDays, due: open.adding(days: rules.kpiFirstParticipantDays))
                : .recruiting
            openBy = nil
        } else if let approval = site.hraApproval {
            let due = approval.adding(days: rules.kpiOpenDays)
            clock = .toOpen(daysSinceApproval: approval.days(to: today), limit: rules.kpiOpenDays, due: due)
            openBy = due
        } else {
            clock = .awaitingApproval
            openBy = nil
        }
        let order = Dictionary(kinds.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        entries = steps.sorted { lhs, rhs in
            (lhs.isOpen ? 0 : 1, lhs.started, order[lhs.step] ?? Int.max, lhs.step) < (rhs.isOpen ? 0 : 1, rhs.started, order[rhs.step] ?? Int.max, rhs.step)
        }.map { step in
            // Confirming capacity and capability and the initiation visit are the last pieces before opening;
            // the reviews must leave time for them.
            let finishBy = step.isOpen ? openBy.map { step.closesSetUp ? $0 : $0.adding(days: -rules.setUpClosingDays) } : nil
            return Entry(step: step, name: SetUpStepKind.name(of: step.step, in: kinds), days: step.days(on: today), finishBy: finishBy)
        }
    }

    public var open: [Entry] { entries.filter(\.step.isOpen) }
    public var completed: [Entry] { entries.filter { !$0.step.isOpen } }

    /// Open steps waiting on the sponsor, and on the trust.
    public func waiting(on holder: SetUpHolder) -> [Entry] { open.filter { $0.step.heldBy == holder } }

    /// The longest any open step has been open, for ordering the portfolio's set-up list.
    public var longestOpenDays: Int? { open.map(\.days).max() }

    /// Open steps past their finish-by day.
    public func late(on today: Day) -> [Entry] { open.filter { ($0.daysLeft(on: today) ?? 1) < 0 } }
}
