import PaceCore
import PaceStore
import NIOHTTP1
import Vapor

/// Turns every error into a readable page (or JSON under /api) with the right status; nothing a user
/// sends produces a stack trace, and unexpected failures are logged and shown as a plain 500.
struct PaceErrorMiddleware: AsyncMiddleware {
    /// How long a client is asked to wait when the database is unreachable.
    static let retryAfterSeconds = 30

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            if let abort = error as? any AbortError, (300..<400).contains(abort.status.code) {
                return Response(status: abort.status, headers: abort.headers)
            }
            let (status, message) = describe(error, request: request)
            if status == .internalServerError {
                request.logger.error("\(request.method) \(Paths.forLog(request.url.path)) failed: \(String(reflecting: error))")
            } else if status == .serviceUnavailable {
                request.logger.warning("\(request.method) \(Paths.forLog(request.url.path)): database unavailable: \(String(reflecting: error))")
            }
            if request.isAPI || request.url.path == Paths.health {
                var body: [(String, JSONValue)] = [("error", .string(message))]
                if let problems = error as? APIProblems {
                    body = [("error", .string("The request has problems; nothing was saved.")), ("problems", .array(problems.problems.map { problem in
                        .object([("field", .string(problem.column)), ("message", .string(problem.message))])
                    }))]
                }
                let response = (try? JSONValue.object(body).jsonResponse(status: status)) ?? Response(status: status)
                return withHeaders(of: error, response, request: request)
            }
            // With the database unreachable, asking it for the host's name would only fail again.
            let hostName = status == .serviceUnavailable ? request.configuration.hostODS
                : (try? await request.hostName()) ?? request.configuration.hostODS
            // The page keeps the person's navigation: the access check ran before the error, outside
            // the context the pages usually render in.
            let context = PageContext(account: request.caller?.account, csrfToken: request.caller?.csrfToken)
            let page = PageContext.$current.withValue(context) {
                ErrorPage(status: Int(status.code), title: title(status), message: message, signedIn: request.caller != nil).render(hostName: hostName)
            }
            return withHeaders(of: error, page.response(status), request: request)
        }
    }

    /// Headers an error asks for (e.g. WWW-Authenticate on a 401) go out with its page.
    private func withHeaders(of error: any Error, _ response: Response, request: Request) -> Response {
        if response.status == .serviceUnavailable {
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(Self.retryAfterSeconds)")
        }
        if response.status == .methodNotAllowed {
            response.headers.replaceOrAdd(name: .allow, value: allowedMethods(request).joined(separator: ", "))
        }
        if let abort = error as? any AbortError {
            for (name, value) in abort.headers where name.lowercased() != "content-type" && name.lowercased() != "content-length" {
                response.headers.replaceOrAdd(name: name, value: value)
            }
        }
        return response
    }

    private func allowedMethods(_ request: Request) -> [String] {
        AllowedMethods.at(request.url.path, in: request.application.routes)
    }

    private func describe(_ error: any Error, request: Request) -> (HTTPStatus, String) {
        if let abort = error as? any AbortError {
            if abort.status == .payloadTooLarge && !request.isUpload {
                return (.payloadTooLarge, "The request is larger than Pace accepts for this page.")
            }
            if abort.status == .payloadTooLarge {
                let megabytes = request.configuration.uploadLimitBytes / 1_048_576
                return (.payloadTooLarge, "The upload is larger than the \(megabytes) MB limit. Split the file, or import it with the command line: pace import KIND FILE.")
            }
            if abort.status == .notFound && abort.reason == "Not Found" {
                if !allowedMethods(request).isEmpty {
                    return (.methodNotAllowed, "\(request.url.path) does not accept \(request.method.rawValue) requests.")
                }
                return (.notFound, "There is no page at \(request.url.path).")
            }
            return (abort.status, abort.reason)
        }
        if let rejected = error as? ImportRejected {
            return (.unprocessableEntity, rejected.description)
        }
        if error is HTTPParserError {
            // A request that stopped part-way (the client closed the connection mid-body) is the client's doing, not Pace's.
            return (.badRequest, "The request ended before all of it arrived. Please try again.")
        }
        if DatabaseAvailability.isUnavailable(error) {
            return (.serviceUnavailable, "Pace cannot use its database just now (it is unreachable or busy), so nothing was read or saved. It recovers by itself: please try again in a minute. If this goes on, tell the system administrator.")
        }
        return (.internalServerError, "Something went wrong on our side. The problem has been logged; please try again.")
    }

    private func title(_ status: HTTPStatus) -> String {
        switch status {
        case .notFound: "Page not found"
        case .payloadTooLarge: "File too large"
        case .methodNotAllowed: "Method not allowed"
        case .badRequest: "The request could not be read"
        case .serviceUnavailable: "Service unavailable"
        case .internalServerError: "Something went wrong"
        default: status.reasonPhrase
        }
    }
}

/// Security headers on every response: no framing, no sniffing, no inline script, no referrer leaks.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers: [(String, String)] = [
            ("Content-Security-Policy", "default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        // Secure cookies mean Pace is served over HTTPS: browsers are told to use nothing else for a year.
        if request.configuration.secureCookies {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        return response
    }
}
