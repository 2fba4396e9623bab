import PaceCore
import Testing

struct InterchangeTests {
    func read<Record: InterchangeRecord>(_ type: Record.Type, _ values: [String: String]) -> (Record?, [FieldProblem]) {
        var row = RowReader(values: values)
        let record = Record(reading: &row)
        return (record, row.problems)
    }

    @Test func readsAStudyWithEveryField() throws {
        let (study, problems) = read(Study.self, [
            "cpms_id": "41001", "iras_id": "301234", "short_name": " CALM ", "route": "non-commercial", "design": "interventional",
            "ctimp": "no", "sample_size": "120", "planned_open": "2024-05-01", "planned_close": "2025-11-30",
            "status": "In Setup - Pending NHS Permission", "sponsor_ods": "uleic", "themes": "Data2Health; Mental Health and Wellbeing;Data2Health",
        ])
        #expect(problems.isEmpty)
        let found = try #require(study)
        #expect(found.shortName == "CALM")
        #expect(found.status == .pendingPermission)
        #expect(found.sponsorODS == "ULEIC")
        #expect(found.themes == ["Data2Health", "Mental Health and Wellbeing"])
        #expect(found.ctimp == false)
    }

    @Test func listsEveryProblemInAStudyAtOnce() {
        let (study, problems) = read(Study.self, [
            "cpms_id": "abc", "short_name": "", "route": "private", "ctimp": "maybe", "sample_size": "-3",
            "planned_open": "2025-06-01", "planned_close": "2025-05-01", "status": "Recruiting", "iras_id": "IRAS1",
        ])
        #expect(study == nil)
        #expect(Set(problems.map(\.column)) == ["cpms_id", "short_name", "route", "ctimp", "sample_size", "planned_close", "status", "iras_id"])
        #expect(problems.first { $0.column == "route" }?.message == "'private' is not one of: commercial, non-commercial")
    }

    @Test func checksDatesAreRealAndPlausible() {
        let (_, problems) = read(Site.self, [
            "cpms_id": "1", "site_ods": "RT5", "role": "recruiting", "date_site_selected": "2025-02-30",
            "date_site_open": "2205-01-01", "date_site_invited": "01/02/2025",
        ])
        #expect(problems.map(\.column).sorted() == ["date_site_invited", "date_site_open", "date_site_selected"])
        #expect(problems.contains { $0.message.contains("check the year") })
        #expect(problems.contains { $0.message.contains("YYYY-MM-DD") })
    }

    @Test func refusesMilestonesOutOfOrder() {
        let (_, problems) = read(Site.self, [
            "cpms_id": "1", "site_ods": "RT5", "role": "recruiting", "date_site_invited": "2025-03-01", "date_site_selected": "2025-02-01",
            "date_site_open": "2025-05-01", "closed_to_recruitment": "2025-04-01",
        ])
        #expect(problems.map(\.column) == ["date_site_selected", "closed_to_recruitment"])
    }

    @Test func participantRulesFollowTheDomain() {
        #expect(read(Participant.self, ["cpms_id": "1", "site_ods": "RT5", "participant_id": "P1", "status": "recruited"]).1.map(\.column) == ["recruited_date"])
        #expect(read(Participant.self, ["cpms_id": "1", "site_ods": "RT5", "participant_id": "P1", "status": "consented", "withdrawn_date": "2025-01-01"]).1.map(\.column) == ["withdrawn_date"])
        #expect(read(Participant.self, ["cpms_id": "1", "site_ods": "RT5", "participant_id": "P1", "status": "recruited", "consent_date": "2025-02-01", "recruited_date": "2025-01-01"]).1.map(\.column) == ["recruited_date"])
        let (participant, problems) = read(Participant.self, ["cpms_id": "1", "site_ods": "RT5", "participant_id": "P1", "status": "withdrawn", "consent_date": "2025-01-01", "withdrawn_date": "2025-03-01"])
        #expect(problems.isEmpty)
        #expect(participant?.recruitmentDay?.iso == "2025-01-01")
        let failed = Participant(cpmsID: 1, siteODS: "RT5", participantID: "P2", status: .failedScreening, consentDate: Day(iso: "2025-01-01"))
        #expect(failed.recruitmentDay == nil)
    }

