import PaceCore
import Testing

struct ProgressLineTests {
    @Test func aTerminalLineShowsTheBarRowsRateAndTimeLeft() {
        #expect(ProgressLine.terminal(label: "participants.csv", rows: 1_250_000, fraction: 0.25, seconds: 30, width: 8)
                == "participants.csv  [##------]  25%  1,250,000 rows  41,667 rows/s  1m 30s left")
        #expect(ProgressLine.terminal(label: "sites.csv", rows: 999, fraction: nil, seconds: 2) == "sites.csv  999 rows  500 rows/s")
    }

    @Test func aLogLineIsPlainText() {
        #expect(ProgressLine.plain(label: "participants.csv", rows: 4_000, fraction: 1, seconds: 0.5) == "participants.csv: 4,000 rows, 8,000 rows/s, 100%")
        #expect(ProgressLine.plain(label: "x.csv", rows: 10, fraction: 0.5, seconds: 7_300) == "x.csv: 10 rows, 0 rows/s, 50%, about 2h 01m left")
    }

    @Test func numbersAndDurationsReadNaturally() {
        #expect(ProgressLine.grouped(0) == "0")
        #expect(ProgressLine.grouped(1_000) == "1,000")
        #expect(ProgressLine.grouped(-12_345_678) == "-12,345,678")
        #expect(ProgressLine.duration(0.2) == "1s")
        #expect(ProgressLine.duration(65) == "1m 05s")
        #expect(ProgressLine.duration(3_600) == "1h 00m")
    }
}

struct MonthlyCountGenerationTests {
    @Test func countSitesRecordMonthlyCountsThatPassTheImportChecks() throws {
        let generator = RegionGenerator(organisations: 30, studies: 200, participants: 5_000, seed: 3, asOf: Day(iso: "2026-11-27")!)
        var counts: [RecruitmentCount] = []
        try generator.forEachMonthlyCount { counts.append($0) }
        #expect(!counts.isEmpty)
        var participantSites = Set<String>()
        var participants = 0
        try generator.forEachParticipant { participantSites.insert("\($0.cpmsID)/\($0.siteODS)"); participants += 1 }
        #expect(participants == 5_000)
        for count in counts {
            // Each count's row reads back as itself, and no site records both ways.
            var row = RowReader(values: Dictionary(uniqueKeysWithValues: zip(RecruitmentCount.columns.map(\.name), count.csvFields)))
            #expect(RecruitmentCount(reading: &row) == count, "\(row.problems)")
            #expect(!participantSites.contains("\(count.cpmsID)/\(count.siteODS)"))
            #expect(count.periodStart.startOfMonth == count.periodEnd.startOfMonth && count.periodStart <= count.periodEnd)
        }
    }
}
