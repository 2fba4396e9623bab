import PaceCore
import Testing

struct IdentifierTests {
    @Test(arguments: ["9434765919", "943 476 5919", "943-476-5919", "4010232137", "1234567881"])
    func recognisesNHSNumbers(text: String) {
        #expect(Identifiers.isNHSNumber(text))
        #expect(Identifiers.participantIDProblem(text) == .looksLikeNHSNumber)
    }

    @Test(arguments: ["9434765918", "1000000010", "1000000011", "943476591", "94347659190", "A434765919"])
    func rejectsTenDigitsWithAWrongCheckDigit(text: String) {
        #expect(!Identifiers.isNHSNumber(text))
    }

    @Test(arguments: ["1985-03-12", "12/03/1985", "12-03-1985", "12.03.1985", "3/12/85", "19850312", "12031985", "12 03 1985"])
    func refusesDatesOfBirth(text: String) {
        #expect(Identifiers.participantIDProblem(text) == .looksLikeDate)
    }

    @Test(arguments: [
        ("John Smith 01/02/1960", Identifiers.ParticipantIDProblem.looksLikeDate), ("J Smith 1 Feb 1960", .looksLikeDate),
        ("Smith February 1st, 1960", .looksLikeDate), ("SMITH-01-FEB-60", .looksLikeDate), ("DOB 19600201", .looksLikeDate),
        ("Anne 943 476 5919", .looksLikeNHSNumber), ("943.476.5919", .looksLikeNHSNumber), ("943/476/5919", .looksLikeNHSNumber),
        ("anne.smith@example.nhs.uk", .looksLikeEmail), ("Smith LE1 7RH", .looksLikePostcode), ("sw1a1aa", .looksLikePostcode),
        ("DN55 1PT flat 2", .looksLikePostcode), ("07700 900123", .looksLikePhoneNumber), ("+44 7700 900123", .looksLikePhoneNumber),
        ("Tel 0116 225 6000", .looksLikePhoneNumber), ("Zoë-1", .disallowedCharacter),
    ])
    func refusesPatientIdentifiersAnywhereInAnID(text: String, problem: Identifiers.ParticipantIDProblem) {
        #expect(Identifiers.participantIDProblem(text) == problem, "\(text)")
    }

    @Test func theDemoAndGeneratedPseudonymsAreAccepted() {
        let portfolio = DemoPortfolio(seed: 5, asOf: Day(year: 2026, month: 12, day: 1) ?? Day(ordinal: 0), studyCount: 24)
        let refused = portfolio.participants.filter { Identifiers.participantIDProblem($0.participantID) != nil }.map(\.participantID)
        #expect(refused.isEmpty, "\(refused.prefix(5))")
    }

    @Test(arguments: ["CALM-RT5-0001", "P001", "12345", "BRIDGE/2/17", "S-99.1", "00000042", "CALM-RT5-1001", "P40085-RT5-17", "MIND-C82001-S3", "RT5 1001"])
    func acceptsStudyPseudonyms(text: String) {
        #expect(Identifiers.participantIDProblem(text) == nil)
    }

    @Test func refusesEmptyLongAndHostileIDs() {
        #expect(Identifiers.participantIDProblem("") == .empty)
        #expect(Identifiers.participantIDProblem(String(repeating: "A", count: 65)) == .tooLong(limit: 64))
        #expect(Identifiers.participantIDProblem("<script>") == .disallowedCharacter)
        #expect(Identifiers.participantIDProblem("Robert'); DROP TABLE--") == .disallowedCharacter)
        #expect(Identifiers.participantIDProblem("Zoë-1") == .disallowedCharacter)
    }

    @Test func normalisesOrganisationCodesAndCPMSIDs() {
        #expect(Identifiers.normalisedODSCode("rt5") == "RT5")
        #expect(Identifiers.normalisedODSCode("R") == nil)
        #expect(Identifiers.normalisedODSCode("RT 5") == nil)
        #expect(Identifiers.normalisedODSCode("RT5;DROP") == nil)
        #expect(Identifiers.cpmsID("41001") == 41001)
        #expect(Identifiers.cpmsID("0") == nil)
        #expect(Identifiers.cpmsID("-5") == nil)
        #expect(Identifiers.cpmsID("1e3") == nil)
        #expect(Identifiers.cpmsID("9999999999") == nil)
    }
}
