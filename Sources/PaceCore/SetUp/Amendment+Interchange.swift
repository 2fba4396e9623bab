extension Amendment: InterchangeRecord {
    public static let kind = InterchangeKind.amendments

    public static let columns = [
        InterchangeColumn("cpms_id", required: true, type: .integer),
        InterchangeColumn("site_ods", required: true),
        InterchangeColumn("amendment_ref", required: true),
        InterchangeColumn("received", required: true, type: .day),
        InterchangeColumn("category"),
        InterchangeColumn("needs_reconfirmation", type: .boolean),
        InterchangeColumn("assessed", type: .day),
        InterchangeColumn("implemented", type: .day),
        InterchangeColumn("description"),
    ]

    public init?(reading row: inout RowReader) {
        let cpmsID = row.cpmsID()
        let siteODS = row.odsCode("site_ods", required: true)
        var reference = row.text("amendment_ref", required: true, maxLength: 60)
        if let given = reference, let problem = Amendment.referenceProblem(given) {
            row.problem("amendment_ref", problem)
            reference = nil
        }
        let received = row.actualDay("received", required: true)
        let category = row.code("category", AmendmentCategory.self)
        let needsReconfirmation = row.boolean("needs_reconfirmation")
        let assessed = row.actualDay("assessed")
        let implemented = row.actualDay("implemented")
        row.requireOrder(received, "received", assessed, "assessed")
        row.requireOrder(received, "received", implemented, "implemented")
        // Continuing capacity and capability is confirmed before the change is made at the site.
        if needsReconfirmation == true, let implemented {
            if let assessed {
                row.requireOrder(assessed, "assessed", implemented, "implemented")
            } else {
                row.problem("implemented", "is set but the amendment needs capacity and capability reconfirmed first: enter the date it was assessed")
            }
        }
        let description = row.text("description", maxLength: 2_000)
        guard row.problems.isEmpty, let cpmsID, let siteODS, let reference, let received else { return nil }
        self.init(cpmsID: cpmsID, siteODS: siteODS, reference: reference, received: received, category: category,
                  needsReconfirmation: needsReconfirmation, assessed: assessed, implemented: implemented, description: description)
    }

    public var csvFields: [String] {
        [
            String(cpmsID), siteODS, reference, received.iso, InterchangeValue.code(category), InterchangeValue.boolean(needsReconfirmation),
            InterchangeValue.day(assessed), InterchangeValue.day(implemented), InterchangeValue.text(description),
        ]
    }

    public var keyDescription: String { "amendment \(reference) of CPMS \(cpmsID) at \(siteODS)" }
}
