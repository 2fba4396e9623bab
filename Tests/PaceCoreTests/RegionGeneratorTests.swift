import PaceCore
import Testing

struct RegionGeneratorTests {
    let asOf = Day(iso: "2026-11-27") ?? Day(ordinal: 0)

    func read<Record: InterchangeRecord>(_ record: Record) -> Record? {
        let columns = Dictionary(uniqueKeysWithValues: Record.columns.enumerated().map { ($1.name, $0) })
        var row = RowReader(columns: columns, fields: record.csvFields)
        return Record(reading: &row)
    }

    @Test func theRegionIsDeterministicAndEveryRecordReadsBack() throws {
        let generator = RegionGenerator(organisations: 60, studies: 120, participants: 5_000, seed: 9, asOf: asOf)
        var organisations: [Organisation] = []
        generator.forEachOrganisation { organisations.append($0) }
        #expect(Set(organisations.map(\.odsCode)).count == 60)
        #expect(organisations.allSatisfy { read($0) == $0 })
        #expect(Set(organisations.map(\.type)) == [.nhsTrust, .gpPractice, .university, .commercial])

        var sites: [String: Site] = [:]
        var studies = 0
        generator.forEachStudy { generated in
            studies += 1
            #expect(read(generated.study) != nil)
            for site in generated.sites {
                #expect(read(site) != nil)
                sites["\(site.cpmsID)/\(site.siteODS)"] = site
            }
        }
        #expect(studies == 120)
        #expect(sites.values.contains { $0.role == .pic } && sites.values.contains { $0.dateSiteOpen == nil })

        var participants: [Participant] = []
        try generator.forEachParticipant { participants.append($0) }
        #expect(participants.count == 5_000)
        #expect(Set(participants.map { "\($0.cpmsID)/\($0.siteODS)/\($0.participantID)" }).count == 5_000)
        for participant in participants.prefix(500) {
            #expect(read(participant) == participant)
            let site = try #require(sites["\(participant.cpmsID)/\(participant.siteODS)"])
            #expect(site.role.recruits)
            let open = try #require(site.dateSiteOpen)
            #expect(participant.consentDate.map { $0 >= open && $0 <= asOf } == true)
        }
        var again: [Participant] = []
        try RegionGenerator(organisations: 60, studies: 120, participants: 5_000, seed: 9, asOf: asOf).forEachParticipant { again.append($0) }
        #expect(again == participants)
    }

    /// Every region size the command accepts, the smallest included, generates, and every sponsor and
    /// site is one of the region's organisations (a region of 12 once had no sponsor to pick and crashed).
    @Test(arguments: [8, 12, 16, 17, 20, 21, 39])
    func smallRegionsGenerateWithEveryReferenceKnown(organisations count: Int) throws {
        let generator = RegionGenerator(organisations: count, studies: 30, participants: 300, seed: 5, asOf: asOf)
        var codes = Set<String>()
        generator.forEachOrganisation { codes.insert($0.odsCode) }
        #expect(codes.count == count)
        var studies = 0
        generator.forEachStudy { generated in
            studies += 1
            #expect(generated.study.sponsorODS.map(codes.contains) == true)
            #expect(generated.sites.allSatisfy { codes.contains($0.siteODS) })
        }
        #expect(studies == 30)
        var participants = 0
        try generator.forEachParticipant { _ in participants += 1 }
        #expect(participants == 300)
    }
}
