/// Recruitment that cannot have happened as recorded (domain.md §3a, §4): before the site opened,
/// counted twice, or a count so far beyond the site's size that it needs a person to confirm it.
public enum RecruitmentPlausibility {
    /// Recruitment dated before the site opened, in words that name both dates.
    public static func beforeOpen(_ day: Day, open: Day?, what: String) -> String? {
        guard let open, day < open else { return nil }
        return "\(what) \(day.longText), before the site opened on \(open.longText). A site cannot recruit before it opens: check both dates."
    }

    public static func overlaps(_ first: ClosedRange<Day>, _ second: ClosedRange<Day>) -> Bool {
        first.lowerBound <= second.upperBound && second.lowerBound <= first.upperBound
    }

    public static func period(_ range: ClosedRange<Day>) -> String {
        "\(range.lowerBound.longText) to \(range.upperBound.longText)"
    }

    public static func overlapMessage(_ period: ClosedRange<Day>, with other: ClosedRange<Day>) -> String {
        "The count for \(self.period(period)) overlaps the count already held for \(self.period(other)): the same participants would be counted twice. Change or remove one of them."
    }

    public static let countsBesideParticipants =
        "This site already records recruitment participant by participant: a count as well would count the same people twice. Record each participant, or remove the participant records first."
    public static let participantsBesideCounts =
        "This site already records recruitment as counts for each period: a participant as well would count the same person twice. Record the site's recruitment one way only."

    /// The most a count may hold without a person confirming it: the site's whole target, or the
    /// monthly ceiling (a stored rule) for each month the period spans, whichever is smaller.
    public static func confirmationLimit(periodStart: Day, periodEnd: Day, siteTarget: Int?, perMonth: Int) -> Int {
        // Calendar months the period spans, to the nearest: a quarter is three, a single day still one.
        let months = max(1, Int((Double(periodStart.days(to: periodEnd) + 1) / 30.4375).rounded()))
        let ceiling = perMonth.multipliedReportingOverflow(by: months)
        let byMonths = ceiling.overflow ? Int.max : ceiling.partialValue
        guard let siteTarget, siteTarget > 0 else { return byMonths }
        return min(siteTarget, byMonths)
    }

    /// Why a count needs confirming, or nil when it is within what is plausible.
    public static func confirmationNeeded(_ count: RecruitmentCount, siteTarget: Int?, perMonth: Int) -> String? {
        let limit = confirmationLimit(periodStart: count.periodStart, periodEnd: count.periodEnd, siteTarget: siteTarget, perMonth: perMonth)
        guard count.count > limit else { return nil }
        let against: String
        if let siteTarget, siteTarget > 0, siteTarget == limit {
            against = "the site's whole target of \(siteTarget)"
        } else {
            against = "\(limit), the most expected in that time (\(perMonth) a month)"
        }
        return "\(count.count) recruited from \(period(count.periodStart...count.periodEnd)) is more than \(against). Check the number; if it is right, confirm it."
    }
}
