/// Where the days of set-up go (interchange.md, "Set-up time"): the steps completed in a window,
/// grouped by step and by who held them, with their median, 90th percentile and total days.
public enum SetUpTimeReport {
    public static let fields = ["step", "held_by", "completed_steps", "median_days", "p90_days", "total_days", "step_name", "percent_of_days"]

    /// The median: the middle value, or the mean of the two middle values when their number is even.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The nearest-rank 90th percentile: the ⌈0.9 n⌉-th smallest value.
    public static func percentile90(_ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        // ⌈9n/10⌉ in integer arithmetic, so no rounding of 0.9 × n can move the rank.
        let rank = (9 * sorted.count + 9) / 10
        return sorted[rank - 1]
    }

    /// One step and holder's completed steps in a window.
    public struct Group: Sendable, Equatable {
        public let step: String
        public let heldBy: SetUpHolder
        public let days: [Int]

        public var median: Double? { SetUpTimeReport.median(days) }
        public var p90: Int? { SetUpTimeReport.percentile90(days) }
        public var total: Int { days.reduce(0, +) }
    }

    /// The steps completed from `start` to `end`, both included.
    public static func completed(_ steps: [SetUpStep], from start: Day, to end: Day) -> [SetUpStep] {
        steps.filter { step in step.completed.map { start <= $0 && $0 <= end } ?? false }
    }

    /// Groups in the order of the office's list, then by code; the trust's before the sponsor's.
    public static func groups(_ steps: [SetUpStep], from start: Day, to end: Day, kinds: [SetUpStepKind]) -> [Group] {
        let order = Dictionary(kinds.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        var days: [String: [Int]] = [:]
        // A step recorded again (`sponsor-query-2`) counts with its kind: the median is of every time it ran.
        for step in completed(steps, from: start, to: end) {
            days["\(SetUpStepKind.baseCode(of: step.step, in: kinds))|\(step.heldBy.rawValue)", default: []].append(step.days(on: end))
        }
        return days.compactMap { key, values -> Group? in
            let parts = key.split(separator: "|").map(String.init)
            guard parts.count == 2, let holder = SetUpHolder(rawValue: parts[1]) else { return nil }
            return Group(step: parts[0], heldBy: holder, days: values)
        }.sorted { lhs, rhs in
            (order[lhs.step] ?? Int.max, lhs.step, lhs.heldBy == .provider ? 0 : 1) < (order[rhs.step] ?? Int.max, rhs.step, rhs.heldBy == .provider ? 0 : 1)
        }
    }

    /// The share of set-up days (of steps completed in the window) each holder held, 0–100; nil when no day was spent.
    public static func shareOfDays(_ groups: [Group]) -> [SetUpHolder: Double]? {
        let all = groups.reduce(0) { $0 + $1.total }
        guard all > 0 else { return nil }
        var shares: [SetUpHolder: Double] = [:]
        for holder in SetUpHolder.allCases {
            shares[holder] = Double(groups.filter { $0.heldBy == holder }.reduce(0) { $0 + $1.total }) * 100 / Double(all)
        }
        return shares
    }

    public static func report(_ steps: [SetUpStep], from start: Day, to end: Day, organisation: String?, kinds: [SetUpStepKind]) -> Report {
        let groups = groups(steps, from: start, to: end, kinds: kinds)
        let all = groups.reduce(0) { $0 + $1.total }
        let rows = groups.map { group -> [Report.Value] in
            [
                .text(group.step), .text(group.heldBy.rawValue), .integer(group.days.count), .optional(group.median), .optional(group.p90),
                .integer(group.total), .text(SetUpStepKind.name(of: group.step, in: kinds)),
                all == 0 ? .null : .fraction(Double(group.total) * 100 / Double(all)),
            ]
        }
        var parameters = [("from", start.iso), ("to", end.iso)]
        if let organisation { parameters.append(("organisation", organisation)) }
        return Report(name: "set-up-time", parameters: parameters, fields: fields, rows: rows)
    }

    /// One financial quarter of the trend: the steps completed in it and the days each holder held them.
    public struct QuarterPoint: Sendable, Equatable {
        public let quarter: FinancialQuarter
        public let completedSteps: Int
        public let providerDays: Int
        public let sponsorDays: Int
        public let medianDays: Double?

        /// The sponsors' share of the quarter's set-up days, 0–100.
        public var sponsorShare: Double? {
            providerDays + sponsorDays == 0 ? nil : Double(sponsorDays) * 100 / Double(providerDays + sponsorDays)
        }
    }

    /// The last `count` quarters up to the one holding `day`, oldest first.
    public static func trend(_ steps: [SetUpStep], quarters count: Int, endingWith day: Day) -> [QuarterPoint] {
        var quarters = [FinancialQuarter(containing: day)]
        while quarters.count < max(1, count), let first = quarters.first { quarters.insert(first.previous, at: 0) }
        return quarters.map { quarter in
            let done = completed(steps, from: quarter.firstDay, to: quarter.lastDay)
            let days = done.map { $0.days(on: quarter.lastDay) }
            return QuarterPoint(
                quarter: quarter, completedSteps: done.count,
                providerDays: done.filter { $0.heldBy == .provider }.reduce(0) { $0 + $1.days(on: quarter.lastDay) },
                sponsorDays: done.filter { $0.heldBy == .sponsor }.reduce(0) { $0 + $1.days(on: quarter.lastDay) },
                medianDays: median(days)
            )
        }
    }
}
