import Plot

extension Node {
    /// Text, escaped for HTML. Plot's own `.text` escapes character by character and took a fifth of a
    /// page's time; this checks the bytes first and leaves text with nothing to escape as it is.
    static func safe(_ text: String) -> Node {
        .raw(escapedText(text))
    }
}

/// Escapes `&`, `<`, `>`, `"` and `'` for use anywhere in an HTML document.
func escapedText(_ text: String) -> String {
    let needsEscaping = text.utf8.contains { byte in
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
    guard needsEscaping else { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}
