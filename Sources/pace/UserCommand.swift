import ArgumentParser
import Foundation
import PaceCore
import PaceStore
import PaceWeb

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create and list accounts, and issue API tokens.",
        subcommands: [AddUser.self, ListUsers.self, IssueToken.self]
    )
}

struct AddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Create an account; the password is read from standard input.",
        discussion: "ROLE is one of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")). A study team needs --studies; a monitor needs one study and --access-until."
    )

    @Argument(help: "The person's email address (their sign-in).")
    var email: String

    @Option(help: "The role.")
    var role: String

    @Option(help: "The person's name (default: the part of the email before @).")
    var name: String?

    @Option(help: "CPMS IDs separated by commas (study team and monitor).")
    var studies = ""

    @Option(name: .customLong("access-until"), help: "A monitor's last day of access (yyyy-mm-dd).")
    var accessUntil = ""

    func run() async throws {
        let configuration = try loadConfiguration()
        let password = readPassword()
        let form = AccountForm(email: email, name: name ?? String(email.split(separator: "@").first ?? ""), role: role, studies: studies, accessUntil: accessUntil)
        do {
            let checked = try form.checked()
            try Passwords.check(password, email: checked.email, field: "password")
            let hash = try Passwords.hash(password, cost: configuration.passwordCost)
            _ = try await withDatabase(configuration) { database in
                try await Accounts(database: database).create(form, passwordHash: hash, by: .operatingSystemUser)
            }
            print("Created \(checked.email) (\(checked.role.title)).")
        } catch let problem as FieldProblem {
            throw ValidationError("\(problem.column): \(problem.message)")
        }
    }

    /// One line from standard input, without echo when it is a terminal.
    private func readPassword() -> String {
        if isatty(STDIN_FILENO) != 0, let typed = getpass("Password for \(email): ") {
            return String(cString: typed)
        }
        return readLine(strippingNewline: true) ?? ""
    }
}

struct ListUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List accounts with their roles.")

    func run() async throws {
        let configuration = try loadConfiguration()
        let accounts = try await withDatabase(configuration) { try await Accounts(database: $0).all() }
        for stored in accounts {
            let account = stored.account
            let scope = account.studies.isEmpty ? "" : " studies \(account.studies.sorted().map(String.init).joined(separator: ","))"
            let until = account.accessUntil.map { " until \($0.iso)" } ?? ""
            print("\(account.email)\t\(account.role.rawValue)\(scope)\(until)\(account.isActive ? "" : " (closed)")")
        }
    }
}

struct IssueToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Issue an API token for an account and print it (once; Pace keeps only its hash)."
    )

    @Argument(help: "The account's email address.")
    var email: String

    @Option(help: "What will use the token, e.g. the monthly upload script.")
    var name: String

    func run() async throws {
        let configuration = try loadConfiguration()
        let token = try await withDatabase(configuration) { database -> String in
            let accounts = Accounts(database: database)
            guard let stored = try await accounts.account(email: email) else {
                throw ValidationError("There is no account for \(email).")
            }
            let token = APITokens.newToken()
            do {
                try await accounts.createToken(for: stored.account, name: name, tokenHash: APITokens.storedHash(token), by: .operatingSystemUser)
            } catch let problem as FieldProblem {
                throw ValidationError("--\(problem.column): \(problem.message)")
            }
            return token
        }
        print(token)
    }
}
