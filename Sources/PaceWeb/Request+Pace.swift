import Fluent
import PaceCore
import PaceStore
import Plot
import Vapor

struct ConfigurationKey: StorageKey {
    typealias Value = AppConfiguration
}

struct RequestReferenceListsKey: StorageKey {
    typealias Value = ReferenceLists
}

struct RequestAuditSequenceKey: StorageKey {
    typealias Value = Int
}

extension Application {
    var paceConfiguration: AppConfiguration {
        get { storage[ConfigurationKey.self] ?? AppConfiguration() }
        set { storage[ConfigurationKey.self] = newValue }
    }
}

extension Request {
    var configuration: AppConfiguration { application.paceConfiguration }
    var register: Register { Register(database: db) }

    /// The host organisation's name for the page header (its code until the organisation is recorded).
    func hostName() async throws -> String {
        try await referenceLists().hostName
    }

    /// Every organisation, for a filter or a form's choices.
    func organisationChoices() async throws -> [Organisation] {
        try await referenceLists().organisations
    }

    /// The organisations of some studies only (a study team's or a monitor's); nil means every organisation.
    func organisationChoices(ofStudies studies: Set<Int>?) async throws -> [Organisation] {
        guard studies == nil else { return try await register.organisationChoices(ofStudies: studies) }
        return try await referenceLists().organisations
    }

    /// The themes of some studies only; nil means every theme.
    func themeChoices(ofStudies studies: Set<Int>?) async throws -> [String] {
        guard studies == nil else { return try await register.themes(ofStudies: studies) }
        return try await referenceLists().themes
    }

    /// The audit trail's last number, read once per request: what every kept value is checked against.
    func auditSequence() async throws -> Int {
        if let kept = storage[RequestAuditSequenceKey.self] { return kept }
        let sequence = try await AuditTrail(database: db).lastSequence()
        storage[RequestAuditSequenceKey.self] = sequence
        return sequence
    }

    /// How many studies a filter finds, kept until the data changes: counting 40,000 studies cost
    /// more than drawing the page of 25 they are listed in.
    func studyCount(_ filter: StudyFilter) async throws -> Int {
        var counting = filter
        counting.page = 1
        counting.perPage = 1
        let counted = counting
        let host = configuration.hostODS
        let database = application.db
        return try await application.studyCountCache.value(for: .init(sequence: try await auditSequence(), host: host, filter: counted)) {
            try await Register(database: database).studyCount(counted, hostODS: host)
        }
    }

    /// The lists kept for the data as it is now: one small query for the audit trail's last number,
    /// once per request, instead of the lists themselves.
    private func referenceLists() async throws -> ReferenceLists {
        if let kept = storage[RequestReferenceListsKey.self] { return kept }
        let host = configuration.hostODS
        let sequence = try await auditSequence()
        let database = application.db
        let lists = try await application.referenceListsCache.value(for: .init(sequence: sequence, host: host)) {
            let register = Register(database: database)
            return ReferenceLists(
                hostName: try await register.organisation(host)?.name ?? host,
                organisations: try await register.organisationChoices(),
                themes: try await register.themes()
            )
        }
        storage[RequestReferenceListsKey.self] = lists
        return lists
    }

    func cpmsParameter() throws -> Int {
        guard let text = parameters.get("cpms"), let id = Identifiers.cpmsID(text) else {
            throw Abort(.notFound, reason: "There is no study with that CPMS ID.")
        }
        return id
    }

    func odsParameter() throws -> String {
        guard let text = parameters.get("ods"), let code = Identifiers.normalisedODSCode(text) else {
            throw Abort(.notFound, reason: "There is no organisation with that code.")
        }
        return code
    }

    /// The submitted form's fields, trimmed of nothing: RowReader does the trimming and checking. Dates
    /// typed as day, month and year boxes arrive here as one value each.
    func formValues() throws -> [String: String] {
        do {
            return DateParts.combine(try content.decode([String: String].self))
        } catch {
            throw Abort(.badRequest, reason: "The form could not be read. Please try again.")
        }
    }

    /// The query's parameters; a query that cannot be read as names and values is refused.
    func queryValues() throws -> [String: String] {
        guard url.query?.isEmpty == false else { return [:] }
        do {
            return DateParts.combine(try query.decode([String: String].self))
        } catch {
            throw Abort(.badRequest, reason: "The query could not be read: write it as name=value pairs joined by &.")
        }
    }

    var isAPI: Bool { url.path.hasPrefix(Paths.api) }

    /// Refuses an upload over the limit even when the body reached us already collected.
    func requireUploadWithinLimit() throws {
        if let bytes = body.data?.readableBytes, bytes > configuration.uploadLimitBytes {
            throw Abort(.payloadTooLarge)
        }
    }

    var isUpload: Bool { url.path == Paths.importData || url.path.hasPrefix(Paths.api + "/import/") }
}

