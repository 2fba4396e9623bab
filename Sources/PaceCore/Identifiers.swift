/// Checks on the identifiers that key Pace's records, and the guard that keeps patient identifiers out.
public enum Identifiers {
    /// ODS codes and the stable codes Pace gives non-NHS partners: 2–12 capital letters or digits.
    public static func normalisedODSCode(_ text: String) -> String? {
        let code = text.uppercased()
        guard (2...12).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            return nil
        }
        return code
    }

    /// CPMS IDs are positive whole numbers.
    public static func cpmsID(_ text: String) -> Int? {
        guard (1...9).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int(text), value > 0 else { return nil }
        return value
    }

    /// IRAS IDs are whole numbers (historically 5–7 digits).
    public static func isIRASID(_ text: String) -> Bool {
        (1...8).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    public enum ParticipantIDProblem: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case tooLong(limit: Int)
        case disallowedCharacter
        case looksLikeNHSNumber
        case looksLikeDate

        public var description: String {
            switch self {
            case .empty:
                "participant ID is empty"
            case .tooLong(let limit):
                "participant ID is longer than \(limit) characters"
            case .disallowedCharacter:
                "participant ID may contain only letters, digits, spaces and - _ / ."
            case .looksLikeNHSNumber:
                "participant ID looks like an NHS number: record the study pseudonym only, never a patient identifier"
            case .looksLikeDate:
                "participant ID looks like a date (a date of birth?): record the study pseudonym only, never a patient identifier"
            }
        }
    }

    public static let participantIDLimit = 64

    /// Returns the problem with a participant ID, or nil when it is an acceptable study pseudonym.
    public static func participantIDProblem(_ id: String) -> ParticipantIDProblem? {
        if id.isEmpty { return .empty }
        if id.count > participantIDLimit { return .tooLong(limit: participantIDLimit) }
        let allowed: (Character) -> Bool = { character in
            character.isASCII && (character.isLetter || character.isNumber || " -_/.".contains(character))
        }
        if !id.allSatisfy(allowed) { return .disallowedCharacter }
        if isNHSNumber(id) { return .looksLikeNHSNumber }
        if looksLikeDate(id) { return .looksLikeDate }
        return nil
    }

    /// True for ten digits (spaces and dashes ignored) whose last digit is the modulus-11 check digit.
    public static func isNHSNumber(_ text: String) -> Bool {
        let kept = text.filter { $0 != " " && $0 != "-" }
        guard kept.count == 10 else { return false }
        var digits: [Int] = []
        for character in kept {
            guard let value = character.wholeNumberValue, character.isASCII else { return false }
            digits.append(value)
        }
        var sum = 0
        for index in 0..<9 {
            sum += digits[index] * (10 - index)
        }
        let check = 11 - sum % 11
        switch check {
        case 11: return digits[9] == 0
        case 10: return false
        default: return digits[9] == check
        }
    }

    /// True for text that reads as a calendar date in the ways people write dates of birth.
    public static func looksLikeDate(_ text: String) -> Bool {
        let trimmed = text.trimmingSpaces
        if Day(iso: trimmed) != nil { return true }
        for separator in ["/", "-", ".", " "] as [Character] {
            let parts = trimmed.split(separator: separator, omittingEmptySubsequences: false)
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }),
                  let first = Int(parts[0]), let second = Int(parts[1]), var third = Int(parts[2]) else { continue }
            if parts[0].count == 4, Day(year: first, month: second, day: third) != nil { return true }
            if parts[2].count == 2 { third += third > 30 ? 1900 : 2000 }
            guard parts[2].count == 2 || parts[2].count == 4 else { continue }
            // Day-first is the UK habit; month-first is accepted too, since either could be a birth date.
            if Day(year: third, month: second, day: first) != nil || Day(year: third, month: first, day: second) != nil {
                return true
            }
        }
        if trimmed.count == 8, trimmed.allSatisfy(\.isNumber), let value = Int(trimmed) {
            let yearFirst = Day(year: value / 10_000, month: value / 100 % 100, day: value % 100)
            let dayFirst = Day(year: value % 10_000, month: value / 10_000 % 100, day: value / 1_000_000)
            return [yearFirst, dayFirst].contains { day in
                guard let day else { return false }
                return (1900...2100).contains(day.year)
            }
        }
        return false
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    public var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
