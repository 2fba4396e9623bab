extension Study: InterchangeRecord {
    public static let kind = InterchangeKind.studies

    public static let columns = [
        InterchangeColumn("cpms_id", required: true, type: .integer),
        InterchangeColumn("iras_id"),
        InterchangeColumn("short_name", required: true),
        InterchangeColumn("title"),
        InterchangeColumn("route", required: true),
        InterchangeColumn("design"),
        InterchangeColumn("ctimp", type: .boolean),
        InterchangeColumn("phase"),
        InterchangeColumn("managing_specialty"),
        InterchangeColumn("chief_investigator"),
        InterchangeColumn("sample_size", type: .integer),
        InterchangeColumn("planned_open", type: .day),
        InterchangeColumn("actual_open", type: .day),
        InterchangeColumn("planned_close", type: .day),
        InterchangeColumn("actual_close", type: .day),
        InterchangeColumn("status"),
        InterchangeColumn("sponsor_ods"),
        InterchangeColumn("themes", type: .list),
    ]

    public static let themeLimit = 20

    public init?(reading row: inout RowReader) {
        let cpmsID = row.cpmsID()
        let irasID = row.text("iras_id", maxLength: 20)
        if let irasID, !Identifiers.isIRASID(irasID) {
            row.problem("iras_id", "'\(irasID)' is not an IRAS ID (digits only)")
        }
        let shortName = row.text("short_name", required: true, maxLength: 100)
        let title = row.text("title", maxLength: 500)
        let route = row.code("route", StudyRoute.self, required: true)
        let design = row.code("design", StudyDesign.self)
        let ctimp = row.boolean("ctimp")
        let phase = row.text("phase", maxLength: 30)
        let specialty = row.text("managing_specialty", maxLength: 100)
        let chiefInvestigator = row.text("chief_investigator", maxLength: 100)
        let sampleSize = row.integer("sample_size", in: 0...10_000_000)
        let plannedOpen = row.day("planned_open")
        let actualOpen = row.actualDay("actual_open")
        let plannedClose = row.day("planned_close")
        let actualClose = row.actualDay("actual_close")
        row.requireOrder(plannedOpen, "planned_open", plannedClose, "planned_close")
        row.requireOrder(actualOpen, "actual_open", actualClose, "actual_close")
        var status: StudyStatus?
        if let text = row.text("status", maxLength: 60) {
            status = StudyStatus(lenient: text)
            if status == nil {
                row.problem("status", "'\(text)' is not a national study status: \(StudyStatus.allCases.map(\.rawValue).joined(separator: "; "))")
            }
        }
        let sponsor = row.odsCode("sponsor_ods")
        var themes: [String] = []
        if let text = row.text("themes", maxLength: 2_000) {
            for theme in text.split(separator: ";").map(\.trimmingSpaces) where !theme.isEmpty && !themes.contains(theme) {
                if theme.count > 100 {
                    row.problem("themes", "theme '\(theme.prefix(30))…' is longer than 100 characters")
                } else {
                    themes.append(theme)
                }
            }
            if themes.count > Study.themeLimit {
                row.problem("themes", "has more than \(Study.themeLimit) themes")
            }
        }
        guard row.problems.isEmpty, let cpmsID, let shortName, let route else { return nil }
        self.init(
            cpmsID: cpmsID, irasID: irasID, shortName: shortName, title: title, route: route, design: design,
            ctimp: ctimp, phase: phase, managingSpecialty: specialty, chiefInvestigator: chiefInvestigator,
            sampleSize: sampleSize, plannedOpen: plannedOpen, actualOpen: actualOpen, plannedClose: plannedClose,
            actualClose: actualClose, status: status, sponsorODS: sponsor, themes: themes
        )
    }

    public var csvFields: [String] {
        [
            String(cpmsID), InterchangeValue.text(irasID), shortName, InterchangeValue.text(title), route.rawValue,
            InterchangeValue.code(design), InterchangeValue.boolean(ctimp), InterchangeValue.text(phase),
            InterchangeValue.text(managingSpecialty), InterchangeValue.text(chiefInvestigator),
            InterchangeValue.integer(sampleSize), InterchangeValue.day(plannedOpen), InterchangeValue.day(actualOpen),
            InterchangeValue.day(plannedClose), InterchangeValue.day(actualClose), InterchangeValue.code(status),
            InterchangeValue.text(sponsorODS), InterchangeValue.list(themes),
        ]
    }

    public var keyDescription: String { "CPMS \(cpmsID)" }
}
