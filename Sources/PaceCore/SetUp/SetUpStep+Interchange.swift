extension SetUpStep: InterchangeRecord {
    public static let kind = InterchangeKind.setUpSteps

    public static let columns = [
        InterchangeColumn("cpms_id", required: true, type: .integer),
        InterchangeColumn("site_ods", required: true),
        InterchangeColumn("step", required: true),
        InterchangeColumn("held_by", required: true),
        InterchangeColumn("started", required: true, type: .day),
        InterchangeColumn("completed", type: .day),
        InterchangeColumn("owner"),
        InterchangeColumn("outcome"),
        InterchangeColumn("note"),
    ]

    public init?(reading row: inout RowReader) {
        let cpmsID = row.cpmsID()
        let siteODS = row.odsCode("site_ods", required: true)
        var step = row.text("step", required: true, maxLength: 60)?.lowercased()
        if let code = step, let problem = SetUpStepKind.codeProblem(code) {
            row.problem("step", problem)
            step = nil
        }
        let heldBy = row.code("held_by", SetUpHolder.self, required: true)
        let started = row.actualDay("started", required: true)
        let completed = row.actualDay("completed")
        row.requireOrder(started, "started", completed, "completed")
        let owner = row.text("owner", maxLength: 200)
        let outcome = row.text("outcome", maxLength: 200)
        let note = row.text("note", maxLength: 2_000)
        guard row.problems.isEmpty, let cpmsID, let siteODS, let step, let heldBy, let started else { return nil }
        self.init(cpmsID: cpmsID, siteODS: siteODS, step: step, heldBy: heldBy, started: started, completed: completed,
                  owner: owner, outcome: outcome, note: note)
    }

    public var csvFields: [String] {
        [
            String(cpmsID), siteODS, step, heldBy.rawValue, started.iso, InterchangeValue.day(completed),
            InterchangeValue.text(owner), InterchangeValue.text(outcome), InterchangeValue.text(note),
        ]
    }

    public var keyDescription: String { "set-up step \(step) of CPMS \(cpmsID) at \(siteODS)" }
}
