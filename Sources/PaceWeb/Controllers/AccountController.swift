import PaceCore
import PaceStore
import Vapor

/// A signed-in person's own account: password and API tokens.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let account = routes.grouped("account")
        account.get("password", use: passwordForm).requires(.signedIn)
        account.post("password", use: changePassword).requires(.signedIn)
        account.get("tokens", use: tokens).requires(.signedIn)
        account.post("tokens", use: createToken).requires(.signedIn)
        account.post("tokens", ":token", "revoke", use: revokeToken).requires(.signedIn)
    }

    func passwordForm(request: Request) async throws -> Response {
        PasswordPage(account: try request.account(), form: FormState(), changed: request.query[String.self, at: "changed"] != nil)
            .render(hostName: try await request.hostName()).response()
    }

    func changePassword(request: Request) async throws -> Response {
        let account = try request.account()
        let values = try request.formValues()
        let accounts = Accounts(database: request.db)
        do {
            guard let stored = try await accounts.account(id: account.id) else { throw Abort(.unauthorized) }
            let current = values["current_password"] ?? ""
            let matches = try await request.application.threadPool.runIfActive { try Bcrypt.verify(current, created: stored.passwordHash) }
            guard matches else { throw FieldProblem(column: "current_password", message: "This is not your current password.") }
            let new = values["new_password"] ?? ""
            try Passwords.check(new, email: account.email)
            guard new == values["confirm_password"] else {
                throw FieldProblem(column: "confirm_password", message: "The two new passwords differ.")
            }
            let cost = request.configuration.passwordCost
            let hash = try await request.application.threadPool.runIfActive { try Passwords.hash(new, cost: cost) }
            try await accounts.changePassword(id: account.id, newHash: hash, keepingSession: request.caller?.sessionKeyHash, by: request.auditContext)
            return seeOther(Paths.password + "?changed=1")
        } catch let problem as FieldProblem {
            return PasswordPage(account: account, form: FormState(problems: [problem]), changed: false)
                .render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    func tokens(request: Request) async throws -> Response {
        let account = try request.account()
        return TokensPage(tokens: try await Accounts(database: request.db).tokens(of: account), newToken: nil, form: FormState())
            .render(hostName: try await request.hostName()).response()
    }

    func createToken(request: Request) async throws -> Response {
        let account = try request.account()
        let values = try request.formValues()
        let accounts = Accounts(database: request.db)
        let token = Credentials.newAPIToken()
        do {
            try await accounts.createToken(for: account, name: values["name"] ?? "", tokenHash: Credentials.storedHash(token), by: request.auditContext)
            // Shown on this response only: the page is not cached and the token is never stored.
            return TokensPage(tokens: try await accounts.tokens(of: account), newToken: token, form: FormState())
                .render(hostName: try await request.hostName()).response(.created)
        } catch let problem as FieldProblem {
            return TokensPage(tokens: try await accounts.tokens(of: account), newToken: nil, form: FormState(values: values, problems: [problem]))
                .render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    func revokeToken(request: Request) async throws -> Response {
        let account = try request.account()
        guard let id = request.parameters.get("token").flatMap(Int.init),
              try await Accounts(database: request.db).revokeToken(id: id, of: account, by: request.auditContext) else {
            throw Abort(.notFound, reason: "You have no live token with that number.")
        }
        return seeOther(Paths.tokens)
    }
}
