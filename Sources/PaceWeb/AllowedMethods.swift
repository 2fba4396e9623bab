import Vapor

/// The methods Pace answers at a path, so a request with another method gets 405 and an Allow header
/// (as HTTP asks) instead of "no page here".
enum AllowedMethods {
    static func at(_ path: String, in routes: Routes) -> [String] {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var methods = Set<String>()
        for route in routes.all where matches(route.path, components) {
            methods.insert(route.method.rawValue)
            if route.method == .GET { methods.insert(HTTPMethod.HEAD.rawValue) }
        }
        return methods.sorted()
    }

    private static func matches(_ pattern: [PathComponent], _ components: [String]) -> Bool {
        if pattern.last == .catchall { return components.count >= pattern.count - 1 && zip(pattern, components).allSatisfy(matches) }
        return pattern.count == components.count && zip(pattern, components).allSatisfy(matches)
    }

    private static func matches(_ pattern: PathComponent, _ component: String) -> Bool {
        switch pattern {
        case .constant(let text): text == component
        case .parameter, .anything, .catchall: true
        }
    }
}
