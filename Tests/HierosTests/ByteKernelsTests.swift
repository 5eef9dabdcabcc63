import CByteKernels
import Testing

/// The C kernels against plain Swift: every sign pattern of eight and of four entries, at
/// every length and alignment the eight-, four- and one-entry loops split a log into.
@Suite("Byte kernels")
struct ByteKernelsTests {
    private func negativeOffsets(_ entries: [Int32]) -> [UInt16] {
        var offsets = [UInt16](repeating: 0xFFFF, count: max(entries.count, 1))
        let written = entries.withUnsafeBufferPointer { entries in
            offsets.withUnsafeMutableBufferPointer { hieros_negative_offsets(entries.baseAddress!, entries.count, $0.baseAddress!) }
        }
        return Array(offsets[..<written])
    }

    @Test func everyEightEntryPatternAtEveryAlignment() {
        for lead in 0..<9 {
            // Each 8-bit pattern once, after `lead` entries that shift it across the loops' steps.
            var entries: [Int32] = (0..<lead).map { $0 % 3 == 0 ? -1 : 7 }
            for mask in 0..<256 {
                for bit in 0..<8 { entries.append(mask & (1 << bit) != 0 ? Int32.min | Int32(bit) : Int32(bit)) }
            }
            for length in [entries.count, entries.count - 1, entries.count - 5, 12, 7, 3, 0] {
                let part = Array(entries.prefix(length))
                let expected = part.indices.filter { part[$0] < 0 }.map(UInt16.init)
                #expect(negativeOffsets(part) == expected, "lead \(lead), length \(length)")
            }
        }
    }

    /// The spaced-letter skip stops at the first start whose bytes one and three after may
    /// both be separators (0x20–0x2F or `_`), or where fewer than 19 bytes remain: against a
    /// plain search, from every start of a random text dense and sparse in separators.
    @Test func spacedLetterCandidatesAgreeWithAPlainSearch() {
        var generator = SeededGenerator(seed: 11)
        let alphabet = Array("abcXYZ09 .-_,/:;\n\u{E9}".utf8)
        let bytes = (0..<600).map { offset -> UInt8 in
            let odds: UInt64 = offset / 100 % 2 == 0 ? 3 : 40
            return generator.next() % odds == 0 ? alphabet[Int(generator.next() % UInt64(alphabet.count))] : UInt8(ascii: "q")
        }
        func separatorLike(_ byte: UInt8) -> Bool { byte & 0xF0 == 0x20 || byte == 0x5F }
        for from in 0...bytes.count {
            var expected = from
            while expected + 19 <= bytes.count, !(separatorLike(bytes[expected + 1]) && separatorLike(bytes[expected + 3])) {
                expected += 1
            }
            // Without a candidate, the kernel stops at the first start of its sixteen-start steps
            // from which fewer than 19 bytes remain.
            let found = bytes.withUnsafeBufferPointer { hieros_spaced_letter_candidate($0.baseAddress!, from, $0.count) }
            if expected + 19 <= bytes.count {
                #expect(found == expected, "from \(from)")
            } else {
                #expect(found >= expected && found + 19 > bytes.count && (found - from) % 16 == 0, "from \(from)")
            }
        }
    }

    /// The first byte beyond ASCII from every start, in text where they are dense and sparse,
    /// against a plain search.
    @Test func firstNonASCIIAgreesWithAPlainSearch() {
        var generator = SeededGenerator(seed: 12)
        let bytes = (0..<700).map { offset -> UInt8 in
            let odds: UInt64 = offset / 150 % 2 == 0 ? 4 : 90
            return generator.next() % odds == 0 ? UInt8(0x80 + generator.next() % 0x80) : UInt8(generator.next() % 0x80)
        }
        for from in 0...bytes.count {
            let expected = bytes[from...].firstIndex { $0 >= 0x80 } ?? bytes.count
            for count in [bytes.count, min(bytes.count, from + 17), from] where count >= from {
                let found = bytes.withUnsafeBufferPointer { hieros_first_non_ascii($0.baseAddress!, from, count) }
                #expect(found == min(expected, count), "from \(from), count \(count)")
            }
        }
    }

    /// Offsets up to the largest a block of the keyword pass holds (16-bit lanes).
    @Test func offsetsNearTheLimit() {
        var entries = [Int32](repeating: 1, count: 65_536)
        for index in [0, 7, 8, 255, 4_095, 65_527, 65_528, 65_534, 65_535] { entries[index] = -5 }
        #expect(negativeOffsets(entries) == [0, 7, 8, 255, 4_095, 65_527, 65_528, 65_534, 65_535])
    }
}
