import PaceCore
import Testing

/// Properties of the metric rules checked over many seeded random cases (the seed is the case's
/// argument, so a failure names the case that reproduces it).
struct PropertyTests {
    static let seeds: [UInt64] = Array(1...200)
    let asOf = Day(iso: "2026-11-27")!

    @Test(arguments: seeds)
    func rttNeverFallsAndTheLightNeverWorsensWhenSomeoneIsRecruited(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var site = Site(cpmsID: 1, siteODS: "RT5", role: .recruiting)
        site.siteTarget = random.int(1...200)
        site.plannedRecruitmentStart = asOf.adding(days: -random.int(1...700))
        site.plannedRecruitmentEnd = site.plannedRecruitmentStart?.adding(days: random.int(1...900))
        site.dateSiteOpen = site.plannedRecruitmentStart?.adding(days: -random.int(0...60))
        let days = (0..<random.int(0...80)).map { _ in (day: asOf.adding(days: -random.int(0...700)), count: 1) }
        let extraDay = asOf.adding(days: -random.int(0...400))
        let before = SiteMeasures(site: site, history: RecruitmentHistory(days), on: asOf)
        let after = SiteMeasures(site: site, history: RecruitmentHistory(days + [(day: extraDay, count: 1)]), on: asOf)
        #expect(after.recruitedToDate == before.recruitedToDate + 1)
        if let old = before.rtt, let new = after.rtt {
            #expect(new > old)
        } else {
            #expect(before.rtt == nil && after.rtt == nil)
        }
        let order: [TrafficLight?] = [nil, .red, .amber, .green]
        #expect((order.firstIndex(of: after.trafficLight) ?? 0) >= (order.firstIndex(of: before.trafficLight) ?? 0))
    }

    @Test(arguments: seeds)
    func tiedOrganisationsShareARankAndTheNextRankSkips(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let subtypes = ["mental-health", "acute", nil]
        let organisations = (0..<random.int(1...30)).map { index in
            Organisation(odsCode: "R\(index)X", name: "Trust \(index)", type: .nhsTrust, subtype: random.pick(subtypes))
        }
        // Few distinct scores, so ties are common.
        let totals = organisations.flatMap { organisation in
            (0..<random.int(0...3)).map { study in
                LeagueTable.SiteTotal(odsCode: organisation.odsCode, cpmsID: study + 1, recruited: random.int(0...4) * 10)
            }
        }
        let report = LeagueTable.report(totals: totals, organisations: organisations, year: FinancialYear(startYear: 2025))
        let groups = Dictionary(grouping: report.rows) { "\($0[2])|\($0[3])" }
        for rows in groups.values {
            // Written out as a person ranks a list: sort by score, a tie takes the rank above, otherwise the position.
            let sorted = rows.sorted { ($0[4].integerValue ?? 0) > ($1[4].integerValue ?? 0) }
            // Nobody recruited is not ranked at all (an empty rank, not a shared place among the zeros).
            var expected: [Int?] = []
            for (position, row) in sorted.enumerated() {
                if row[4] == .integer(0) { expected.append(nil) }
                else if position > 0, row[4] == sorted[position - 1][4] { expected.append(expected[position - 1]) } else { expected.append(position + 1) }
            }
            #expect(sorted.map { $0[6].integerValue } == expected)
            #expect(sorted.first?[4] == .integer(0) || expected.first == 1)
        }
    }

    @Test(arguments: seeds)
    func csvFieldsSurviveWritingAndReadingBack(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let pieces = ["a", "Z", "1", " ", ",", "\"", "\n", "\r\n", "é", "🧪", "—", ";", "'", "\t", ""]
        let rows = (0..<random.int(1...6)).map { _ in
            (0..<random.int(1...5)).map { _ in (0..<random.int(0...8)).map { _ in random.pick(pieces) }.joined() }
        }
        // A row that is one empty field is a blank line, which readers skip; give it a character.
        let written = rows.map { $0 == [""] ? ["x"] : $0 }
        var reader = CSVReader(text: written.map(CSVWriter.line).joined())
        var read: [[String]] = []
        while let record = try reader.next() { read.append(record.fields) }
        #expect(read == written)
    }

    @Test(arguments: seeds)
    func dayArithmeticRoundTrips(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let day = Day(ordinal: random.int(0...80_000))
        let offset = random.int(-5_000...5_000)
        #expect(day.adding(days: offset).days(to: day) == -offset)
        #expect(Day(iso: day.iso) == day)
        #expect(FinancialQuarter(containing: day).firstDay <= day && day <= FinancialQuarter(containing: day).lastDay)
    }
}

extension Report.Value {
    var integerValue: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }
}
