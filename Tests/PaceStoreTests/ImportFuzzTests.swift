import FluentKit
import PaceCore
import PaceStore
import SQLKit
import Testing

/// Thousands of malformed, truncated, mis-encoded and hostile files, made by mutating good ones with a
/// seeded generator: every one is either imported whole or refused whole with issues naming the file,
/// row and column. Nothing else — no other error, no half-written import.
struct ImportFuzzTests {
    static let hostile = [
        "<script>alert(1)</script>", "'; DROP TABLE studies;--", "=cmd|' /C calc'!A0", "\u{202E}evil", "\u{0}", "\u{FEFF}",
        String(repeating: "A", count: 10_000), "\"\"\"", "9434765919", "1960-02-01", "-1", "99999999999999999999", "NaN", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    ]

    @Test func mutatedFilesAreImportedWholeOrRefusedNamingFileRowAndColumn() async throws {
        let portfolio = DemoPortfolio(seed: 5, asOf: Day(iso: "2026-11-27")!, studyCount: 8)
        try await TestDatabases.with(.sqliteMemory, suite: "fuzz") { database in
            try await Register(database: database).load(portfolio, by: .commandLine("test"))
            let sql = try #require(database as? any SQLDatabase)
            var random = SeededRandom(seed: 2026)
            var refused = 0, imported = 0
            for number in 1...1_500 {
                let kind = random.pick(InterchangeKind.allCases)
                let original = Array(portfolio.csv(kind).split(separator: "\n", omittingEmptySubsequences: false).prefix(12).joined(separator: "\n").utf8)
                let bytes = Self.mutate(original, &random)
                let file = "fuzz-\(number).csv"
                let before = try await Self.counts(sql)
                do {
                    _ = try await Importer(database: database).importFile(kind, named: file, reader: CSVReader(bytes: bytes), sha256: { "fuzz" }, by: .commandLine("fuzz"))
                    imported += 1
                } catch let rejected as ImportRejected {
                    refused += 1
                    #expect(!rejected.issues.isEmpty, "case \(number)")
                    for issue in rejected.issues {
                        #expect(issue.file == file && issue.row >= 1 && !issue.column.isEmpty && !issue.message.isEmpty, "case \(number): \(issue)")
                    }
                    let after = try await Self.counts(sql)
                    #expect(after == before, "case \(number): a refused file changed the database")
                } catch {
                    Issue.record("case \(number) (\(kind.rawValue)): \(String(reflecting: error))")
                }
            }
            // The mutations are meant to break most files, but some survive as valid data.
            #expect(refused > 1_000 && imported > 0)
            #expect(try await AuditTrail(database: database).verify().problem == nil)
        }
    }

    static func mutate(_ original: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = original
        for _ in 0...random.int(0...2) {
            let position = bytes.isEmpty ? 0 : random.int(0...(bytes.count - 1))
            switch random.int(0...8) {
            case 0: bytes = Array(bytes.prefix(position))
            case 1: bytes.insert(random.pick([0x00, 0xFF, 0x22, 0x2C, 0x0A, 0x0D, 0xC3, 0x80]), at: position)
            case 2: if !bytes.isEmpty { bytes.remove(at: position) }
            case 3: bytes.insert(contentsOf: Array(random.pick(hostile).utf8), at: position)
            case 4: bytes.insert(contentsOf: [0xC3, 0x28, 0xE2, 0x82], at: position)
            case 5:
                // A line repeated: its key appears twice.
                let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
                if lines.count > 2 { bytes = Array((lines + [lines[random.int(1...(lines.count - 1))]]).joined(separator: [0x0A])) }
            case 6:
                // A field replaced with something hostile.
                var text = String(decoding: bytes, as: UTF8.self)
                if let comma = text.indices.filter({ text[$0] == "," }).dropFirst(random.int(0...20)).first {
                    text.insert(contentsOf: random.pick(hostile), at: text.index(after: comma))
                }
                bytes = Array(text.utf8)
            case 7: bytes = Array("unknown_column,other\n1,2\n".utf8)
            default: bytes = random.chance(0.5) ? [] : [0xEF, 0xBB, 0xBF] + bytes
            }
        }
        return bytes
    }

    static func counts(_ sql: any SQLDatabase) async throws -> [Int] {
        var result: [Int] = []
        for table in ["organisations", "studies", "sites", "participants", "recruitment_counts", "recruitment_monthly", "audit_events"] {
            result.append(try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1)
        }
        return result
    }
}
