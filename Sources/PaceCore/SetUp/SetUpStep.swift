/// Who must act while a piece of set-up work is open (domain.md §6a): the trust, or the sponsor
/// (the Local Information Pack not yet sent, a query waiting on an answer).
public enum SetUpHolder: String, DomainCode {
    case provider
    case sponsor

    public var label: String {
        switch self {
        case .provider: "Trust"
        case .sponsor: "Sponsor"
        }
    }
}

/// One piece of the set-up work at a site: a department's review, the contract, a query back to the
/// sponsor. Several run at once; each is keyed by the office's own name for it.
public struct SetUpStep: Sendable, Hashable, Codable {
    public var cpmsID: Int
    public var siteODS: String
    /// The office's code for the step, e.g. `pharmacy-review` (`SetUpStepKind`).
    public var step: String
    public var heldBy: SetUpHolder
    public var started: Day
    public var completed: Day?
    public var owner: String?
    public var outcome: String?
    public var note: String?

    public init(cpmsID: Int, siteODS: String, step: String, heldBy: SetUpHolder, started: Day, completed: Day? = nil,
                owner: String? = nil, outcome: String? = nil, note: String? = nil) {
        self.cpmsID = cpmsID
        self.siteODS = siteODS
        self.step = step
        self.heldBy = heldBy
        self.started = started
        self.completed = completed
        self.owner = owner
        self.outcome = outcome
        self.note = note
    }

    public var isOpen: Bool { completed == nil }

    /// Calendar days the step took, or has taken so far on `today` while it is open.
    public func days(on today: Day) -> Int {
        max(0, started.days(to: completed ?? today))
    }

    /// Completing this step is the trust's confirmation of capacity and capability: it records the
    /// site's `date_site_confirmed`.
    public var confirmsCapacity: Bool { SetUpStepKind.isInstance(step, of: SetUpStepKind.capacityAndCapability) }

    /// The last pieces before opening, which finish by the day the site must open rather than earlier.
    public var closesSetUp: Bool { confirmsCapacity || SetUpStepKind.isInstance(step, of: SetUpStepKind.initiationVisit) }
}

/// A kind of set-up step in the office's own list: a code that travels in files and a name for pages.
public struct SetUpStepKind: Sendable, Hashable, Codable {
    public let code: String
    public let name: String
    /// Who usually holds it, the form's first choice.
    public let usualHolder: SetUpHolder

    public init(code: String, name: String, usualHolder: SetUpHolder = .provider) {
        self.code = code
        self.name = name
        self.usualHolder = usualHolder
    }

    public static let capacityAndCapability = "capacity-and-capability"
    public static let initiationVisit = "site-initiation-visit"

    /// The list a new office starts with (interchange.md `set-up-steps`), in the order set-up usually runs.
    public static let usual: [SetUpStepKind] = [
        SetUpStepKind(code: "local-information-pack", name: "Local Information Pack from the sponsor", usualHolder: .sponsor),
        SetUpStepKind(code: "pharmacy-review", name: "Pharmacy review"),
        SetUpStepKind(code: "laboratory-review", name: "Laboratory and pathology review"),
        SetUpStepKind(code: "imaging-review", name: "Imaging review"),
        SetUpStepKind(code: "finance-review", name: "Finance and costing review"),
        SetUpStepKind(code: "contract", name: "Contract"),
        SetUpStepKind(code: "information-governance", name: "Information governance review"),
        SetUpStepKind(code: "sponsor-query", name: "Query with the sponsor", usualHolder: .sponsor),
        SetUpStepKind(code: capacityAndCapability, name: "Confirmation of capacity and capability"),
        SetUpStepKind(code: initiationVisit, name: "Site initiation visit", usualHolder: .sponsor),
    ]

    /// A step's code: lower-case letters and digits in words joined by hyphens, at most 60 characters.
    public static func codeProblem(_ code: String) -> String? {
        let words = code.split(separator: "-", omittingEmptySubsequences: false)
        let wellFormed = !code.isEmpty && code.count <= 60 && words.allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
        return wellFormed ? nil : "'\(code.prefix(60))' is not a step code: use lower-case words joined by hyphens, for example pharmacy-review"
    }

    /// A code made from a name a person typed ("Radiation protection review" → `radiation-protection-review`).
    public static func code(fromName name: String) -> String {
        var code = ""
        for scalar in name.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                code.unicodeScalars.append(scalar)
            } else if !code.isEmpty, !code.hasSuffix("-") {
                code += "-"
            }
        }
        while code.hasSuffix("-") { code.removeLast() }
        return String(code.prefix(60))
    }

    /// A step recorded again at a site (a second query to the sponsor, a contract sent back) takes its
    /// kind's code with a number: `sponsor-query-2`. This splits such a code into the kind and the number.
    static func numbered(_ code: String) -> (base: String, number: Int)? {
        guard let dash = code.lastIndex(of: "-"), let number = Int(code[code.index(after: dash)...]), number >= 2, number <= 99 else { return nil }
        return (String(code[..<dash]), number)
    }

    /// The kind a code belongs to in the office's list: the code itself, or its kind when it is numbered.
    public static func baseCode(of code: String, in kinds: [SetUpStepKind]) -> String {
        if kinds.contains(where: { $0.code == code }) { return code }
        if let (base, _) = numbered(code), kinds.contains(where: { $0.code == base }) { return base }
        return code
    }

    /// Whether `code` is the step `base`, or that step recorded again.
    public static func isInstance(_ code: String, of base: String) -> Bool {
        code == base || numbered(code)?.base == base
    }

    /// The code for recording a step again at a site that already has `taken`.
    public static func nextCode(for code: String, taken: Set<String>) -> String {
        let base = numbered(code)?.base ?? code
        var number = 2
        while taken.contains("\(base)-\(number)") { number += 1 }
        return "\(base)-\(number)"
    }

    /// The name for a code, from the office's list, else the code in words; a step recorded again is
    /// numbered: "Query with the sponsor (2)".
    public static func name(of code: String, in kinds: [SetUpStepKind]) -> String {
        if let kind = kinds.first(where: { $0.code == code }) { return kind.name }
        if let (base, number) = numbered(code), let kind = kinds.first(where: { $0.code == base }) { return "\(kind.name) (\(number))" }
        let words = code.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
