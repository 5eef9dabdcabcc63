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

    /// Offsets up to the largest a block of the keyword pass holds (16-bit lanes).
    @Test func offsetsNearTheLimit() {
        var entries = [Int32](repeating: 1, count: 65_536)
        for index in [0, 7, 8, 255, 4_095, 65_527, 65_528, 65_534, 65_535] { entries[index] = -5 }
        #expect(negativeOffsets(entries) == [0, 7, 8, 255, 4_095, 65_527, 65_528, 65_534, 65_535])
    }
}
