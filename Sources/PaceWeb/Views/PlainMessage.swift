import PaceCore

/// Turns a reader's problem ("is required", "'x' is not a date: write it as YYYY-MM-DD") into the
/// sentence a form shows beside its field and in the error summary, in the NHS.UK style: "Enter the
/// date the site opened", "Date site opened must be a real date". Messages that are already whole
/// sentences (the plausibility rules write them) pass through, with column names put into words.
enum PlainMessage {
    static func sentence(_ message: String, label: String, verb: String = "Enter") -> String {
        let text: String
        if message == "is required" {
            text = "\(verb) \(lowerFirst(label))"
        } else if message.contains("is not a date and time") {
            text = "\(label) must be a real date and time, for example 15 3 2026 and 14:30"
        } else if message.contains("is not a date") {
            text = "\(label) must be a real date, for example 15 3 2026"
        } else if let first = message.unicodeScalars.first, first.properties.isLowercase || first == "'" {
            text = "\(label) \(message)"
        } else {
            text = message
        }
        return upperFirst(inWords(text))
    }

    /// A column's name as words, for problems about fields a form does not label itself.
    static func fieldName(_ column: String) -> String {
        if let known = known(column) { return known }
        return upperFirst(column.replacingOccurrences(of: "_", with: " "))
    }

    /// Column names (snake_case words) in a message, as words.
    static func inWords(_ text: String) -> String {
        var result = ""
        var word = ""
        func flush() {
            if word.contains("_"), word.first?.isLetter == true {
                result += lowerFirst(known(word) ?? word.replacingOccurrences(of: "_", with: " "))
            } else {
                result += word
            }
            word = ""
        }
        for character in text {
            if character.isASCII && (character.isLetter || character.isNumber || character == "_") {
                word.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }

    private static func known(_ column: String) -> String? {
        names[column] ?? Milestone(rawValue: column)?.dateLabel
    }

    static let names: [String: String] = [
        "cpms_id": "CPMS ID", "iras_id": "IRAS ID", "short_name": "Short name", "site_ods": "Site",
        "ods_code": "Organisation code", "recruited_date": "Date recruited", "consent_date": "Date of consent",
        "withdrawn_date": "Date withdrawn", "participant_id": "Participant ID", "period_start": "First day of the period",
        "period_end": "Last day of the period", "planned_open": "Planned opening date", "actual_open": "Date the study opened",
        "planned_close": "Planned closing date", "actual_close": "Date the study closed", "site_target": "Site target",
        "planned_recruitment_start": "Planned start of recruitment", "planned_recruitment_end": "Planned end of recruitment",
        "sample_size": "UK sample size",
        "person_id": "Person", "del_person_id": "Person", "last_changed": "Last changed",
    ]

    static func lowerFirst(_ text: String) -> String {
        // Acronyms ("CPMS ID", "HRA approval") keep their capitals.
        let prefix = text.prefix(2)
        guard let first = text.first, first.isUppercase, !(prefix.count == 2 && prefix.allSatisfy(\.isUppercase)) else { return text }
        return first.lowercased() + text.dropFirst()
    }

    static func upperFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst()
    }
}
