/// One threshold of the national measures as an R&D office sees it: its stored key, what it means,
/// where the number comes from, and the values it may take.
public struct MetricRuleDefinition: Sendable, Identifiable {
    public enum Kind: Sendable {
        /// A whole number of calendar days.
        case days
        /// A share of the pro-rata target written as a decimal, e.g. 0.8 for 80%.
        case fraction
        /// Free text compared without regard to case.
        case text
        /// A whole number of participants.
        case participants
        /// A share of sites or studies from 0.01 to 1, e.g. 0.9 for 90%.
        case share
    }

    public let key: String
    public let name: String
    public let meaning: String
    public let source: String
    public let kind: Kind
    let read: @Sendable (MetricRules) -> String
    let write: @Sendable (inout MetricRules, String) -> Void
    let parse: @Sendable (String) -> String?

    public var id: String { key }

    public func value(in rules: MetricRules) -> String { read(rules) }

    /// Every rule, in the order the admin page lists them.
    public static let all: [MetricRuleDefinition] = [
        days("pid_initiating_days", "PID initiating benchmark",
             "Days from the date the site was selected to its first participant, for the PID initiating return.",
             source: "NIHR Performance in Initiating and Delivering clinical research, 2016/17 onwards: 70 days",
             \.pidInitiatingDays),
        days("kpi_open_days", "UK KPI: site open",
             "Days from the HRA approval letter to the site opening.",
             source: "UK clinical research delivery key performance indicators: 60 days",
             \.kpiOpenDays),
        days("kpi_first_participant_days", "UK KPI: first participant",
             "Days from the site opening to its first participant.",
             source: "UK clinical research delivery key performance indicators: 30 days",
             \.kpiFirstParticipantDays),
        days("kpi_set_up_days", "UK KPI: 150-day set-up",
             "Days from regulatory submission to first participant, for commercial contract CTIMPs.",
             source: "UK 150-day clinical trial set-up target, from March 2026: 150 days",
             \.kpiSetUpDays),
        fraction("traffic_light_green_from", "Traffic light: green from",
                 "An open site is green when its recruitment is at least this share of its pro-rata target (RTT + 1).",
                 source: "Local practice (Leicestershire): green at 100% of the pro-rata target, 1.0",
                 \.greenFrom),
        fraction("traffic_light_amber_from", "Traffic light: amber from",
                 "An open site below green is amber when its recruitment is at least this share of its pro-rata target; red below.",
                 source: "Local practice (Leicestershire): amber from 80% of the pro-rata target, 0.8",
                 \.amberFrom),
        share("ambition_on_track", "Ambition: open studies on track",
              "The share of open studies with a plan that should be on track; the dashboard's light compares the share achieved with it.",
              source: "NIHR recruitment to time and target: 80% of open studies on track, 0.8",
              \.onTrackAmbition),
        share("ambition_pid_initiating", "Ambition: PID initiating benchmark met",
              "The share of trials that should meet the PID initiating benchmark.",
              source: "NIHR high level objective for initiating clinical research: 80% of trials within 70 days, 0.8",
              \.pidInitiatingAmbition),
        share("ambition_kpi_open", "Ambition: sites open within the KPI",
              "The share of sites that should open within the KPI's days of HRA approval.",
              source: "UK clinical research delivery key performance indicators: 90% (commercial), 0.9",
              \.kpiOpenAmbition),
        share("ambition_kpi_first_participant", "Ambition: first participant within the KPI",
              "The share of sites that should recruit their first participant within the KPI's days of opening.",
              source: "UK clinical research delivery key performance indicators: 90% (commercial), 0.9",
              \.kpiFirstParticipantAmbition),
        share("ambition_kpi_set_up", "Ambition: 150-day set-up met",
              "The share of commercial contract CTIMPs that should be set up within the 150 days.",
              source: "No national share is published; Pace starts at the 90% of the other UK KPIs, 0.9",
              \.kpiSetUpAmbition),
        days("forecast_window_days", "Forecast window",
             "Days of recent recruitment the forecast date to reach target extrapolates from.",
             source: "Pace interchange rules: the last 90 days",
             \.forecastWindowDays),
        days("amendment_assessment_days", "Amendment assessment window",
             "Days from the site receiving an amendment to the trust completing its assessment; after it the sponsor may implement, and an unassessed amendment is overdue.",
             source: "HRA: an NHS organisation has 35 calendar days to raise any objection to an amendment",
             \.amendmentAssessmentDays),
        days("set_up_closing_days", "Set-up: days kept for confirming and opening",
             "Days kept between the last set-up review and the date the site must open (HRA approval plus the open KPI's days), for the confirmation of capacity and capability and the initiation visit. Each open step must finish this many days before that date.",
             source: "Local practice: 10 days",
             \.setUpClosingDays),
        days("gcp_training_renewal_days", "GCP training renewal",
             "Days a person's Good Clinical Practice training stays current before it must be renewed; nobody may be delegated trial duties without current training.",
             source: "The trust's training policy (ICH E6(R3) leaves the interval to the organisation): 730 days, 2 years",
             \.gcpTrainingRenewalDays),
        MetricRuleDefinition(
            key: "count_confirmation_per_month", name: "Counts that need confirming",
            meaning: "A recruitment count above this many participants for each month of its period, or above the site's whole target, is saved only when a person confirms it is right.",
            source: "Pace data-quality rule: 100 a month, well above any single site's monthly recruitment in the trust's portfolio",
            kind: .participants,
            read: { String($0.countConfirmationPerMonth) },
            write: { rules, text in if let number = Int(text) { rules.countConfirmationPerMonth = number } },
            parse: { text in
                guard let number = Int(text.trimmingSpaces), (1...100_000).contains(number) else { return nil }
                return String(number)
            }
        ),
        MetricRuleDefinition(
            key: "on_track_intention", name: "Sponsor's intention counted as on track",
            meaning: "A site whose sponsor has agreed this intention is on track whatever its RTT.",
            source: "NIHR recruitment to time and target for open studies, January 2021: \"on track as per study milestones\"",
            kind: .text,
            read: { $0.onTrackIntention },
            write: { $0.onTrackIntention = $1 },
            parse: { text in
                let trimmed = text.trimmingSpaces
                return trimmed.isEmpty || trimmed.count > 200 || RowReader.containsControlCharacter(trimmed) ? nil : trimmed
            }
        ),
    ]

