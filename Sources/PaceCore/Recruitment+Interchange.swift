extension Participant: InterchangeRecord {
    public static let kind = InterchangeKind.participants

    public static let columns = [
        InterchangeColumn("cpms_id", required: true, type: .integer),
        InterchangeColumn("site_ods", required: true),
        InterchangeColumn("participant_id", required: true),
        InterchangeColumn("status", required: true),
        InterchangeColumn("consent_date", type: .day),
        InterchangeColumn("recruited_date", type: .day),
        InterchangeColumn("withdrawn_date", type: .day),
        InterchangeColumn("identified_by_ods"),
    ]

    public init?(reading row: inout RowReader) {
        let cpmsID = row.cpmsID()
        let siteODS = row.odsCode("site_ods", required: true)
        let participantID = row.text("participant_id", required: true, maxLength: 200)
        if let participantID, let problem = Identifiers.participantIDProblem(participantID) {
            row.problem("participant_id", problem.description)
        }
        let status = row.code("status", ParticipantStatus.self, required: true)
        let consent = row.actualDay("consent_date")
        let recruited = row.actualDay("recruited_date")
        let withdrawn = row.actualDay("withdrawn_date")
        row.requireOrder(consent, "consent_date", recruited, "recruited_date")
        row.requireOrder(recruited ?? consent, recruited == nil ? "consent_date" : "recruited_date", withdrawn, "withdrawn_date")
        let datesRefused = row.problems.contains { $0.column == "consent_date" || $0.column == "recruited_date" }
        if let status, status.countsAsRecruited, consent == nil, recruited == nil, !datesRefused {
            row.problem("recruited_date", "a \(status.rawValue) participant needs a recruited_date or consent_date")
        }
        if recruited != nil, let status, !status.countsAsRecruited {
            row.problem("recruited_date", "is set but a \(status.rawValue) participant was not recruited: clear the date, or set the status to recruited")
        }
        if withdrawn != nil, status != .withdrawn {
            row.problem("withdrawn_date", "is set but status is not withdrawn")
        }
        let identifiedBy = row.odsCode("identified_by_ods")
        guard row.problems.isEmpty, let cpmsID, let siteODS, let participantID, let status else { return nil }
        self.init(
            cpmsID: cpmsID, siteODS: siteODS, participantID: participantID, status: status, consentDate: consent,
            recruitedDate: recruited, withdrawnDate: withdrawn, identifiedByODS: identifiedBy
        )
    }

    public var csvFields: [String] {
        [
            String(cpmsID), siteODS, participantID, status.rawValue, InterchangeValue.day(consentDate),
            InterchangeValue.day(recruitedDate), InterchangeValue.day(withdrawnDate), InterchangeValue.text(identifiedByODS),
        ]
    }

    public var keyDescription: String { "participant \(participantID) of CPMS \(cpmsID) at \(siteODS)" }
}

extension RecruitmentCount: InterchangeRecord {
    public static let kind = InterchangeKind.recruitmentCounts

    public static let columns = [
        InterchangeColumn("cpms_id", required: true, type: .integer),
        InterchangeColumn("site_ods", required: true),
        InterchangeColumn("period_start", required: true, type: .day),
        InterchangeColumn("period_end", required: true, type: .day),
        InterchangeColumn("count", required: true, type: .integer),
        InterchangeColumn("confirmed", type: .boolean),
    ]

    public init?(reading row: inout RowReader) {
        let cpmsID = row.cpmsID()
        let siteODS = row.odsCode("site_ods", required: true)
        let start = row.actualDay("period_start", required: true)
        let end = row.actualDay("period_end", required: true)
        row.requireOrder(start, "period_start", end, "period_end")
        let count = row.integer("count", required: true, in: 0...1_000_000)
        let confirmed = row.boolean("confirmed") ?? false
        guard row.problems.isEmpty, let cpmsID, let siteODS, let start, let end, let count else { return nil }
        self.init(cpmsID: cpmsID, siteODS: siteODS, periodStart: start, periodEnd: end, count: count, confirmed: confirmed)
    }

    public var csvFields: [String] {
        [String(cpmsID), siteODS, periodStart.iso, periodEnd.iso, String(count), confirmed ? "yes" : "no"]
    }

    public var keyDescription: String { "count of CPMS \(cpmsID) at \(siteODS) from \(periodStart)" }
}
