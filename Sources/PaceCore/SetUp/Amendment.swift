/// How an amendment is categorised: the sponsor's terms under the 2026 clinical trials regulations (from
/// 28 April 2026 amendments are "modifications"), or the HRA's site categories A, B and C, which say what
/// the sites must do and continue for modifications.
public enum AmendmentCategory: String, DomainCode {
    case substantial
    case importantDetail = "important-detail"
    case minor
    case a = "A"
    case b = "B"
    case c = "C"

    public var label: String {
        switch self {
        case .substantial: "Substantial modification"
        case .importantDetail: "Modification of an important detail"
        case .minor: "Minor modification"
        case .a: "Category A: affects every NHS site"
        case .b: "Category B: affects some sites"
        case .c: "Category C: no site needs to act"
        }
    }
}

/// An amendment to a study as one site handles it (domain.md §6a): received, assessed within the
/// stored window, continuing capacity and capability reconfirmed where needed, then implemented.
public struct Amendment: Sendable, Hashable, Codable {
    public var cpmsID: Int
    public var siteODS: String
    /// The sponsor's reference, e.g. `SA03` or `Modification 2`.
    public var reference: String
    public var received: Day
    public var category: AmendmentCategory?
    /// Continuing capacity and capability must be confirmed before it is implemented.
    public var needsReconfirmation: Bool?
    /// The day the trust completed its assessment (or confirmed it can continue).
    public var assessed: Day?
    public var implemented: Day?
    public var description: String?

    public init(cpmsID: Int, siteODS: String, reference: String, received: Day, category: AmendmentCategory? = nil,
                needsReconfirmation: Bool? = nil, assessed: Day? = nil, implemented: Day? = nil, description: String? = nil) {
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.reference = reference
        self.received = received
        self.category = category
        self.needsReconfirmation = needsReconfirmation
        self.assessed = assessed
        self.implemented = implemented
        self.description = description
    }

    /// A reference as sponsors write them: letters, digits, spaces and `. _ - ( )`, at most 60
    /// characters. No slash, so the reference can stand in an address.
    public static func referenceProblem(_ reference: String) -> String? {
        let allowed = reference.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || " ._-()".unicodeScalars.contains(scalar)
        }
        guard allowed, reference.count <= 60, let first = reference.unicodeScalars.first,
              ("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first) else {
            return "'\(reference.prefix(60))' is not an amendment reference: use letters, digits, spaces and . _ - ( ), starting with a letter or digit, for example SA03"
        }
        return nil
    }
}