    public static func named(_ key: String) -> MetricRuleDefinition? {
        all.first { $0.key == key }
    }

    /// The value as stored, or a sentence saying what is allowed.
    public func checked(_ text: String) -> Result<String, FieldProblem> {
        if let value = parse(text) { return .success(value) }
        let allowed = switch kind {
        case .days: "a whole number of days from 1 to 3650"
        case .fraction: "a decimal from 0.01 to 5, e.g. 0.8 for 80%"
        case .text: "text of 1 to 200 characters"
        case .participants: "a whole number of participants from 1 to 100000"
        case .share: "a decimal from 0.01 to 1, e.g. 0.9 for 90%"
        }
        return .failure(FieldProblem(column: key, message: "'\(text)' is not allowed: write \(allowed)."))
    }

    private static func days(_ key: String, _ name: String, _ meaning: String, source: String, _ path: WritableKeyPath<MetricRules, Int> & Sendable) -> MetricRuleDefinition {
        MetricRuleDefinition(
            key: key, name: name, meaning: meaning, source: source, kind: .days,
            read: { String($0[keyPath: path]) },
            write: { rules, text in if let number = Int(text) { rules[keyPath: path] = number } },
            parse: { text in
                guard let number = Int(text.trimmingSpaces), (1...3650).contains(number) else { return nil }
                return String(number)
            }
        )
    }

    /// A share from 1% to 100%, written as a decimal.
    private static func share(_ key: String, _ name: String, _ meaning: String, source: String, _ path: WritableKeyPath<MetricRules, Double> & Sendable) -> MetricRuleDefinition {
        fraction(key, name, meaning, source: source, path, kind: .share, maximum: 1)
    }

    private static func fraction(
        _ key: String, _ name: String, _ meaning: String, source: String, _ path: WritableKeyPath<MetricRules, Double> & Sendable,
        kind: Kind = .fraction, maximum: Double = 5
    ) -> MetricRuleDefinition {
        MetricRuleDefinition(
            key: key, name: name, meaning: meaning, source: source, kind: kind,
            read: { MetricRuleDefinition.decimal($0[keyPath: path]) },
            write: { rules, text in if let number = Double(text) { rules[keyPath: path] = number } },
            parse: { text in
                guard let number = Double(text.trimmingSpaces), number.isFinite, number >= 0.01, number <= maximum else { return nil }
                return MetricRuleDefinition.decimal(number)
            }
        )
    }

    /// Shortest plain decimal: 1.0 → "1", 0.8 → "0.8".
    static func decimal(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e9 ? String(Int(number)) : String(number)
    }
}

extension MetricRules {
    /// The rules with stored values applied over the national defaults; unknown keys and values that
    /// no longer pass their check are ignored so a bad row can never stop a report.
    public init(stored: [String: String]) {
        var rules = MetricRules.national
        for definition in MetricRuleDefinition.all {
            guard let text = stored[definition.key], case .success(let value) = definition.checked(text) else { continue }
            definition.write(&rules, value)
        }
        self = rules
    }

    /// These rules with one rule set to an already checked value.
    public func setting(_ definition: MetricRuleDefinition, to value: String) -> MetricRules {
        var rules = self
        definition.write(&rules, value)
        return rules
    }

    /// Each rule's value as it is stored.
    public var stored: [String: String] {
        Dictionary(uniqueKeysWithValues: MetricRuleDefinition.all.map { ($0.key, $0.value(in: self)) })
    }

    /// Problems that a set of rules would cause together (the single values are checked on their own).
    public var consistencyProblems: [FieldProblem] {
        amberFrom > greenFrom
            ? [FieldProblem(column: "traffic_light_amber_from", message: "amber must start at or below green (\(MetricRuleDefinition.decimal(greenFrom))).")]
            : []
    }
}
