import PaceCore
import PaceStore
import Vapor

/// Accounts, for administrators.
struct UsersController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("admin", "users")
        users.get(use: list).requires(.administer)
        users.get("new", use: newForm).requires(.administer)
        users.post(use: create).requires(.administer)
        users.get(":user", use: editForm).requires(.administer)
        users.post(":user", use: update).requires(.administer)
    }

    func list(request: Request) async throws -> Response {
        UserListPage(accounts: try await Accounts(database: request.db).all()).render(hostName: try await request.hostName()).response()
    }

    func newForm(request: Request) async throws -> Response {
        UserFormPage(account: nil, form: FormState(values: ["role": Role.viewer.rawValue])).render(hostName: try await request.hostName()).response()
    }

    func create(request: Request) async throws -> Response {
        let values = try request.formValues()
        do {
            let password = values["password"] ?? ""
            let email = values["email"] ?? ""
            try Passwords.check(password, email: email, field: "password")
            let cost = request.configuration.passwordCost
            let hash = try await request.application.threadPool.runIfActive { try Passwords.hash(password, cost: cost) }
            try await Accounts(database: request.db).create(Self.form(values, email: email), passwordHash: hash, by: request.auditContext)
            try await request.leaveMessage("Account for \(email.lowercased()) created.")
            return seeOther(Paths.users)
        } catch let problem as FieldProblem {
            var kept = values
            kept["password"] = nil
            return UserFormPage(account: nil, form: FormState(values: kept, problems: [problem]))
                .render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    func editForm(request: Request) async throws -> Response {
        let account = try await stored(request).account
        let values = [
            "name": account.name, "role": account.role.rawValue, "studies": account.studies.sorted().map(String.init).joined(separator: ", "),
            "access_until": account.accessUntil?.iso ?? "", "is_active": account.isActive ? "yes" : "no",
        ]
        return UserFormPage(account: account, form: FormState(values: values)).render(hostName: try await request.hostName()).response()
    }

    func update(request: Request) async throws -> Response {
        let account = try await stored(request).account
        let values = try request.formValues()
        do {
            try await Accounts(database: request.db).update(id: account.id, Self.form(values, email: account.email), isActive: values["is_active"] != "no", by: request.auditContext)
            try await request.leaveMessage("Changes to \(account.email)'s account saved.")
            return seeOther(Paths.users)
        } catch let problem as FieldProblem {
            return UserFormPage(account: account, form: FormState(values: values, problems: [problem]))
                .render(hostName: try await request.hostName()).response(.unprocessableEntity)
        }
    }

    static func form(_ values: [String: String], email: String) -> AccountForm {
        AccountForm(email: email, name: values["name"] ?? "", role: values["role"] ?? "", studies: values["studies"] ?? "", accessUntil: values["access_until"] ?? "")
    }

    private func stored(_ request: Request) async throws -> StoredAccount {
        guard let id = request.parameters.get("user").flatMap(Int.init), let stored = try await Accounts(database: request.db).account(id: id) else {
            throw Abort(.notFound, reason: "There is no such user.")
        }
        return stored
    }
}
