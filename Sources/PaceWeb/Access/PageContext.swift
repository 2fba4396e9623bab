import PaceCore

/// Who is looking at the page being rendered, and the token its forms must carry. Set for the whole of
/// each request by the access middleware, so every view and form sees it without threading it through
/// each page's model.
struct PageContext: Sendable {
    let account: Account?
    let csrfToken: String?
    /// The confirmation left by the save that led here, shown once as a notification banner.
    var notice: String? = nil

    @TaskLocal static var current = PageContext(account: nil, csrfToken: nil)

    func allows(_ permission: Permission, study: Int? = nil, atHostSite: Bool? = nil) -> Bool {
        AccessPolicy.allows(account, permission, study: study, atHostSite: atHostSite, on: Day.today())
    }
}