/// A whole-number query parameter: absent or empty gives nil, anything else must be in range.
func integer(_ name: String, in range: ClosedRange<Int>, from query: [String: String]) throws -> Int? {
    guard let text = query[name], !text.isEmpty else { return nil }
    guard let value = Int(text), range.contains(value) else {
        throw ParameterProblem(name, text, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
    return value
}

/// A yes/no query parameter (also true/false): absent or empty gives nil.
func yesOrNo(_ name: String, from query: [String: String]) throws -> Bool? {
    guard let text = query[name], !text.isEmpty else { return nil }
    switch text.lowercased() {
    case "yes", "true": return true
    case "no", "false": return false
    default: throw ParameterProblem(name, text, "must be yes or no")
    }
}

/// A free-text query parameter (a search, a theme): absent or empty gives nil; text that is too long
/// or holds a control character is refused, naming the parameter, before it reaches a query.
func queryText(_ name: String, maxLength: Int = 200, from query: [String: String]) throws -> String? {
    guard let text = query[name], !text.isEmpty else { return nil }
    guard !RowReader.containsControlCharacter(text) else { throw ParameterProblem(name, text, "contains a control character") }
    guard text.count <= maxLength else { throw ParameterProblem(name, text, "is longer than \(maxLength) characters") }
    return text
}

extension HTML {
    /// An HTML response; pages show register data, so browsers and proxies must not keep them.
    func response(_ status: HTTPStatus = .ok) -> Response {
        Self.response(page: render(), status)
    }

    /// The page drawn with `marker` (raw text it holds once, standing for content drawn earlier) and
    /// `content` put in its place once. Drawn through Plot, a long kept content was copied again by
    /// every element around it: a tenth of a dashboard request. A page without the marker is drawn
    /// whole by `whole` instead, so the content is never lost.
    func response(splicing content: String, at marker: String, orWhole whole: () -> HTML, _ status: HTTPStatus = .ok) -> Response {
        let page = render()
        guard let at = page.utf8Offset(of: marker) else { return whole().response(status) }
        return Self.response(page: page.replacingBytes(at: at, length: marker.utf8.count, with: content), status)
    }

    private static func response(page rendered: String, _ status: HTTPStatus) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        var page = rendered
        // A page showing what is wrong says so first in its title, which is what a screen reader reads
        // and what the browser's tab shows (NHS.UK error summary pattern). Searched as bytes: Foundation's
        // `contains` compares as Unicode, and took a tenth of a page's time.
        // A page whose own title already says so (a refused filter) is not told twice; only the
        // document's title is read (a chart's SVG titles carry study names).
        if page.utf8Offset(of: "class=\"error-summary\"") != nil, let title = page.utf8Offset(of: "<title>"),
           !page.utf8.dropFirst(title).starts(with: "<title>Error: ".utf8) {
            page = page.replacingBytes(at: title, length: "<title>".utf8.count, with: "<title>Error: ")
        }
        return Response(status: status, headers: headers, body: .init(string: page))
    }
}

/// Redirects after a successful form post, so reloading the next page does not post again.
func seeOther(_ location: String) -> Response {
    var headers = HTTPHeaders()
    // Redirects only ever go to this site; a location that is not plainly local (a header split, a
    // path a browser would take to another host) goes home instead.
    headers.replaceOrAdd(name: .location, value: Paths.isLocal(location) ? location : Paths.home)
    return Response(status: .seeOther, headers: headers)
}

/// A CSV download of register data: never kept by a browser or proxy.
func csvDownload(_ text: String, filename: String) -> Response {
    var headers = HTTPHeaders()
    headers.contentType = .init(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
    headers.contentDisposition = .init(.attachment, filename: filename)
    headers.replaceOrAdd(name: .cacheControl, value: "no-store")
    return Response(status: .ok, headers: headers, body: .init(string: text))
}

extension String {
    /// The text with the `length` UTF-8 bytes from byte `offset` replaced by `replacement` (offsets
    /// from `utf8Offset(of:)`, so always on a character boundary).
    func replacingBytes(at offset: Int, length: Int, with replacement: String) -> String {
        String(decoding: utf8.prefix(offset), as: UTF8.self) + replacement + String(decoding: utf8.dropFirst(offset + length), as: UTF8.self)
    }

    /// The byte offset where `needle` first appears in the UTF-8 text, or nil. Each candidate's first
    /// byte is found with the C library's `memchr`, which scans many bytes at a time: a byte-by-byte
    /// loop was 6% of a dashboard request over its 130 KB.
    func utf8Offset(of needle: String) -> Int? {
        var haystack = self, needle = needle
        return haystack.withUTF8 { text -> Int? in
            needle.withUTF8 { wanted -> Int? in
                guard let first = wanted.first, let base = text.baseAddress, let sought = wanted.baseAddress, wanted.count <= text.count else { return nil }
                var start = 0
                let last = text.count - wanted.count
                while start <= last {
                    guard let found = memchr(base + start, Int32(first), last - start + 1) else { return nil }
                    let at = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                    if memcmp(base + at, sought, wanted.count) == 0 { return at }
                    start = at + 1
                }
                return nil
            }
        }
    }
}
