import ArgumentParser
import Foundation
import PaceCore
import PaceStore

/// `pace correct`: change one participant or count, with a reason, through the same checks as the
/// pages and the API. Options left out keep their stored values; an empty value clears a date.
struct CorrectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct one participant or recruitment count, with the reason kept in the audit trail.",
        subcommands: [CorrectParticipant.self, CorrectCount.self]
    )
}

/// `pace remove`: take one record out of the register, with a reason.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a record entered by mistake: it leaves every report at once and stays in the audit trail with who, when and why.",
        subcommands: [RemoveParticipant.self, RemoveCount.self, RemoveSite.self, RemoveStudy.self, RemoveOrganisation.self]
    )
}

struct ReasonOption: ParsableArguments {
    @Option(help: "Why the record is corrected or removed (required; kept in the audit trail).")
    var reason: String

    func validate() throws {
        if let problem = Reason.problem(reason) { throw ValidationError("--reason: \(problem)") }
    }

    var context: AuditContext { AuditContext.operatingSystemUser.because(reason.trimmingSpaces) }
}

/// Runs a correction and says what went wrong in a research manager's words, exiting 1.
func correcting(_ body: @escaping @Sendable (Register) async throws -> String) async throws {
    let configuration = try loadConfiguration()
    do {
        let message = try await withDatabase(configuration) { database in try await body(Register(database: database)) }
        print(message)
    } catch let problem as FieldProblem {
        FileHandle.standardError.write(Data("\(problem.column): \(problem.message)\n".utf8))
        throw ExitCode(1)
    } catch let inUse as RecordInUse {
        FileHandle.standardError.write(Data("\(inUse.message)\n".utf8))
        throw ExitCode(1)
    }
}

/// Reads the stored record's fields with the given ones over them, through the interchange checks.
func corrected<Record: InterchangeRecord>(_ stored: Record, _ changes: [String: String?]) throws -> Record {
    var values = Dictionary(uniqueKeysWithValues: zip(Record.columns.map(\.name), stored.csvFields))
    for (column, value) in changes { if let value { values[column] = value } }
    var row = RowReader(values: values)
    guard let record = Record(reading: &row) else {
        throw row.problems.first ?? FieldProblem(column: "-", message: "the corrected record could not be read")
    }
    return record
}

struct CorrectParticipant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "participant", abstract: "Correct a participant, e.g. record a withdrawal.")

    @Argument(help: "The study's CPMS ID.") var cpmsID: Int
    @Argument(help: "The recruiting site's organisation code.") var site: String
    @Argument(help: "The participant's study pseudonym.") var participantID: String
    @Option(help: "consented, recruited, failed-screening or withdrawn.") var status: String?
    @Option(help: "YYYY-MM-DD, or empty to clear.") var consentDate: String?
    @Option(help: "YYYY-MM-DD, or empty to clear.") var recruitedDate: String?
    @Option(help: "YYYY-MM-DD, or empty to clear.") var withdrawnDate: String?
    @Option(help: "The identifying PIC's organisation code, or empty to clear.") var identifiedBy: String?
    @OptionGroup var reason: ReasonOption

    func run() async throws {
        let (cpmsID, site, participantID, context) = (cpmsID, site.uppercased(), participantID, reason.context)
        let changes: [String: String?] = ["status": status, "consent_date": consentDate, "recruited_date": recruitedDate, "withdrawn_date": withdrawnDate, "identified_by_ods": identifiedBy]
        try await correcting { register in
            let key = Participant(cpmsID: cpmsID, siteODS: site, participantID: participantID, status: .consented)
            guard let stored = try await register.currentVersion(of: key) else {
                throw FieldProblem(column: "participant_id", message: "participant \(participantID) of CPMS \(cpmsID) at \(site) does not exist")
            }
            let participant = try corrected(stored, changes)
            try await register.correct(participant, by: context)
            return "Corrected: participant \(participantID) of CPMS \(cpmsID) at \(site), now \(participant.status.rawValue)."
        }
    }
}

