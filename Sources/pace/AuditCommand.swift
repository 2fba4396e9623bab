import ArgumentParser
import Foundation
import PaceCore
import PaceStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check and export the audit trail.",
        subcommands: [VerifyAudit.self, ExportAudit.self]
    )
}

struct VerifyAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the audit trail's hash chain; fails listing every event that was changed or removed."
    )

    func run() async throws {
        let configuration = try loadConfiguration()
        let verification = try await withDatabase(configuration) { try await AuditTrail(database: $0).verify() }
        guard verification.breaks.isEmpty else {
            let count = verification.breaks.count + verification.unlisted
            let lines = verification.lines.map { "  " + $0 }.joined(separator: "\n")
            FileHandle.standardError.write(Data("The audit trail does not verify: \(count) break\(count == 1 ? "" : "s") in \(verification.checked) events read:\n\(lines)\n".utf8))
            throw ExitCode(1)
        }
        print("The audit trail verifies: \(verification.checked) events, each chained to the one before.")
    }
}

struct ExportAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the whole audit trail for an inspector, oldest event first."
    )

    @Option(help: "csv or json.")
    var format = "csv"

    @Option(help: "The file to write, or - for standard output.")
    var output = "-"

    func validate() throws {
        guard ["csv", "json"].contains(format) else { throw ValidationError("--format must be csv or json") }
    }

    func run() async throws {
        let configuration = try loadConfiguration()
        let handle: FileHandle
        let temporary = output + ".partial"
        if output == "-" {
            handle = .standardOutput
        } else {
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let opened = FileHandle(forWritingAtPath: temporary) else {
                throw ValidationError("\(output): cannot write the file")
            }
            handle = opened
        }
        let sink = BufferedSink(handle)
        let json = format == "json"
        let first = FirstLine()
        try sink.write(json ? "[" : CSVWriter.line(AuditExport.columns))
        try await withDatabase(configuration) { database in
            try await AuditTrail(database: database).forEachEvent { event in
                if json {
                    try sink.write((first.take() ? "" : ",\n") + AuditExport.json(event).serialized)
                } else {
                    try sink.write(CSVWriter.line(AuditExport.csvFields(event)))
                }
            }
        }
        if json { try sink.write("]\n") }
        try sink.flush()
        if output != "-" {
            try handle.close()
            _ = try? FileManager.default.removeItem(atPath: output)
            try FileManager.default.moveItem(atPath: temporary, toPath: output)
        }
    }
}

/// True the first time only: the JSON array's first element has no comma before it.
final class FirstLine: @unchecked Sendable {
    private var seen = false
    func take() -> Bool {
        defer { seen = true }
        return !seen
    }
}