    @Test func countsNeedAnOrderedPeriodAndACount() {
        #expect(read(RecruitmentCount.self, ["cpms_id": "1", "site_ods": "RT5", "period_start": "2025-02-01", "period_end": "2025-01-31", "count": "4"]).1.map(\.column) == ["period_end"])
        #expect(read(RecruitmentCount.self, ["cpms_id": "1", "site_ods": "RT5", "period_start": "2025-01-01", "period_end": "2025-01-31"]).1.map(\.column) == ["count"])
    }

    @Test func refusesControlCharactersAndOverlongText() {
        let (_, problems) = read(Organisation.self, ["ods_code": "RT5", "name": "Line\nbreak", "type": "nhs-trust", "subtype": String(repeating: "x", count: 61)])
        #expect(problems.map(\.column) == ["name", "subtype"])
    }

    @Test func checksTheHeader() throws {
        let header = CSVRecord(number: 1, fields: ["ods_code", "Name", "colour", "name", ""])
        let error = try #require(throws: ImportRejected.self) {
            _ = try InterchangeHeader(record: header, kind: .organisations, file: "orgs.csv")
        }
        #expect(error.issues.map(\.description) == [
            "orgs.csv:1:colour: unknown column 'colour'; organisations files have: ods_code, name, type, subtype, last_changed",
            "orgs.csv:1:name: column 'name' appears twice",
            "orgs.csv:1:column 5: the header has an empty column name",
            "orgs.csv:1:type: required column 'type' is missing",
        ])
    }

    @Test func everyDemoRecordRoundTripsThroughItsCSVFields() throws {
        let portfolio = DemoPortfolio(seed: 11, asOf: try #require(Day(iso: "2026-11-27")), studyCount: 40)
        func roundTrip<Record: InterchangeRecord & Equatable>(_ records: [Record]) {
            let columns = Dictionary(uniqueKeysWithValues: Record.columns.enumerated().map { ($1.name, $0) })
            for record in records {
                var row = RowReader(columns: columns, fields: record.csvFields)
                #expect(Record(reading: &row) == record, "\(record.keyDescription): \(row.problems)")
            }
        }
        roundTrip(portfolio.organisations)
        roundTrip(portfolio.studies)
        roundTrip(portfolio.sites)
        roundTrip(portfolio.participants)
        roundTrip(portfolio.counts)
    }
}

struct DemoPortfolioTests {
    let asOf = Day(iso: "2026-11-27") ?? Day(ordinal: 0)

    @Test func isDeterministicForASeedAndDay() {
        let first = DemoPortfolio(seed: 2026, asOf: asOf)
        let second = DemoPortfolio(seed: 2026, asOf: asOf)
        for kind in InterchangeKind.allCases { #expect(first.csv(kind) == second.csv(kind)) }
        #expect(DemoPortfolio(seed: 2027, asOf: asOf).csv(.studies) != first.csv(.studies))
    }

    @Test func looksLikeAMentalHealthTrustsPortfolio() {
        let portfolio = DemoPortfolio(seed: 2026, asOf: asOf)
        #expect(portfolio.studies.count == 80)
        #expect(Set(portfolio.studies.map(\.route)) == [.commercial, .nonCommercial])
        #expect(Set(portfolio.studies.compactMap(\.design)).isSuperset(of: [.interventional, .observational]))
        let hostSites = portfolio.sites.filter { $0.siteODS == DemoPortfolio.hostODS }
        #expect(Set(hostSites.map(\.role)).isSuperset(of: [.recruiting, .pic]))
        #expect(Set(portfolio.studies.flatMap(\.themes)) == Set(DemoPortfolio.themes))
        #expect(!portfolio.participants.isEmpty && !portfolio.counts.isEmpty)
        #expect(portfolio.sites.contains { $0.delayReason != nil })
        #expect(Set(portfolio.studies.compactMap { $0.status?.phase }) == [.setUp, .open, .closed])
        // Selected over the four financial years up to the day.
        let years = Set(portfolio.sites.compactMap(\.dateSiteSelected).map { FinancialYear(containing: $0) })
        #expect(years.count == 4)
        // No generated participant ID may look like a patient identifier.
        #expect(portfolio.participants.allSatisfy { Identifiers.participantIDProblem($0.participantID) == nil })
    }
}
