import HierosEngine
import HierosText
import Testing

@Suite("Eight-byte scans")
struct ByteScanTests {
    /// Seeded bytes, dense in the bytes the scans look for and in the bytes around them.
    private func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        let alphabet: [UInt8] = [0x0A, 0x20, 0x2D, 0x2E, 0x5F, 0x30, 0x39, 0x3A, 0x2F, 0x41, 0x61, 0x00, 0x7F, 0x80, 0xFF, 0x0B]
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return alphabet[Int(state >> 60)]
        }
    }

    @Test(arguments: [0, 1, 7, 8, 9, 63, 1000])
    func newlinesAreCountedAndPlacedExactly(_ count: Int) {
        let data = bytes(count, seed: UInt64(count) + 1)
        let expected = data.indices.filter { data[$0] == 0x0A }
        data.withUnsafeBufferPointer { buffer in
            #expect(ByteScan.newlineOffsets(in: buffer) == expected)
        }
        // A large file's pieces count their lines from the index their findings were placed with.
        let lines = LineIndex(data)
        for start in stride(from: 0, through: count, by: max(1, count / 9)) {
            for end in [start, start + 1, (start + count) / 2, count] where end >= start && end <= count {
                #expect(lines.lineBreaks(in: start..<end) == expected.filter { (start..<end).contains($0) }.count,
                        "\(start)..<\(end)")
            }
        }
    }

    @Test func byteFlagsAreExact() {
        let data = bytes(4096, seed: 42)
        data.withUnsafeBufferPointer { buffer in
            for offset in stride(from: 0, to: buffer.count - 8, by: 5) {
                let word = ByteScan.word(buffer, at: offset)
                for (index, byte) in buffer[offset..<(offset + 8)].enumerated() {
                    let bit = UInt64(0x80) << UInt64(index * 8)
                    #expect((ByteScan.zeroBytes(word) & bit != 0) == (byte == 0))
                    #expect((ByteScan.equalBytes(word, 0x2E) & bit != 0) == (byte == 0x2E))
                    #expect((ByteScan.digitLikeBytes(word) & bit != 0) == (byte >= 0x30 && byte <= 0x3F))
                }
            }
        }
    }
}
