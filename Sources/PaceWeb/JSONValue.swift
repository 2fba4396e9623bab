import PaceCore
import Vapor

extension JSONValue: AsyncResponseEncodable {
    public func encodeResponse(for request: Request) async throws -> Response {
        try jsonResponse(status: .ok)
    }

    func jsonResponse(status: HTTPStatus) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        // API answers carry register data: no browser or proxy keeps them.
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: serialized))
    }

}
