/// A result's column positions by name. A region-wide report looks a position up for every value of
/// every row (three million times for the sites report), and the standard dictionary's seeded hash took
/// a fifth of the report's time. Column names come from Pace's own queries, never from a user, so a
/// cheap unkeyed hash serves.
struct ColumnPositions: Sendable {
    private final class Table: Sendable {
        /// Each distinct name with its first position in the result.
        let entries: [(name: String, position: Int)]
        /// Open addressing: an entry's index plus one, or 0 for an empty slot. Never full (at least
        /// twice the entries), so every probe ends.
        let slots: [Int]

        init(entries: [(name: String, position: Int)], slots: [Int]) {
            self.entries = entries
            self.slots = slots
        }
    }

    private let table: Table

    /// Positions of `names` in order; a name repeated in a result answers its first position, as
    /// SQLKit's rows did.
    init(_ names: [String]) {
        var entries: [(name: String, position: Int)] = []
        for (position, name) in names.enumerated() where !entries.contains(where: { $0.name == name }) {
            entries.append((name, position))
        }
        var size = 8
        while size < entries.count * 2 { size *= 2 }
        var slots = [Int](repeating: 0, count: size)
        for (index, entry) in entries.enumerated() {
            var slot = Self.hash(entry.name) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = index + 1
        }
        table = Table(entries: entries, slots: slots)
    }

    var isEmpty: Bool { table.entries.isEmpty }

    subscript(name: String) -> Int? {
        let slots = table.slots, mask = slots.count - 1
        var slot = Self.hash(name) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if table.entries[entry - 1].name == name { return table.entries[entry - 1].position }
            slot = (slot + 1) & mask
        }
    }

    /// The name's length and five of its bytes (the first two, the middle one and the last two), read
    /// in place: enough to tell a query's column names apart almost always, and a clash only costs a
    /// probe. Hashing every byte cost more than the look-up it served.
    private static func hash(_ name: String) -> Int {
        func mixed<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int where Bytes.Index == Int {
            let count = bytes.count
            guard count > 0 else { return 0 }
            let start = bytes.startIndex
            func byte(_ offset: Int) -> UInt64 { UInt64(bytes[start + offset]) }
            var hash = UInt64(count) &* 0x9E37_79B9_7F4A_7C15
            hash = (hash ^ byte(0) ^ byte(min(1, count - 1)) << 8 ^ byte(count / 2) << 16 ^ byte(max(count - 2, 0)) << 24 ^ byte(count - 1) << 32) &* 0x100_0000_01b3
            return Int(truncatingIfNeeded: hash ^ (hash >> 29))
        }
        return name.utf8.withContiguousStorageIfAvailable { mixed($0) } ?? mixed(Array(name.utf8))
    }
}
