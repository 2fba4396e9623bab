import Foundation
import PaceCore
@testable import PaceWeb
import Testing

struct JSONValueTests {
    @Test func serializedTextDecodesToTheSameValue() throws {
        let value = JSONValue.object([
            ("text", .string("quote \" backslash \\ newline \n tab \t bell \u{7} </script> café ☕️")),
            ("numbers", .array([.integer(-3), .integer(0), .number(2.5), .null])),
            ("flags", .array([.boolean(true), .boolean(false)])),
            ("nested", .object([("empty", .array([])), ("none", .object([]))])),
        ])
        let text = value.serialized
        #expect(!text.contains("</script>"))
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) == value)
    }

    @Test func keepsTheOrderOfKeys() {
        #expect(JSONValue.object([("b", .integer(1)), ("a", .integer(2))]).serialized == #"{"b":1,"a":2}"#)
    }
}
