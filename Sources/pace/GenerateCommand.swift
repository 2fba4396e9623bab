import ArgumentParser
import Foundation
import PaceCore

struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write interchange CSV files for a deterministic regional portfolio, for trying Pace at scale and for benchmarks.",
        discussion: "Writes organisations.csv, studies.csv, sites.csv and participants.csv in DIR; import them in that order. The same options and seed always give the same files."
    )

    @Option(help: "The directory to write (created if missing).")
    var out: String

    @Option(help: "Organisations: NHS trusts, GP practices, universities and companies.")
    var organisations = 250

    @Option(help: "Studies.")
    var studies = 40_000

    @Option(help: "Participants across every recruiting site.")
    var participants = 5_000_000

    @Option(help: "The seed for the random choices.")
    var seed: UInt64 = 1

    @Option(help: "The day the portfolio is as of (YYYY-MM-DD); default today.")
    var asOf: String?

    func validate() throws {
        guard organisations >= 8, organisations <= 20_000 else { throw ValidationError("--organisations must be from 8 to 20000") }
        guard studies >= 1, studies <= 1_000_000 else { throw ValidationError("--studies must be from 1 to 1000000") }
        guard participants >= 0, participants <= 100_000_000 else { throw ValidationError("--participants must be from 0 to 100000000") }
    }

    func run() async throws {
        let day = try parseDay(asOf)
        let generator = RegionGenerator(organisations: organisations, studies: studies, participants: participants, seed: seed, asOf: day)
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("\(out): cannot create the directory")
        }
        func file(_ kind: InterchangeKind, expected: Int? = nil, _ write: (BufferedSink, Progress) throws -> Int) throws {
            let path = (out as NSString).appendingPathComponent("\(kind.rawValue).csv")
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw ValidationError("\(path): cannot write the file")
            }
            defer { try? handle.close() }
            let sink = BufferedSink(handle)
            try sink.write(CSVWriter.line(kind.columnNames))
            let progress = Progress("\(kind.rawValue).csv")
            let rows = try write(sink, progress)
            try sink.flush()
            progress.finish(rows: rows)
            FileHandle.standardError.write(Data("\(path): \(rows) rows\n".utf8))
        }
        /// Counts a row and tells the progress line every thousand rows.
        func counted(_ rows: inout Int, _ progress: Progress, expected: Int?) {
            rows += 1
            if rows % 1_000 == 0 { progress.update(rows: rows, fraction: expected.map { Double(rows) / Double(max(1, $0)) }) }
        }
        try file(.organisations) { sink, progress in
            var rows = 0
            try generator.forEachOrganisation { try sink.write(CSVWriter.line($0.csvFields)); counted(&rows, progress, expected: organisations) }
            return rows
        }
        try file(.studies) { sink, progress in
            var rows = 0
            try generator.forEachStudy { try sink.write(CSVWriter.line($0.study.csvFields)); counted(&rows, progress, expected: studies) }
            return rows
        }
        try file(.sites) { sink, progress in
            var rows = 0
            try generator.forEachStudy { generated in
                for site in generated.sites { try sink.write(CSVWriter.line(site.csvFields)); counted(&rows, progress, expected: nil) }
            }
            return rows
        }
        try file(.participants) { sink, progress in
            var rows = 0
            try generator.forEachParticipant { try sink.write(CSVWriter.line($0.csvFields)); counted(&rows, progress, expected: participants) }
            return rows
        }
        try file(.recruitmentCounts) { sink, progress in
            var rows = 0
            try generator.forEachMonthlyCount { try sink.write(CSVWriter.line($0.csvFields)); counted(&rows, progress, expected: nil) }
            return rows
        }
    }
}
