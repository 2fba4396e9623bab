/// The demo's set-up work and amendments at the host trust: what an office's set-up meeting sees,
/// with fast and slow pharmacy reviews, a contract stuck with a sponsor, and amendments on time,
/// overdue and needing capacity and capability reconfirmed. Every date fits the site's milestones.
enum DemoSetUpWork {
    static func steps(sites: [Site], studies: [Study], asOf: Day, random: inout SeededRandom) -> [SetUpStep] {
        let ctimps = Set(studies.filter { $0.ctimp == true }.map(\.cpmsID))
        let commercial = Set(studies.filter { $0.route == .commercial }.map(\.cpmsID))
        let earliest = asOf.adding(days: -730)
        var steps: [SetUpStep] = []
        let host = sites.filter { $0.siteODS == DemoPortfolio.hostODS && $0.nonConfirmationStatus == nil }.sorted { $0.cpmsID < $1.cpmsID }
        func startOf(_ site: Site) -> Day? { site.dateSiteSelected ?? site.hraApproval?.adding(days: -20) }
        // The contract stuck with a sponsor: the commercial site longest in set-up (any site, if none is commercial).
        let settingUp = host.filter { site in site.dateSiteConfirmed == nil && site.dateSiteOpen == nil && (startOf(site).map { $0 < asOf.adding(days: -20) } ?? false) }
            .sorted { (startOf($0) ?? asOf) < (startOf($1) ?? asOf) }
        let stuck = (settingUp.first { commercial.contains($0.cpmsID) } ?? settingUp.first).map { "\($0.cpmsID)" }
        for site in host {
            guard let start = startOf(site), start >= earliest, start < asOf else { continue }
            // Set-up ends when the trust confirms capacity and capability (or the site opens); until then it is still running.
            let end = min(site.dateSiteConfirmed ?? site.dateSiteOpen ?? asOf, asOf)
            let finished = site.dateSiteConfirmed != nil || site.dateSiteOpen != nil
            func add(_ code: String, _ holder: SetUpHolder, startedAfter offset: ClosedRange<Int>, taking days: ClosedRange<Int>, owner: String?, outcome: String? = "Approved") {
                let started = min(start.adding(days: random.int(offset)), end)
                let due = started.adding(days: random.int(days))
                // Work not yet begun on the demo's day is not on the board.
                guard started < asOf || finished else { return }
                let completed: Day? = finished || due <= end ? min(due, end) : nil
                steps.append(SetUpStep(cpmsID: site.cpmsID, siteODS: site.siteODS, step: code, heldBy: holder, started: started, completed: completed,
                                       owner: owner, outcome: completed == nil ? nil : outcome))
            }
            add("local-information-pack", .sponsor, startedAfter: 0...0, taking: 2...9, owner: "Sponsor's study manager", outcome: "Received complete")
            if ctimps.contains(site.cpmsID) {
                // Pharmacy is where medicines trials wait longest: some reviews take a week, some six.
                add("pharmacy-review", .provider, startedAfter: 5...10, taking: random.chance(0.5) ? 4...9 : 28...45, owner: "Clinical trials pharmacist")
            }
            add("finance-review", .provider, startedAfter: 5...10, taking: 5...18, owner: "Research finance officer")
            if stuck == "\(site.cpmsID)" {
                let started = min(start.adding(days: 8), asOf)
                steps.append(SetUpStep(cpmsID: site.cpmsID, siteODS: site.siteODS, step: "contract", heldBy: .sponsor, started: started,
                                       owner: "Sponsor's contracts team", note: "Redlines with the sponsor's legal team since the first draft"))
            } else {
                add("contract", commercial.contains(site.cpmsID) ? .sponsor : .provider, startedAfter: 8...12, taking: 10...30, owner: "Contracts manager", outcome: "Signed")
            }
            if random.chance(0.4) {
                add("sponsor-query", .sponsor, startedAfter: 10...20, taking: 4...16, owner: "Sponsor", outcome: "Answered")
            }
            if let confirmed = site.dateSiteConfirmed {
                let started = max(start, confirmed.adding(days: -random.int(2...6)))
                steps.append(SetUpStep(cpmsID: site.cpmsID, siteODS: site.siteODS, step: SetUpStepKind.capacityAndCapability, heldBy: .provider,
                                       started: started, completed: confirmed, owner: "R&D manager", outcome: "Confirmed"))
            } else if !finished, site.hraApproval != nil, start.adding(days: 20) < asOf {
                steps.append(SetUpStep(cpmsID: site.cpmsID, siteODS: site.siteODS, step: SetUpStepKind.capacityAndCapability, heldBy: .provider,
                                       started: start.adding(days: 20), owner: "R&D manager"))
            }
        }
        return steps
    }

    static func amendments(sites: [Site], asOf: Day, random: inout SeededRandom) -> [Amendment] {
        let open = sites.filter { site in
            site.siteODS == DemoPortfolio.hostODS && site.closedToRecruitment == nil && (site.dateSiteOpen.map { $0 < asOf.adding(days: -120) } ?? false)
        }.sorted { $0.cpmsID < $1.cpmsID }
        var amendments: [Amendment] = []
        for (index, site) in open.prefix(12).enumerated() {
            guard let opened = site.dateSiteOpen else { continue }
            // Received after the site opened; each pattern is one an office sees every month.
            let received = max(opened.adding(days: 1), asOf.adding(days: -[150, 70, 50, 20, 110, 8][index % 6] - random.int(0...4)))
            let category: AmendmentCategory = received < Day(iso: "2026-04-28") ?? asOf ? [.a, .b, .c][index % 3] : [.substantial, .importantDetail, .minor][index % 3]
            var amendment = Amendment(cpmsID: site.cpmsID, siteODS: site.siteODS, reference: "SA\(String(index % 4 + 1).leftPadded(to: 2))",
                                      received: received, category: category, needsReconfirmation: index % 3 == 0)
            switch index % 6 {
            case 0: // On time, reconfirmed, then implemented.
                amendment.assessed = min(received.adding(days: 21), asOf)
                amendment.implemented = min(received.adding(days: 30), asOf)
                amendment.description = "Protocol version 4.0: an extra follow-up visit at 12 months"
            case 1: // Assessed late, after the window.
                amendment.assessed = min(received.adding(days: 41), asOf)
                amendment.description = "Participant information sheet version 3.1"
            case 2: // Overdue: received 50 days ago and not assessed.
                amendment.description = "New secondary outcome questionnaire"
            case 3: // Received recently, still inside the window; needs reconfirming.
                amendment.description = "Change of principal investigator"
            case 4:
                amendment.assessed = min(received.adding(days: 12), asOf)
                amendment.implemented = min(received.adding(days: 14), asOf)
                amendment.description = "Updated investigator's brochure"
            default:
                amendment.description = "Minor wording changes to the GP letter"
            }
            amendments.append(amendment)
        }
        return amendments
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
