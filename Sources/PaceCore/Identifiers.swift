/// Checks on the identifiers that key Pace's records, and the guard that keeps patient identifiers out.
public enum Identifiers {
    /// ODS codes and the stable codes Pace gives non-NHS partners: 2–12 capital letters or digits.
    public static func normalisedODSCode(_ text: String) -> String? {
        let bytes = text.utf8
        guard (2...12).contains(bytes.count), bytes.allSatisfy({ isASCIILetter($0) || isASCIIDigit($0) }) else {
            return nil
        }
        return bytes.contains(where: { $0 >= UInt8(ascii: "a") }) ? text.uppercased() : text
    }

    /// CPMS IDs are positive whole numbers.
    public static func cpmsID(_ text: String) -> Int? {
        guard (1...9).contains(text.utf8.count), text.utf8.allSatisfy(isASCIIDigit),
              let value = Int(text), value > 0 else { return nil }
        return value
    }

    /// IRAS IDs are whole numbers (historically 5–7 digits).
    public static func isIRASID(_ text: String) -> Bool {
        (1...8).contains(text.utf8.count) && text.utf8.allSatisfy(isASCIIDigit)
    }

    public static func isASCIIDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    public static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
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
        if id.utf8.count > participantIDLimit { return id.count > participantIDLimit ? .tooLong(limit: participantIDLimit) : .disallowedCharacter }
        var hasLetter = false
        for byte in id.utf8 {
            if isASCIILetter(byte) {
                hasLetter = true
            } else if !isASCIIDigit(byte) && !" -_/.".utf8.contains(byte) {
                return .disallowedCharacter
            }
        }
        // NHS numbers and written dates have no letters; most pseudonyms do, so they skip the checks.
        if hasLetter { return nil }
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
