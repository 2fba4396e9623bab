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
    public var confirmsCapacity: Bool { step == SetUpStepKind.capacityAndCapability }
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
        SetUpStepKind(code: "site-initiation-visit", name: "Site initiation visit", usualHolder: .sponsor),
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

    /// The name for a code, from the office's list, else the code in words.
    public static func name(of code: String, in kinds: [SetUpStepKind]) -> String {
        if let kind = kinds.first(where: { $0.code == code }) { return kind.name }
        let words = code.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
