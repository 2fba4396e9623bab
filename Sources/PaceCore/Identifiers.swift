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
        case looksLikeEmail
        case looksLikePostcode
        case looksLikePhoneNumber

        public var description: String {
            switch self {
            case .empty:
                "participant ID is empty"
            case .tooLong(let limit):
                "participant ID is longer than \(limit) characters"
            case .disallowedCharacter:
                "participant ID may contain only letters, digits, spaces and - _ / ."
            case .looksLikeNHSNumber:
                "participant ID holds what looks like an NHS number: record the study pseudonym only, never a patient identifier"
            case .looksLikeDate:
                "participant ID holds what looks like a date (a date of birth?): record the study pseudonym only, never a patient identifier"
            case .looksLikeEmail:
                "participant ID looks like an email address: record the study pseudonym only, never a patient identifier"
            case .looksLikePostcode:
                "participant ID holds what looks like a postcode: record the study pseudonym only, never a patient identifier"
            case .looksLikePhoneNumber:
                "participant ID holds what looks like a phone number: record the study pseudonym only, never a patient identifier"
            }
        }
    }

    public static let participantIDLimit = 64

    /// Returns the problem with a participant ID, or nil when it is an acceptable study pseudonym.
    /// Patient identifiers are looked for anywhere in the ID, not only as the whole of it, since
    /// "John Smith 01/02/1960" carries a date of birth beside a name (domain.md §4). Imports check
    /// millions of IDs, so the common case (a short code) is decided from its bytes in one pass.
    public static func participantIDProblem(_ id: String) -> ParticipantIDProblem? {
        if id.isEmpty { return .empty }
        if id.utf8.count > participantIDLimit && id.count > participantIDLimit { return .tooLong(limit: participantIDLimit) }
        // One pass over the bytes notes everything the closer looks need; most IDs need none of them.
        var hasLetter = false, hasAt = false, disallowed = false, letterRun = 0
        var hasInwardShape = false, numberWorthReading = false, monthNamed = false
        var runDigits = 0, runSeparators = 0, pendingSeparators = 0, inRun = false
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        let bytes = Array(id.utf8)
        func endRun() {
            if inRun, (10...12).contains(runDigits) || runSeparators >= 2 || runDigits == 8 { numberWorthReading = true }
            inRun = false
        }
        func endLetters(at end: Int) {
            if (3...9).contains(letterRun), isMonthName(bytes[(end - letterRun)..<end]) { monthNamed = true }
        }
        for (index, byte) in bytes.enumerated() {
            let isLetter = isASCIILetter(byte), isDigit = isASCIIDigit(byte)
            if isLetter { hasLetter = true; letterRun += 1 } else { endLetters(at: index); letterRun = 0 }
            // A postcode's inward code is a digit and two letters ("7RH").
            if isLetter, isASCIILetter(previous), isASCIIDigit(beforePrevious) { hasInwardShape = true }
            if isDigit {
                if !inRun { inRun = true; runDigits = 0; runSeparators = 0 }
                runDigits += 1
                runSeparators += pendingSeparators
                pendingSeparators = 0
            } else if inRun, isNumberSeparator(byte) {
                pendingSeparators += 1
            } else {
                endRun()
                pendingSeparators = 0
            }
            if byte == UInt8(ascii: "@") { hasAt = true }
            if !isLetter && !isDigit && !isNumberSeparator(byte) && byte != UInt8(ascii: "_") { disallowed = true }
            beforePrevious = previous
            previous = byte
        }
        endRun()
        endLetters(at: bytes.count)
        if hasAt && hasLetter { return .looksLikeEmail }
        if numberWorthReading {
            for run in numberRuns(bytes) {
                let digits = bytes[run.range].reduce(0) { $0 + (isASCIIDigit($1) ? 1 : 0) }
                let text = String(decoding: bytes[run.range], as: UTF8.self)
                if (10...12).contains(digits) {
                    if isNHSNumber(text) { return .looksLikeNHSNumber }
                    if isUKPhoneNumber(text, international: run.afterPlus) { return .looksLikePhoneNumber }
                }
                if looksLikeDate(text) { return .looksLikeDate }
            }
        }
        if id.utf8.count > participantIDLimit { return .disallowedCharacter }
        // Only an ID with a month's name among its letters can hold a written-out date.
        if monthNamed, containsWrittenDate(words(id)) { return .looksLikeDate }
        if hasInwardShape, containsPostcode(bytes) { return .looksLikePostcode }
        return disallowed ? .disallowedCharacter : nil
    }

    /// Stretches of digits joined by the separators people type in numbers and dates (space - . /),
    /// each starting and ending with a digit; `afterPlus` when a `+` comes just before (an international number).
    static func numberRuns(_ bytes: [UInt8]) -> [(range: ClosedRange<Int>, afterPlus: Bool)] {
        var runs: [(ClosedRange<Int>, Bool)] = []
        var index = 0
        while index < bytes.count {
            guard isASCIIDigit(bytes[index]) else { index += 1; continue }
            let start = index
            var end = index, cursor = index
            while cursor < bytes.count, isASCIIDigit(bytes[cursor]) || isNumberSeparator(bytes[cursor]) {
                if isASCIIDigit(bytes[cursor]) { end = cursor }
                cursor += 1
            }
            runs.append((start...end, start > 0 && bytes[start - 1] == UInt8(ascii: "+")))
            index = end + 1
        }
        return runs
    }

    static func isNumberSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
    }

    /// A UK phone number: 10 or 11 digits starting 01, 02, 03, 07 or 08 (or 44 after a +).
    static func isUKPhoneNumber(_ text: String, international: Bool) -> Bool {
        var digits = text.filter(\.isASCIIDigit)
        if international || digits.hasPrefix("44") && digits.count == 12 {
            guard digits.hasPrefix("44") else { return false }
            digits = "0" + digits.dropFirst(2)
        }
        guard (10...11).contains(digits.count), digits.hasPrefix("0"), let second = digits.dropFirst().first else { return false }
        return "12378".contains(second)
    }

    /// The ID split into words of letters and numbers of digits (so "01Feb1960" is 01, Feb, 1960).
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text {
            let isLetter = character.isASCII && character.isLetter, isDigit = character.isASCIIDigit
            if let last = current.last, (isLetter && last.isASCIIDigit) || (isDigit && !last.isASCIIDigit) || (!isLetter && !isDigit) {
                words.append(current)
                current = ""
            }
            if isLetter || isDigit { current.append(character) }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The month names as lowercase bytes, for the first pass over an ID.
    static let monthNameBytes: [[UInt8]] = monthNames.map { Array($0.utf8) }

    static func isMonthName(_ letters: ArraySlice<UInt8>) -> Bool {
        monthNameBytes.contains { name in
            name.count == letters.count && zip(name, letters).allSatisfy { $0 == ($1 | 0x20) }
        }
    }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                             "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"]

    /// A month written as a word beside a year, with or without a day: "1 Feb 1960", "February 1st, 1960", "01-FEB-60".
    static func containsWrittenDate(_ words: [String]) -> Bool {
        let lowered = words.map { $0.lowercased() }
        func year(_ index: Int, short: Bool) -> Bool {
            guard lowered.indices.contains(index), let value = Int(lowered[index]) else { return false }
            return lowered[index].count == 4 ? (1900...2100).contains(value) : short && lowered[index].count == 2
        }
        func day(_ index: Int) -> Bool {
            guard lowered.indices.contains(index), lowered[index].count <= 2, let value = Int(lowered[index]) else { return false }
            return (1...31).contains(value)
        }
        for (index, word) in lowered.enumerated() where monthNames.contains(word) {
            let suffix = lowered.indices.contains(index + 2) && ["st", "nd", "rd", "th"].contains(lowered[index + 2]) ? 1 : 0
            if year(index + 1, short: false) { return true }
            if day(index - 1), year(index + 1, short: true) { return true }
            if day(index + 1), year(index + 2 + suffix, short: true) { return true }
        }
        return false
    }

    /// A UK postcode anywhere, with or without its space: "LE1 7RH", "sw1a1aa", "DN55 1PT". Read from
    /// the bytes: outward code A9, A99, AA9, AA99, A9A or AA9A; inward code 9AA.
    static func containsPostcode(_ bytes: [UInt8]) -> Bool {
        func isLetter(_ index: Int) -> Bool { isASCIILetter(bytes[index]) }
        func isDigit(_ index: Int) -> Bool { isASCIIDigit(bytes[index]) }
        func isOutward(_ range: Range<Int>) -> Bool {
            guard (2...4).contains(range.count), isLetter(range.lowerBound) else { return false }
            let letters = isLetter(range.lowerBound + 1) ? 2 : 1
            let rest = range.count - letters
            guard (1...2).contains(rest), isDigit(range.lowerBound + letters) else { return false }
            return rest == 1 || isDigit(range.upperBound - 1) || isLetter(range.upperBound - 1)
        }
        func isInward(_ range: Range<Int>) -> Bool {
            range.count == 3 && isDigit(range.lowerBound) && isLetter(range.lowerBound + 1) && isLetter(range.lowerBound + 2)
        }
        var tokens: [Range<Int>] = []
        var start = 0
        for index in 0...bytes.count {
            if index == bytes.count || isNumberSeparator(bytes[index]) || bytes[index] == UInt8(ascii: "_") {
                if index > start { tokens.append(start..<index) }
                start = index + 1
            }
        }
        for (position, token) in tokens.enumerated() {
            if token.count >= 5, isOutward(token.lowerBound..<(token.upperBound - 3)), isInward((token.upperBound - 3)..<token.upperBound) { return true }
            if position + 1 < tokens.count, isOutward(token), isInward(tokens[position + 1]) { return true }
        }
        return false
    }

    /// True for ten digits (any of the separators people type ignored) whose last digit is the modulus-11 check digit.
    public static func isNHSNumber(_ text: String) -> Bool {
        let kept = text.filter { !" -./".contains($0) }
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
