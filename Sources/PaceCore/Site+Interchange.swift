extension Site: InterchangeRecord {
    public static let kind = InterchangeKind.sites

    public static let columns = [
        InterchangeColumn("cpms_id", required: true, type: .integer),
        InterchangeColumn("site_ods", required: true),
        InterchangeColumn("role", required: true),
        InterchangeColumn("local_pi"),
        InterchangeColumn("site_target", type: .integer),
        InterchangeColumn("planned_recruitment_start", type: .day),
        InterchangeColumn("planned_recruitment_end", type: .day),
    ] + Milestone.allCases.map { InterchangeColumn($0.rawValue, type: .day) } + [
        InterchangeColumn("non_confirmation_status"),
        InterchangeColumn("delay_reason"),
        InterchangeColumn("delay_attribution"),
        InterchangeColumn("sponsor_intention"),
    ]

    public init?(reading row: inout RowReader) {
        let cpmsID = row.cpmsID()
        let siteODS = row.odsCode("site_ods", required: true)
        let role = row.code("role", SiteRole.self, required: true)
        let principalInvestigator = row.text("local_pi", maxLength: 100)
        let target = row.integer("site_target", in: 0...10_000_000)
        let start = row.day("planned_recruitment_start")
        let end = row.day("planned_recruitment_end")
        row.requireOrder(start, "planned_recruitment_start", end, "planned_recruitment_end")
        var days: [Milestone: Day] = [:]
        for milestone in Milestone.allCases {
            days[milestone] = row.actualDay(milestone.rawValue)
        }
        row.requireSetUpOrder { days[$0] }
        let nonConfirmation = row.text("non_confirmation_status", maxLength: 100)
        let delayReason = row.text("delay_reason", maxLength: 200)
        let attribution = row.code("delay_attribution", DelayAttribution.self)
        let intention = row.text("sponsor_intention", maxLength: 200)
        guard row.problems.isEmpty, let cpmsID, let siteODS, let role else { return nil }
        self.init(cpmsID: cpmsID, siteODS: siteODS, role: role)
        localPI = principalInvestigator
        siteTarget = target
        plannedRecruitmentStart = start
        plannedRecruitmentEnd = end
        dateSiteInvited = days[.invited]
        dateSiteSelected = days[.selected]
        regulatorySubmission = days[.regulatorySubmission]
        hraApproval = days[.hraApproval]
        dateSiteConfirmedBySponsor = days[.confirmedBySponsor]
        dateSiteConfirmed = days[.confirmed]
        dateSiteOpen = days[.open]
        firstParticipantRecruited = days[.firstParticipant]
        lastParticipantRecruited = days[.lastParticipant]
        closedToRecruitment = days[.closedToRecruitment]
        nonConfirmationStatus = nonConfirmation
        self.delayReason = delayReason
        delayAttribution = attribution
        sponsorIntention = intention
    }

    public var csvFields: [String] {
        [
            String(cpmsID), siteODS, role.rawValue, InterchangeValue.text(localPI), InterchangeValue.integer(siteTarget),
            InterchangeValue.day(plannedRecruitmentStart), InterchangeValue.day(plannedRecruitmentEnd),
        ] + Milestone.allCases.map { InterchangeValue.day(self[milestone: $0]) } + [
            InterchangeValue.text(nonConfirmationStatus), InterchangeValue.text(delayReason),
            InterchangeValue.code(delayAttribution), InterchangeValue.text(sponsorIntention),
        ]
    }

    public var keyDescription: String { "CPMS \(cpmsID) at \(siteODS)" }
}
