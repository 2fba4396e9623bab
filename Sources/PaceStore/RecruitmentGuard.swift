import PaceCore
import SQLKit

/// Checks recruitment rows against what the register already holds at their sites (domain.md §3a, §4):
/// a period counted twice, or a site counted both participant by participant and as counts. One guard
/// serves one import or one save; it asks the database once per site and remembers the answer, so a
/// long file costs a query per batch of new sites, never one per row.
final class RecruitmentGuard {
    private var sitesWithCounts: [Int: Bool] = [:]
    private var sitesWithParticipants: [Int: Bool] = [:]
    /// Each site's count periods, keyed by their start: the stored ones, then this file's over them.
    private var periods: [Int: [Day: ClosedRange<Day>]] = [:]
    /// Each site's counts by period start, to add up a month however its periods are cut.
    private var numbers: [Int: [Day: Int]] = [:]
    /// The site targets, the stored monthly limit and whether the person confirmed large counts.
    var references: References?
    private lazy var targets: [Int: Int] = {
        var targets: [Int: Int] = [:]
        for facts in references.map({ Array($0.siteFacts) }) ?? [] { if let target = facts.target { targets[facts.id] = target } }
        return targets
    }()

    /// Problems with counting participants at sites that already record counts, by index in the batch.
    func check(participants records: [Participant], at sites: [Int], _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)] {
        let counting = Set(zip(records, sites).filter { $0.0.recruitmentDay != nil }.map(\.1))
        let unknown = counting.filter { sitesWithCounts[$0] == nil }
        if !unknown.isEmpty {
            let found = try await Self.siteIDs("SELECT DISTINCT site_id FROM recruitment_counts WHERE \"count\" > 0 AND site_id IN", unknown, sql)
            for site in unknown { sitesWithCounts[site] = found.contains(site) }
        }
        return zip(records, sites).enumerated().compactMap { index, pair in
            pair.0.recruitmentDay != nil && sitesWithCounts[pair.1] == true
                ? (index, FieldProblem(column: "participant_id", message: RecruitmentPlausibility.participantsBesideCounts)) : nil
        }
    }

    /// Problems with counts that overlap another period at their site, or sit beside participant
    /// records there, by index in the batch. Each count's period is remembered for the rows after it.
    func check(counts records: [RecruitmentCount], at sites: [Int], _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)] {
        let unknown = Set(sites).filter { periods[$0] == nil }
        if !unknown.isEmpty {
            let participants = try await Self.siteIDs("SELECT DISTINCT site_id FROM participants WHERE recruitment_day IS NOT NULL AND site_id IN", unknown, sql)
            for site in unknown {
                sitesWithParticipants[site] = participants.contains(site)
                periods[site] = [:]
            }
            let list = SQLQueryString(unknown.sorted().map(String.init).joined(separator: ", "))
            for row in try await sql.raw("SELECT site_id, period_start, period_end, \"count\" AS n FROM recruitment_counts WHERE site_id IN (\(list))").all() {
                guard let start = try row.day("period_start"), let end = try row.day("period_end"), start <= end else { continue }
                let site = try row.decode(column: "site_id", as: Int.self)
                periods[site, default: [:]][start] = start...end
                numbers[site, default: [:]][start] = try row.integer("n") ?? 0
            }
        }
        var problems: [(Int, FieldProblem)] = []
        for (index, (record, site)) in zip(records, sites).enumerated() {
            if record.count > 0, sitesWithParticipants[site] == true {
                problems.append((index, FieldProblem(column: "count", message: RecruitmentPlausibility.countsBesideParticipants)))
                continue
            }
            // Records built in code have not passed a reader's order check; a backwards period must not trap.
            guard record.periodStart <= record.periodEnd else {
                problems.append((index, FieldProblem(column: "period_end", message: "The period ends on \(record.periodEnd.longText), before it starts on \(record.periodStart.longText).")))
                continue
            }
            let period = record.periodStart...record.periodEnd
            let others = (periods[site] ?? [:]).filter { $0.key != record.periodStart }.values.sorted { $0.lowerBound < $1.lowerBound }
            if let other = others.first(where: { RecruitmentPlausibility.overlaps(period, $0) }) {
                problems.append((index, FieldProblem(column: "period_start", message: RecruitmentPlausibility.overlapMessage(period, with: other))))
                continue
            }
            // One month's counts together, however its periods are cut: three one-day counts of 20 at a
            // site whose whole target is 20 need a confirmation as one count of 60 would.
            if let references, record.count > 0, !record.confirmed, !references.confirmsLargeCounts {
                let month = record.periodEnd.startOfMonth
                let others = (periods[site] ?? [:]).filter { $0.key != record.periodStart && $0.value.upperBound.startOfMonth == month }
                let total = others.keys.reduce(record.count) { $0 + (numbers[site]?[$1] ?? 0) }
                let limit = RecruitmentPlausibility.confirmationLimit(periodStart: month, periodEnd: month.endOfMonth, siteTarget: targets[site], perMonth: references.countConfirmationPerMonth)
                if total > record.count, total > limit {
                    problems.append((index, FieldProblem(
                        column: "count",
                        message: "With this count, \(total) are recorded as recruited in \(Day.monthNames[month.month - 1]) \(month.year), more than \(limit), the most expected in a month. Check the numbers; if they are right, confirm them.",
                        needsConfirmation: true
                    )))
                    continue
                }
            }
            periods[site, default: [:]][record.periodStart] = period
            numbers[site, default: [:]][record.periodStart] = record.count
        }
        return problems
    }

    /// Problems with sites whose new opening date falls after recruitment already recorded there.
    static func check(sites records: [Site], keys: [References.SiteKey], _ sql: any SQLDatabase) async throws -> [(Int, FieldProblem)] {
        let opening = zip(records, keys).filter { $0.0.dateSiteOpen != nil }
        guard !opening.isEmpty else { return [] }
        let studies = SQLQueryString(Set(opening.map(\.1.studyID)).sorted().map(String.init).joined(separator: ", "))
        var first: [References.SiteKey: Day] = [:]
        for row in try await sql.raw("""
            SELECT x.study_id, x.organisation_id, r.first_day FROM sites x JOIN site_recruitment r ON r.site_id = x.id
            WHERE x.study_id IN (\(studies))
            """).all() {
            guard let day = try row.day("first_day") else { continue }
            first[References.SiteKey(studyID: try row.decode(column: "study_id", as: Int.self), organisationID: try row.decode(column: "organisation_id", as: Int.self))] = day
        }
        return zip(records, keys).enumerated().compactMap { index, pair in
            guard let open = pair.0.dateSiteOpen, let recruited = first[pair.1], recruited < open else { return nil }
            return (index, FieldProblem(
                column: Milestone.open.rawValue,
                message: "The date the site opened, \(open.longText), is after recruitment already recorded there from \(recruited.longText). A site cannot recruit before it opens: check the date, or correct the recruitment first."
            ))
        }
    }

    private static func siteIDs(_ query: String, _ sites: Set<Int>, _ sql: any SQLDatabase) async throws -> Set<Int> {
        var found = Set<Int>()
        for chunk in sites.sorted().chunked(into: 500) {
            let list = chunk.map(String.init).joined(separator: ", ")
            for row in try await sql.raw(SQLQueryString(query + " (" + list + ")")).all() {
                found.insert(try row.decode(column: "site_id", as: Int.self))
            }
        }
        return found
    }
}
