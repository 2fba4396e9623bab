extension Organisation: InterchangeRecord {
    public static let kind = InterchangeKind.organisations

    public static let columns = [
        InterchangeColumn("ods_code", required: true),
        InterchangeColumn("name", required: true),
        InterchangeColumn("type", required: true),
        InterchangeColumn("subtype"),
    ]

    public init?(reading row: inout RowReader) {
        let odsCode = row.odsCode("ods_code", required: true)
        let name = row.text("name", required: true)
        let type = row.code("type", OrganisationType.self, required: true)
        let subtype = row.text("subtype", maxLength: 60)?.lowercased()
        guard row.problems.isEmpty, let odsCode, let name, let type else { return nil }
        self.init(odsCode: odsCode, name: name, type: type, subtype: subtype)
    }

    public var csvFields: [String] {
        [odsCode, name, type.rawValue, InterchangeValue.text(subtype)]
    }

    public var keyDescription: String { odsCode }
}