struct CorrectCount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "count", abstract: "Correct a recruitment count's period end or number.")

    @Argument(help: "The study's CPMS ID.") var cpmsID: Int
    @Argument(help: "The recruiting site's organisation code.") var site: String
    @Argument(help: "The first day of the count's period, YYYY-MM-DD.") var periodStart: String
    @Option(help: "YYYY-MM-DD.") var periodEnd: String?
    @Option(help: "The number recruited in the period.") var count: Int?
    @Flag(help: "Confirm a number above the plausible limit has been checked and is right.") var confirm = false
    @OptionGroup var reason: ReasonOption

    func run() async throws {
        guard let start = Day(iso: periodStart) else { throw ValidationError("period start: '\(periodStart)' is not a date: write it as YYYY-MM-DD") }
        let (cpmsID, site, context) = (cpmsID, site.uppercased(), reason.context)
        let changes: [String: String?] = ["period_end": periodEnd, "count": count.map(String.init), "confirmed": confirm ? "yes" : nil]
        try await correcting { register in
            guard let stored = try await register.count(cpmsID: cpmsID, odsCode: site, periodStart: start) else {
                throw FieldProblem(column: "period_start", message: "the count of CPMS \(cpmsID) at \(site) from \(start.longText) does not exist")
            }
            let record = try corrected(stored, changes)
            try await register.correct(record, by: context)
            return "Corrected: the count of CPMS \(cpmsID) at \(site) from \(start.longText) is now \(record.count), to \(record.periodEnd.longText)."
        }
    }
}

struct RemoveParticipant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "participant", abstract: "Remove a participant record entered by mistake.")

    @Argument(help: "The study's CPMS ID.") var cpmsID: Int
    @Argument(help: "The recruiting site's organisation code.") var site: String
    @Argument(help: "The participant's study pseudonym.") var participantID: String
    @OptionGroup var reason: ReasonOption

    func run() async throws {
        let (cpmsID, site, participantID, context) = (cpmsID, site.uppercased(), participantID, reason.context)
        try await correcting { register in
            try await register.removeParticipant(cpmsID: cpmsID, odsCode: site, participantID: participantID, by: context)
            return "Removed: participant \(participantID) of CPMS \(cpmsID) at \(site)."
        }
    }
}

struct RemoveCount: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "count", abstract: "Remove a recruitment count entered by mistake or twice.")

    @Argument(help: "The study's CPMS ID.") var cpmsID: Int
    @Argument(help: "The recruiting site's organisation code.") var site: String
    @Argument(help: "The first day of the count's period, YYYY-MM-DD.") var periodStart: String
    @OptionGroup var reason: ReasonOption

    func run() async throws {
        guard let start = Day(iso: periodStart) else { throw ValidationError("period start: '\(periodStart)' is not a date: write it as YYYY-MM-DD") }
        let (cpmsID, site, context) = (cpmsID, site.uppercased(), reason.context)
        try await correcting { register in
            try await register.removeCount(cpmsID: cpmsID, odsCode: site, periodStart: start, by: context)
            return "Removed: the count of CPMS \(cpmsID) at \(site) from \(start.longText)."
        }
    }
}

struct RemoveSite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "site", abstract: "Remove a site with no recruitment or GCP records.")

    @Argument(help: "The study's CPMS ID.") var cpmsID: Int
    @Argument(help: "The site's organisation code.") var site: String
    @OptionGroup var reason: ReasonOption

    func run() async throws {
        let (cpmsID, site, context) = (cpmsID, site.uppercased(), reason.context)
        try await correcting { register in
            try await register.removeSite(cpmsID: cpmsID, odsCode: site, by: context)
            return "Removed: \(site) as a site of CPMS \(cpmsID)."
        }
    }
}

struct RemoveStudy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "study", abstract: "Remove a study with no sites, documents or team.")

    @Argument(help: "The study's CPMS ID.") var cpmsID: Int
    @OptionGroup var reason: ReasonOption

    func run() async throws {
        let (cpmsID, context) = (cpmsID, reason.context)
        try await correcting { register in
            try await register.removeStudy(cpmsID: cpmsID, by: context)
            return "Removed: CPMS \(cpmsID)."
        }
    }
}

struct RemoveOrganisation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "organisation", abstract: "Remove an organisation nothing points at.")

    @Argument(help: "The organisation's code.") var odsCode: String
    @OptionGroup var reason: ReasonOption

    func run() async throws {
        let (odsCode, context) = (odsCode.uppercased(), reason.context)
        try await correcting { register in
            try await register.removeOrganisation(odsCode: odsCode, by: context)
            return "Removed: organisation \(odsCode)."
        }
    }
}
