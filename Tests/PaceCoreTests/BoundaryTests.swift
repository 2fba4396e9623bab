import PaceCore
import Testing

/// The rules that keep hostile or careless text harmless at Pace's edges.
struct BoundaryTests {
    @Test func cellsASpreadsheetWouldRunAreGuardedAndReadBackExactly() throws {
        let cases: [(String, String)] = [
            ("=HYPERLINK(\"http://other.example\")", "'=HYPERLINK(\"http://other.example\")"), ("+1+1", "'+1+1"), ("-cmd", "'-cmd"),
            ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("'=x", "''=x"), ("''@x", "'''@x"),
            ("-0.25", "-0.25"), ("12", "12"), ("-5", "-5"), ("O'Brien", "O'Brien"), ("'quoted'", "'quoted'"), ("", ""), ("2025-04-01", "2025-04-01"),
            ("-2.6063386155072976e-05", "-2.6063386155072976e-05"), ("-1E+3", "-1E+3"), ("-1e", "'-1e"), ("-1e-", "'-1e-"), ("-e5", "'-e5"), ("-1e5+1", "'-1e5+1"),
        ]
        for (value, written) in cases {
            #expect(SpreadsheetSafety.guarded(value) == written, "\(value)")
            #expect(SpreadsheetSafety.restored(written) == value, "\(value)")
        }
        // Through a whole CSV line and back.
        let fields = cases.map(\.0)
        var reader = CSVReader(text: CSVWriter.line(fields))
        #expect(try reader.next()?.fields == fields)
    }

    /// A report writes numbers and booleans straight into its CSV; every other cell goes through the
    /// writer's quoting and spreadsheet guard, exactly as a line of plain text would.
    @Test func aReportsCellsAreWrittenAsTheWriterWritesTheirText() throws {
        let day = try #require(Day(iso: "2025-04-01"))
        let row: [Report.Value] = [
            .integer(-5), .integer(0), .fraction(-0.25), .fraction(-2.6e-05), .fraction(-.infinity), .boolean(true), .boolean(false),
            .day(day), .null, .text("=HYPERLINK(\"http://other.example\")"), .text("a, b"), .text("say \"no\""), .text("-cmd"), .text("line\nbreak"),
        ]
        let report = Report(name: "cells", parameters: [], fields: row.indices.map { "f\($0)" }, rows: [row, row])
        let line = CSVWriter.line(row.map(\.csv))
        #expect(report.csv == CSVWriter.line(report.fields) + line + line)
        #expect(line.hasPrefix("-5,0,-0.25,-2.6e-05,'-inf,true,false,2025-04-01,,\"'=HYPERLINK(\"\"http://other.example\"\")\",\"a, b\""))
    }

    @Test func aReasonMustHoldVisibleWords() {
        for nothing in ["", " ", "\u{200B}", "\u{200E}\u{200F}", "\u{FEFF}", "\u{0}", "\u{301}"] {
            #expect(Reason.problem(nothing) != nil, "\(nothing.unicodeScalars.map(\.value))")
            #expect(!Reason.isGiven(nothing))
        }
        #expect(Reason.problem("line one\nline two") != nil)
        #expect(Reason.problem("line one\u{2028}line two") != nil)
        #expect(Reason.recorded("\u{85}Corrected ") == "Corrected")
        #expect(Reason.problem(String(repeating: "x", count: Reason.maximumLength + 1)) != nil)
        for reason in ["Corrected from the site file", "訂正", "-", "2026"] { #expect(Reason.problem(reason) == nil) }
    }

    @Test func theAuditTrailStoresControlCharactersAsReplacements() {
        #expect(AuditEvent.storable("a\u{0}b\u{1F}c\u{85}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
        #expect(AuditEvent.storable("plain é") == "plain é")
    }

    @Test func reportsOverTheLastMeaningfulMonthsDoNotTrap() throws {
        let last = try #require(Day(iso: "2199-12-01"))
        let report = BoardReport(records: [], partners: [:], firstMonth: last, asOf: try #require(Day(iso: "2026-12-01")))
        #expect(report.months.count == 6)
        #expect(report.lastDay.iso == "2200-05-31")
        let quarter = try #require(FinancialQuarter("2199-00-Q4"))
        #expect(PIDReports.window(endingWith: quarter).upperBound.iso == "2200-03-31")
        let first = try #require(FinancialQuarter("1900-01-Q1"))
        #expect(PIDReports.window(endingWith: first).lowerBound.iso == "1899-07-01")
    }
}
