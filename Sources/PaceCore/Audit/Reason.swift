/// The reason a person gives for a correction: recorded in the audit trail, so it must say something.
public enum Reason {
    public static let maximumLength = 500

    /// What is wrong with a reason, or nil when it is acceptable. A reason of only spaces, zero-width
    /// or direction marks says nothing and is refused like an empty one; control characters are refused.
    public static func problem(_ text: String?) -> String? {
        let trimmed = (text ?? "").trimmingSpaces
        if RowReader.containsControlCharacter(trimmed) || trimmed.unicodeScalars.contains(where: { $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "The reason contains a line break or control character: write it on one line."
        }
        if !hasVisibleCharacter(trimmed) { return "Give the reason in words." }
        if trimmed.count > maximumLength { return "Keep the reason to \(maximumLength) characters." }
        return nil
    }

    /// The reason as it is recorded: trimmed, or nil when none was given.
    public static func recorded(_ text: String?) -> String? {
        let trimmed = (text ?? "").trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }

    public static func isGiven(_ text: String?) -> Bool {
        hasVisibleCharacter((text ?? "").trimmingSpaces)
    }

    /// A letter, digit, punctuation mark or symbol: not a space, a format character (U+200B, U+200E,
    /// U+FEFF …) or a control character.
    public static func hasVisibleCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format, .surrogate, .privateUse, .unassigned,
                 .nonspacingMark, .enclosingMark, .spacingMark:
                return false
            default:
                return true
            }
        }
    }
}
