import PaceCore

/// The OpenAPI 3.1 description of /api/v1. Record schemas are generated from the interchange columns,
/// so the document cannot drift from what the API accepts; a test checks its paths against the routes.
enum OpenAPIDocument {
    struct Operation {
        let method: String
        let path: String
        let id: String
        let summary: String
        var body: String?
        var success: Int = 200
        var query: [(String, String)] = []
        /// The success body is a JSON array rather than an object.
        var list = false
    }

    static let operations: [Operation] = [
        Operation(method: "get", path: "/api/v1/openapi.json", id: "getOpenAPI", summary: "This document"),
        Operation(method: "get", path: "/api/v1/studies", id: "listStudies", summary: "List studies, filtered and paged",
                  query: [("q", "Search in name, title, CPMS and IRAS ID"), ("phase", "set-up, open or closed"), ("status", "A national study status"),
                          ("route", "commercial or non-commercial"), ("design", "interventional, observational or other"), ("theme", "A theme"),
                          ("partner", "An organisation code"), ("role", "The host organisation's site role"), ("page", "Page number, from 1"),
                          ("per_page", "Studies per page, 1–200")]),
        Operation(method: "post", path: "/api/v1/studies", id: "createStudy", summary: "Add a study", body: "Study", success: 201),
        Operation(method: "get", path: "/api/v1/studies/{cpms_id}", id: "getStudy", summary: "A study with its partners and sites"),
        Operation(method: "put", path: "/api/v1/studies/{cpms_id}", id: "updateStudy", summary: "Replace a study's record", body: "Study"),
        Operation(method: "get", path: "/api/v1/studies/{cpms_id}/sites", id: "listSites", summary: "A study's sites"),
        Operation(method: "post", path: "/api/v1/studies/{cpms_id}/sites", id: "createSite", summary: "Add a site to a study", body: "Site", success: 201),
        Operation(method: "get", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}", id: "getSite", summary: "A site with its recruitment"),
        Operation(method: "put", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}", id: "updateSite", summary: "Replace a site's record and milestones", body: "Site"),
        Operation(method: "get", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/participants", id: "listParticipants", summary: "A site's participants, paged",
                  query: [("page", "Page number, from 1"), ("per_page", "Participants per page, 1–1000")]),
        Operation(method: "post", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/participants", id: "createParticipant", summary: "Record a participant", body: "Participant", success: 201),
        Operation(method: "get", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/counts", id: "listCounts", summary: "A site's recruitment counts"),
        Operation(method: "post", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/counts", id: "createCount", summary: "Record a recruitment count for a period", body: "RecruitmentCount", success: 201),
        Operation(method: "put", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/participants/{participant_id}", id: "correctParticipant",
                  summary: "Correct a participant's record (status, dates, identifying PIC), e.g. to record a withdrawal; needs X-Pace-Reason", body: "Participant"),
        Operation(method: "delete", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/participants/{participant_id}", id: "removeParticipant",
                  summary: "Remove a participant record entered by mistake; it leaves every report and stays in the audit trail. Needs X-Pace-Reason", success: 204),
        Operation(method: "put", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/counts/{period_start}", id: "correctCount",
                  summary: "Correct a recruitment count (period_end, count, confirmed); needs X-Pace-Reason", body: "RecruitmentCount"),
        Operation(method: "delete", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/counts/{period_start}", id: "removeCount",
                  summary: "Remove a recruitment count entered by mistake or twice; needs X-Pace-Reason", success: 204),
        Operation(method: "delete", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}", id: "removeSite",
                  summary: "Remove a site that holds no recruitment or GCP records (409 otherwise); needs X-Pace-Reason", success: 204),
        Operation(method: "delete", path: "/api/v1/studies/{cpms_id}", id: "removeStudy",
                  summary: "Remove a study with no sites, documents or team (409 otherwise); needs X-Pace-Reason", success: 204),
        Operation(method: "delete", path: "/api/v1/organisations/{ods_code}", id: "removeOrganisation",
                  summary: "Remove an organisation nothing points at (409 otherwise); needs X-Pace-Reason", success: 204),
        Operation(method: "get", path: "/api/v1/organisations", id: "listOrganisations", summary: "All organisations"),
        Operation(method: "post", path: "/api/v1/organisations", id: "createOrganisation", summary: "Add an organisation", body: "Organisation", success: 201),
        Operation(method: "get", path: "/api/v1/organisations/{ods_code}", id: "getOrganisation", summary: "An organisation and its studies"),
        Operation(method: "put", path: "/api/v1/organisations/{ods_code}", id: "updateOrganisation", summary: "Replace an organisation's record", body: "Organisation"),
        Operation(method: "get", path: "/api/v1/reports/sites", id: "sitesReport", summary: "Every site's recruitment, RTT, traffic light, set-up intervals and forecast on a day",
                  query: [("on", "The day, YYYY-MM-DD (default today)"), ("organisation", "Only this organisation's sites"), ("format", "json (default) or csv")]),
        Operation(method: "get", path: "/api/v1/reports/pid-initiating", id: "pidInitiatingReport", summary: "The PID initiating return for a quarter",
                  query: [("quarter", "The financial quarter, e.g. 2025-26-Q4 (default the last complete quarter)"), ("organisation", "ODS code (default the host)"), ("format", "json (default) or csv")]),
        Operation(method: "get", path: "/api/v1/reports/pid-delivering", id: "pidDeliveringReport", summary: "The PID delivering return for a quarter",
                  query: [("quarter", "The financial quarter, e.g. 2025-26-Q4 (default the last complete quarter)"), ("organisation", "ODS code (default the host)"), ("format", "json (default) or csv")]),
        Operation(method: "get", path: "/api/v1/reports/kpis", id: "kpiReport", summary: "The UK KPIs for a period: open within 60 days, first participant within 30, 150-day set-up, open studies on track, average monthly recruitment, new studies",
                  query: [("from", "First day, YYYY-MM-DD (default the start of this financial year)"), ("to", "Last day (default today)"), ("organisation", "Only this organisation's sites"),
                          ("by", "month: each calendar month as well as the whole period"), ("format", "json (default) or csv")]),
        Operation(method: "get", path: "/api/v1/reports/league-table", id: "leagueTable", summary: "The league table for a financial year",
                  query: [("year", "The financial year, e.g. 2025-26 (default the last complete one)"), ("format", "json (default) or csv")]),
        Operation(method: "get", path: "/api/v1/reports/activity", id: "activity", summary: "Participants, recruiting studies and new studies month by month",
                  query: [("from", "The first month, YYYY-MM (default the start of the financial year of last month)"), ("to", "The last month, YYYY-MM (default last month)"),
                          ("organisation", "Only this organisation's sites (default all)"), ("format", "json (default) or csv")]),
        Operation(method: "get", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/set-up-steps", id: "listSetUpSteps", summary: "A site's set-up steps: who holds each, when it started and finished"),
        Operation(method: "post", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/set-up-steps", id: "createSetUpStep",
                  summary: "Record a set-up step; completing capacity-and-capability records the site's date_site_confirmed", body: "SetUpStep", success: 201),
        Operation(method: "put", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/set-up-steps/{step}", id: "updateSetUpStep", summary: "Change or complete a set-up step", body: "SetUpStep"),
        Operation(method: "delete", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/set-up-steps/{step}", id: "removeSetUpStep", summary: "Remove a set-up step recorded by mistake; needs X-Pace-Reason", success: 204),
        Operation(method: "get", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/amendments", id: "listAmendments", summary: "A site's amendments with each one's assessment due day and whether it is overdue"),
        Operation(method: "post", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/amendments", id: "createAmendment", summary: "Record an amendment the site received", body: "Amendment", success: 201),
        Operation(method: "put", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/amendments/{amendment_ref}", id: "updateAmendment", summary: "Change an amendment: assessed, reconfirmed, implemented", body: "Amendment"),
        Operation(method: "delete", path: "/api/v1/studies/{cpms_id}/sites/{ods_code}/amendments/{amendment_ref}", id: "removeAmendment", summary: "Remove an amendment recorded by mistake; needs X-Pace-Reason", success: 204),
        Operation(method: "get", path: "/api/v1/reports/set-up-time", id: "setUpTimeReport", summary: "Set-up steps completed in a window by step and holder: median, 90th percentile and total days",
                  query: [("from", "First day, YYYY-MM-DD (default the start of this financial year)"), ("to", "Last day (default today)"), ("organisation", "ODS code (default the host)"), ("format", "json (default) or csv")]),
        Operation(method: "get", path: "/api/v1/reports/amendments", id: "amendmentsReport", summary: "Amendments received by a day, with the assessment window: overdue and on time",
                  query: [("on", "The day, YYYY-MM-DD (default today)"), ("organisation", "ODS code (default the host)"), ("format", "json (default) or csv")]),
        Operation(method: "get", path: "/api/v1/metric-rules", id: "listMetricRules", summary: "The thresholds in force behind every measure, with their sources", list: true),
        Operation(method: "get", path: "/api/v1/audit-events", id: "exportAuditTrail", summary: "The whole audit trail, oldest first, as JSON or CSV (format=csv), for an inspector",
                  query: [("format", "json (default) or csv")], list: true),
        Operation(method: "get", path: "/api/v1/people", id: "listPeople", summary: "Staff and researchers with their GCP training and whether it is current", list: true),
        Operation(method: "post", path: "/api/v1/people", id: "addPerson", summary: "Add a person (name, email, job_title); never a patient", body: "Person", success: 201),
        Operation(method: "post", path: "/api/v1/people/{person_id}/training", id: "addTraining", summary: "Record completed training (course, completed_on, provider)", body: "GCPRecord", success: 201),
        Operation(method: "get", path: "/api/v1/attention", id: "needsAttention", summary: "What the R&D office should look at today: overdue milestones, quiet sites, training, late safety reports, overdue monitoring actions", list: true),
        Operation(method: "get", path: "/api/v1/studies/{cpms_id}/records", id: "getStudyRecords", summary: "A study's GCP records: delegation log, safety events, deviations, monitoring visits, documents"),
        Operation(method: "post", path: "/api/v1/studies/{cpms_id}/records/{kind}", id: "addStudyRecord",
                  summary: "Add a GCP record; kind is delegations, safety-events, safety-reports, safety-limit, deviations, monitoring-visits, monitoring-actions, completed-actions or documents",
                  body: "GCPRecord", success: 201),
        Operation(method: "post", path: "/api/v1/import/{kind}", id: "importFile",
                  summary: "Import an interchange CSV file (all or nothing); a row whose last_changed is older than the stored record's is a conflict that refuses the file",
                  body: "csv", query: [("dry_run", "yes: check the file and answer what it would change, field by field, writing nothing"),
                                       ("confirm_counts", "yes: the file's counts above the plausible limit have been checked")]),
    ]

    static var document: JSONValue {
        var paths: [(String, JSONValue)] = []
        for path in uniquePaths {
            let members = operations.filter { $0.path == path }.map { ($0.method, operation($0)) }
            paths.append((path, .object(members)))
        }
        return .object([
            ("openapi", .string("3.1.0")),
            ("info", .object([
                ("title", .string("Pace API")), ("version", .string("1")),
                ("description", .string("Study register, sites and recruitment for an NHS R&D office. Records use the interchange column names (snake_case).")),
            ])),
            ("paths", .object(paths)),
            ("components", .object([
                ("schemas", .object(schemas)),
                ("securitySchemes", .object([("bearer", .object([("type", .string("http")), ("scheme", .string("bearer")), ("description", .string("An API token from Account › API tokens or `pace user token`"))]))])),
            ])),
            ("security", .array([.object([("bearer", .array([]))])])),
        ])
    }

    static var uniquePaths: [String] {
        var seen: [String] = []
        for operation in operations where !seen.contains(operation.path) { seen.append(operation.path) }
        return seen
    }

    /// What `{kind}` may be: interchange files for imports, record kinds for a study's GCP records.
    static func kinds(_ path: String) -> [String] {
        path.contains("/records/") ? GCPRecordKind.allCases.map(\.rawValue) : InterchangeKind.allCases.map(\.rawValue)
    }

    private static func operation(_ operation: Operation) -> JSONValue {
        var members: [(String, JSONValue)] = [("operationId", .string(operation.id)), ("summary", .string(operation.summary))]
        var parameters: [JSONValue] = []
        for name in ["cpms_id", "ods_code", "kind", "person_id", "participant_id", "period_start", "step", "amendment_ref"] where operation.path.contains("{\(name)}") {
            parameters.append(.object([
                ("name", .string(name)), ("in", .string("path")), ("required", .boolean(true)),
                ("schema", name == "cpms_id" || name == "person_id" ? .object([("type", .string("integer")), ("minimum", .integer(1))])
                    : name == "kind" ? .object([("type", .string("string")), ("enum", .array(kinds(operation.path).map(JSONValue.string)))])
                    : name == "period_start" ? .object([("type", .string("string")), ("format", .string("date"))])
                    : .object([("type", .string("string"))])),
            ]))
        }
        // Corrections and removals always need a reason; replacing a study, site or organisation needs
        // one when it changes a site milestone in a quarter already reported.
        let isCorrection = operation.method == "delete" || operation.id.hasPrefix("correct")
        if operation.method == "put" || operation.method == "delete" {
            parameters.append(.object([
                ("name", .string("X-Pace-Reason")), ("in", .string("header")), ("required", .boolean(isCorrection)),
                ("description", .string(isCorrection ? "Why the record is corrected or removed: kept in the audit trail with the change"
                    : "Why the record changes; required when a site milestone in a quarter already reported changes")),
                ("schema", .object([("type", .string("string"))])),
            ]))
        }
        for (name, description) in operation.query {
            let type = name == "page" || name == "per_page" ? "integer" : "string"
            parameters.append(.object([("name", .string(name)), ("in", .string("query")), ("required", .boolean(false)),
                                       ("description", .string(description)), ("schema", .object([("type", .string(type))]))]))
        }
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if let body = operation.body {
            let content: JSONValue = body == "csv"
                ? .object([("text/csv", .object([("schema", .object([("type", .string("string"))]))]))])
                : .object([("application/json", .object([("schema", .object([("$ref", .string("#/components/schemas/\(body)"))]))]))])
            members.append(("requestBody", .object([("required", .boolean(true)), ("content", content)])))
        }
        var content: [(String, JSONValue)] = [("application/json", .object([("schema", .object([("type", .string(operation.list ? "array" : "object"))]))]))]
        if operation.query.contains(where: { $0.0 == "format" }) {
            content.append(("text/csv", .object([("schema", .object([("type", .string("string"))]))])))
        }
        var responses: [(String, JSONValue)] = [(String(operation.success), operation.success == 204
            ? .object([("description", .string("Done; there is nothing to return"))])
            : .object([("description", .string("Success")), ("content", .object(content))]))]
        if !operation.query.isEmpty || operation.body != nil {
            responses.append(("400", errorResponse("A query parameter or the body could not be read; the message names it")))
        }
        responses.append(("401", errorResponse("No valid API token was sent")))
        responses.append(("403", errorResponse("The token's role does not allow this")))
        if operation.path.contains("{") { responses.append(("404", errorResponse("Not found"))) }
        if operation.method == "delete" {
            responses.append(("409", errorResponse("Other records still point at this one; the message lists them")))
            responses.append(("422", errorResponse("No reason was given, or it cannot be kept")))
        }
        if operation.body != nil {
            responses.append(("422", errorResponse("The body has problems; each is listed")))
            responses.append(("413", errorResponse("The body is larger than the upload limit")))
        }
        members.append(("responses", .object(responses)))
        return .object(members)
    }

    private static func errorResponse(_ description: String) -> JSONValue {
        .object([
            ("description", .string(description)),
            ("content", .object([("application/json", .object([("schema", .object([("$ref", .string("#/components/schemas/Error"))]))]))])),
        ])
    }

    private static var schemas: [(String, JSONValue)] {
        [
            ("Organisation", schema(Organisation.columns)),
            ("Study", schema(Study.columns)),
            ("Site", schema(Site.columns)),
            ("Participant", schema(Participant.columns)),
            ("RecruitmentCount", schema(RecruitmentCount.columns)),
            ("SetUpStep", schema(SetUpStep.columns)),
            ("Amendment", schema(Amendment.columns)),
            ("Person", .object([
                ("type", .string("object")),
                ("properties", .object([("name", .object([("type", .string("string"))])), ("email", .object([("type", .array([.string("string"), .string("null")]))])),
                                        ("job_title", .object([("type", .array([.string("string"), .string("null")]))]))])),
                ("required", .array([.string("name")])),
            ])),
            ("GCPRecord", .object([
                ("type", .string("object")),
                ("description", .string("The record's fields as named on the study's GCP records page, e.g. site_ods, participant_id, onset_on, aware_at (yyyy-mm-dd hh:mm UK time)")),
                ("additionalProperties", .object([("type", .array([.string("string"), .string("integer"), .string("boolean"), .string("array"), .string("null")]))])),
            ])),
            ("Error", .object([
                ("type", .string("object")),
                ("properties", .object([
                    ("error", .object([("type", .string("string"))])),
                    ("problems", .object([("type", .string("array")), ("items", .object([("type", .string("object"))]))])),
                ])),
                ("required", .array([.string("error")])),
            ])),
        ]
    }

    private static func schema(_ columns: [InterchangeColumn]) -> JSONValue {
        .object([
            ("type", .string("object")),
            ("properties", .object(columns.map { column in
                let type: JSONValue
                switch column.type {
                case .integer: type = .object([("type", .array(column.required ? [.string("integer")] : [.string("integer"), .string("null")]))])
                case .boolean: type = .object([("type", .array([.string("boolean"), .string("null")]))])
                case .day: type = .object([("type", .array(column.required ? [.string("string")] : [.string("string"), .string("null")])), ("format", .string("date"))])
                case .list: type = .object([("type", .string("array")), ("items", .object([("type", .string("string"))]))])
                case .text: type = .object([("type", .array(column.required ? [.string("string")] : [.string("string"), .string("null")]))])
                }
                return (column.name, type)
            })),
            ("required", .array(columns.filter(\.required).map { .string($0.name) })),
            ("additionalProperties", .boolean(false)),
        ])
    }
}
