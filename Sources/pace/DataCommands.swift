import ArgumentParser
import Foundation
import PaceCore
import PaceStore
import PaceWeb
import FluentKit

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    func run() async throws {
        let configuration = try loadConfiguration()
        try await withDatabase(configuration) { _ in
            print("The database at \(configuration.database) is up to date.")
        }
    }
}

extension InterchangeKind: ExpressibleByArgument {}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import an interchange CSV file: all of it, or nothing if any row is wrong.",
        discussion: "KIND is one of: \(InterchangeKind.allCases.map(\.rawValue).joined(separator: ", ")). Rows whose key exists update that record; importing the same file twice changes nothing. Errors are listed as FILE:ROW:COLUMN: message."
    )

    @Argument(help: "What the file holds.")
    var kind: InterchangeKind

    @Argument(help: "The CSV file.")
    var file: String

    @Option(help: "Why the file corrects records: needed when it changes a site milestone already reported in an earlier quarter's return, and recorded with every change.")
    var reason: String?

    @Flag(name: .customLong("confirm-counts"), help: "Confirm that the file's counts above the plausible limit (the stored rule count_confirmation_per_month, or the site's whole target) have been checked and are right.")
    var confirmCounts = false

    @Flag(name: .customLong("dry-run"), help: "Check the file and print what it would change, record by record and field by field, but write nothing.")
    var dryRun = false

    func validate() throws {
        if let reason, let problem = Reason.problem(reason) { throw ValidationError("--reason: \(problem)") }
    }

    func run() async throws {
        let configuration = try loadConfiguration()
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw ValidationError("\(file): cannot open the file")
        }
        defer { try? handle.close() }
        // Read in chunks so memory stays flat however large the file is; progress follows the bytes read.
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let progress = Progress((file as NSString).lastPathComponent)
        var bytesRead = 0, lines = 0
        // The audit event's SHA-256 is taken from the same chunks the importer reads.
        let digest = StreamingSHA256()
        let reader = CSVReader {
            guard let chunk = try handle.read(upToCount: 1 << 16).map({ Array($0) }) else { return nil }
            digest.update(chunk)
            bytesRead += chunk.count
            lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            progress.update(rows: max(0, lines - 1), fraction: size > 0 ? Double(bytesRead) / Double(size) : nil)
            return chunk
        }
        let name = (file as NSString).lastPathComponent
        do {
            try await withDatabase(configuration) { database in
                let summary = try await Importer(database: database).importFile(kind, named: name, reader: reader, sha256: { digest.hex }, by: AuditContext.operatingSystemUser.because(reason?.trimmingSpaces),
                                                                                   options: ImportOptions(confirmingLargeCounts: confirmCounts, dryRun: dryRun))
                progress.finish(rows: summary.records)
                print(summary.description)
                for change in summary.changes {
                    print("  \(change.record): " + change.fields.map { "\($0.field) \($0.old ?? "(blank)") → \($0.new ?? "(blank)")" }.joined(separator: "; "))
                }
                if summary.changed > summary.changes.count {
                    print("  … and \(summary.changed - summary.changes.count) more changed records")
                }
            }
        } catch let rejected as ImportRejected {
            FileHandle.standardError.write(Data((rejected.description + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export records as an interchange CSV file (the format import reads).",
        discussion: "KIND is one of: \(InterchangeKind.allCases.map(\.rawValue).joined(separator: ", ")). FILE '-' writes to standard output."
    )

    @Argument(help: "What to export.")
    var kind: InterchangeKind

    @Argument(help: "The file to write, or - for standard output.")
    var file: String

    func run() async throws {
        let configuration = try loadConfiguration()
        let toStandardOutput = file == "-"
        // Write beside the target and rename at the end, so a failed export never leaves half a file.
        let temporary = file + ".partial"
        let handle: FileHandle
        if toStandardOutput {
            handle = FileHandle.standardOutput
        } else {
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let opened = FileHandle(forWritingAtPath: temporary) else {
                throw ValidationError("\(file): cannot write the file")
            }
            handle = opened
        }
        let sink = BufferedSink(handle)
        do {
            let lines = try await withDatabase(configuration) { database in
                try await Exporter(database: database).export(kind) { try sink.write($0) }
            }
            try sink.flush()
            if !toStandardOutput {
                try handle.close()
                _ = try? FileManager.default.removeItem(atPath: file)
                try FileManager.default.moveItem(atPath: temporary, toPath: file)
                FileHandle.standardError.write(Data("\(file): \(lines) \(kind.rawValue) records written\n".utf8))
            }
        } catch {
            if !toStandardOutput {
                try? handle.close()
                try? FileManager.default.removeItem(atPath: temporary)
            }
            throw error
        }
    }
}

/// Collects lines and writes them in large blocks.
final class BufferedSink: @unchecked Sendable {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 17)
    }

    func write(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Opens and migrates the configured database for one command, closing it afterwards.
func withDatabase<T>(_ configuration: AppConfiguration, _ body: (any Database) async throws -> T) async throws -> T {
    let opened = try PaceDatabase(configuration.database)
    do {
        try await opened.migrate()
        let result = try await body(opened.database)
        await opened.shutdown()
        return result
    } catch {
        await opened.shutdown()
        throw error
    }
}
