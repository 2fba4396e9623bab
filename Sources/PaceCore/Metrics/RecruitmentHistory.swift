/// A site's recruitment as dated counts (domain.md §4): each recruited or withdrawn participant on their
/// recruitment day, each aggregate count on its period's last day. Answers "how many up to day D" by
/// binary search over running totals.
public struct RecruitmentHistory: Sendable, Equatable {
    /// Days in order, each with the running total up to and including it.
    private let days: [Day]
    private let runningTotals: [Int]

    public init(_ events: [(day: Day, count: Int)]) {
        var byDay: [Day: Int] = [:]
        for event in events where event.count != 0 { byDay[event.day, default: 0] += event.count }
        days = byDay.keys.sorted()
        var total = 0
        runningTotals = days.map { day in
            total += byDay[day] ?? 0
            return total
        }
    }

    public init(participants: [Participant], counts: [RecruitmentCount]) {
        self.init(participants.compactMap { $0.recruitmentDay.map { ($0, 1) } } + counts.map { ($0.periodEnd, $0.count) })
    }

    /// Each day's recruitment, in day order.
    public var events: [(day: Day, count: Int)] {
        days.indices.map { index in (days[index], runningTotals[index] - (index == 0 ? 0 : runningTotals[index - 1])) }
    }

    /// Just what a report as of `day` needs when the full history is not loaded: the first day anyone was
    /// recruited, the number recruited through `day`, and the number recruited before `windowStart`
    /// (so the recent window is their difference). Answers exactly for those days and the first day.
    public init(firstDay: Day?, recruitedThrough day: Day, total: Int, windowStart: Day, recruitedBeforeWindow before: Int) {
        guard let firstDay else {
            self.init([])
            return
        }
        if firstDay > day {
            // Nothing by the report's day; the first participant still counts for the set-up measures.
            self.init([(firstDay, 1)])
        } else if firstDay < windowStart && before > 0 {
            self.init([(firstDay, before), (day, total - before)])
        } else {
            self.init([(firstDay, total)])
        }
    }

    public static let empty = RecruitmentHistory([])

    public var isEmpty: Bool { days.isEmpty }

    /// The first day anyone was recruited.
    public var firstDay: Day? { days.first }

    public var total: Int { runningTotals.last ?? 0 }

    /// Recruited on or before `day`.
    public func recruited(through day: Day) -> Int {
        var low = 0
        var high = days.count
        while low < high {
            let middle = (low + high) / 2
            if days[middle] <= day { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : runningTotals[low - 1]
    }

    /// Recruited from `start` to `end`, both included.
    public func recruited(from start: Day, through end: Day) -> Int {
        recruited(through: end) - recruited(through: start.adding(days: -1))
    }
}
