import PaceCore
import Testing

struct CSVReaderTests {
    func records(_ text: String, chunkSize: Int? = nil) throws -> [[String]] {
        let bytes = Array(text.utf8)
        var reader: CSVReader
        if let chunkSize {
            var offset = 0
            reader = CSVReader {
                guard offset < bytes.count else { return nil }
                defer { offset += chunkSize }
                return Array(bytes[offset..<min(offset + chunkSize, bytes.count)])
            }
        } else {
            reader = CSVReader(bytes: bytes)
        }
        var result: [[String]] = []
        while let record = try reader.next() { result.append(record.fields) }
        return result
    }

    @Test func readsEveryQuirkRFC4180Allows() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n,,\r\n\"\",plain,\"\"\"\"\r\n"
        #expect(try records(text) == [
            ["a", "b", "c"],
            ["x, y", "say \"hi\"", "two\r\nlines"],
            ["", "", ""],
            ["", "plain", "\""],
        ])
    }

    @Test func acceptsLFAndCRLineEndingsAndNoFinalLineBreak() throws {
        #expect(try records("a,b\nc,d") == [["a", "b"], ["c", "d"]])
        #expect(try records("a,b\rc,d\r") == [["a", "b"], ["c", "d"]])
        #expect(try records("a\n\nb\n") == [["a"], [""], ["b"]])
    }

    @Test func skipsAByteOrderMarkEvenWhenSplitAcrossChunks() throws {
        let text = "\u{FEFF}ods_code,name\nRT5,Leicestershire\n"
        #expect(try records(text) == [["ods_code", "name"], ["RT5", "Leicestershire"]])
        #expect(try records(text, chunkSize: 1) == [["ods_code", "name"], ["RT5", "Leicestershire"]])
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func chunkBoundariesDoNotChangeTheResult(chunkSize: Int) throws {
        let text = "id,note\r\n1,\"multi\r\nline, with \"\"quotes\"\"\"\r\n2,café ☕️\r\n"
        #expect(try records(text, chunkSize: chunkSize) == records(text))
    }

    @Test func numbersRecordsFromTheHeader() throws {
        var reader = CSVReader(text: "h\n\"a\nb\"\nc\n")
        #expect(try reader.next()?.number == 1)
        #expect(try reader.next()?.number == 2)
        #expect(try reader.next()?.number == 3)
        #expect(try reader.next() == nil)
    }

    @Test func reportsWhereTheSyntaxBreaks() {
        func failure(_ text: String) -> CSVSyntaxError? {
            do {
                _ = try records(text)
                return nil
            } catch let error as CSVSyntaxError {
                return error
            } catch {
                return nil
            }
        }
        #expect(failure("a,b\n\"open,x\n") == CSVSyntaxError(record: 2, field: 1, reason: .unterminatedQuote))
        #expect(failure("a,b\nx,ab\"c\n") == CSVSyntaxError(record: 2, field: 2, reason: .quoteInUnquotedField))
        #expect(failure("a,b\n\"x\"y,z\n") == CSVSyntaxError(record: 2, field: 1, reason: .textAfterClosingQuote))
        #expect(failure("PK\u{03}\u{04}\u{00}\u{00}") == CSVSyntaxError(record: 1, field: 1, reason: .notText))
    }

    @Test func refusesTextThatIsNotUTF8() {
        var reader = CSVReader(bytes: Array("name\n".utf8) + [0x43, 0x61, 0x66, 0xE9, 0x0A])
        #expect(throws: CSVSyntaxError(record: 2, field: 1, reason: .notUTF8)) {
            while try reader.next() != nil {}
        }
    }

    @Test func refusesOverlongFields() {
        var reader = CSVReader(bytes: [UInt8](repeating: UInt8(ascii: "x"), count: CSVReader.fieldLimit + 1))
        #expect(throws: CSVSyntaxError(record: 1, field: 1, reason: .fieldTooLong(limit: CSVReader.fieldLimit))) {
            _ = try reader.next()
        }
    }

    @Test func writerOutputReadsBackToTheSameFields() throws {
        var random = SeededRandom(seed: 42)
        let alphabet = Array("ab ,\"\r\n;é☕️-")
        for _ in 0..<500 {
            let fields = (0..<random.int(1...6)).map { _ in String((0..<random.int(0...8)).map { _ in random.pick(alphabet) }) }
            let parsed = try records(CSVWriter.line(fields))
            // A lone empty field is a blank line; everything else must survive exactly.
            if fields == [""] { continue }
            #expect(parsed == [fields])
        }
    }
}
