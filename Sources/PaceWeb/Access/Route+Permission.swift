import PaceCore
import Vapor

extension Route {
    private static let permissionKey = "pace.permission"

    /// Declares what the route needs; the access middleware refuses routes that declare nothing.
    @discardableResult
    func requires(_ permission: Permission) -> Route {
        userInfo[AnySendableHashable(Self.permissionKey)] = permission
        return self
    }

    var permission: Permission? {
        userInfo[AnySendableHashable(Self.permissionKey)] as? Permission
    }
}
