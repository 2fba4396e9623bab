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

    @Test(arguments: ["CALM-RT5-0001", "P001", "12345", "BRIDGE/2/17", "S-99.1", "00000042"])
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
