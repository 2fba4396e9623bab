/// The order a site's set-up dates follow (domain.md §3a). A date earlier than the known date before
/// it in its chain is out of order; comparing with the nearest known one is enough, because the dates
/// before that are already checked against each other.
public enum SetUpOrder {
    /// Each chain's dates must be on or after the one before, when both are known. Invitation and
    /// selection run beside the approvals: a sponsor may select a site before or after HRA approval.
    public static let chains: [[Milestone]] = [
        [.invited, .selected],
        [.regulatorySubmission, .hraApproval, .confirmed, .open, .firstParticipant, .lastParticipant, .closedToRecruitment],
    ]

    /// Two dates of one site in the wrong order.
    public struct Break: Sendable, Equatable {
        public let earlier: Milestone
        public let earlierDay: Day
        public let later: Milestone
        public let laterDay: Day

        /// "The date the site opened, 1 October 2025, is before HRA approval, 10 November 2025."
        public var message: String {
            "\(later.phrase.capitalisingFirst), \(laterDay.longText), is before \(earlier.phrase), \(earlierDay.longText)."
        }
    }

    /// Every pair out of order; `day` gives a milestone's date (the site record's, or another source).
    public static func breaks(_ day: (Milestone) -> Day?) -> [Break] {
        var found: [Break] = []
        for chain in chains {
            var previous: (Milestone, Day)?
            for milestone in chain {
                guard let current = day(milestone) else { continue }
                if let (earlier, earlierDay) = previous, current < earlierDay {
                    found.append(Break(earlier: earlier, earlierDay: earlierDay, later: milestone, laterDay: current))
                }
                // The later of the two carries the chain on, so one early date is reported once.
                if previous.map({ current >= $0.1 }) ?? true { previous = (milestone, current) }
            }
        }
        return found
    }

    public static func breaks(_ site: Site) -> [Break] {
        breaks { site[milestone: $0] }
    }
}

extension Milestone {
    /// The milestone as it reads inside a sentence.
    public var phrase: String {
        switch self {
        case .invited: "the date the site was invited"
        case .selected: "the date the site was selected"
        case .regulatorySubmission: "the regulatory submission"
        case .hraApproval: "HRA approval"
        case .confirmedBySponsor: "the sponsor's confirmation of the site"
        case .confirmed: "the confirmation of capacity and capability"
        case .open: "the date the site opened"
        case .firstParticipant: "the first participant"
        case .lastParticipant: "the last participant"
        case .closedToRecruitment: "the date the site closed to recruitment"
        }
    }
}

extension String {
    var capitalisingFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
