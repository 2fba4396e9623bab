/// Every site in set-up, in the order an office works through them at its set-up meeting.
public enum SetUpPortfolio {
    public struct Entry: Sendable {
        public let record: SiteRecord
        public let board: SetUpBoard
    }

    /// Sites still being set up (not open, not declined, not closed), or with a step still open,
    /// longest-open step first, then the longest since HRA approval. `step` and `holder` keep the
    /// sites with an open step of that kind, held by that party.
    public static func sites(_ records: [SiteRecord], steps: [SetUpStep], kinds: [SetUpStepKind], rules: MetricRules, today: Day,
                             step: String? = nil, holder: SetUpHolder? = nil) -> [Entry] {
        let bySite = Dictionary(grouping: steps) { "\($0.cpmsID)/\($0.siteODS)" }
        let entries = records.compactMap { record -> Entry? in
            let site = record.site
            let mine = bySite["\(site.cpmsID)/\(site.siteODS)"] ?? []
            let settingUp = site.dateSiteOpen == nil && site.nonConfirmationStatus == nil && site.closedToRecruitment == nil
            guard settingUp || mine.contains(where: \.isOpen) else { return nil }
            let board = SetUpBoard(site: site, steps: mine, firstParticipant: record.history.firstDay ?? site.firstParticipantRecruited,
                                   today: today, rules: rules, kinds: kinds)
            if step != nil || holder != nil {
                guard board.open.contains(where: { (step == nil || $0.step.step == step) && (holder == nil || $0.step.heldBy == holder) }) else { return nil }
            }
            return Entry(record: record, board: board)
        }
        return entries.sorted { lhs, rhs in
            let left = (lhs.board.longestOpenDays ?? -1, approvalDays(lhs.board.clock))
            let right = (rhs.board.longestOpenDays ?? -1, approvalDays(rhs.board.clock))
            return left != right ? left > right : (lhs.record.site.cpmsID, lhs.record.site.siteODS) < (rhs.record.site.cpmsID, rhs.record.site.siteODS)
        }
    }

    private static func approvalDays(_ clock: SetUpBoard.Clock) -> Int {
        if case .toOpen(let days, _, _) = clock { return days }
        return -1
    }
}
