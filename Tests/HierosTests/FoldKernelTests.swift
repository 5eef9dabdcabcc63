@testable import HierosText
import Testing

/// The fold of `CByteKernels` against the fold one scalar at a time in Swift (the definition):
/// the same bytes, the same map back, the same first invalid byte.
@Suite("Fold kernel")
struct FoldKernelTests {
    /// Pieces of text of every kind the two folds treat apart: ASCII; two-byte scalars folded,
    /// kept, deleted (soft hyphen, a combining mark) or folded to more than three bytes (`½`);
    /// three-byte ones folded, kept, deleted, folded long (U+FDFA), and two sharing a cache
    /// slot (U+2019 and U+2119); four-byte ones; bytes that are not UTF-8 (a stray continuation,
    /// an overlong form, a surrogate, a cut sequence, 0xF5).
    static let pieces: [[UInt8]] = {
        let texts = ["a", "Z", " ", "\n", "12", "é", "É", "ß", "Æ", "µ", "\u{A0}", "\u{AD}", "\u{300}", "½", "\u{2019}",
                     "\u{2119}", "\u{201C}", "—", "…", "€", "ﬁ", "\u{200B}", "\u{2028}", "\u{FDFA}", "😀", "\u{1D400}"]
        return texts.map { Array($0.utf8) } + [[0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x80], [0xF5], [0xC3]]
    }()

    private func expectSameFold(_ bytes: [UInt8]) {
        var kernel = ScalarFolder(), reference = ScalarFolder()
        let folded = kernel.fold(bytes), expected = reference.foldScalarByScalar(bytes)
        #expect(folded.0 == expected.0, "\(bytes)")
        #expect(folded.1 == expected.1, "\(bytes)")
        #expect(folded.2 == expected.2, "\(bytes)")
    }

    @Test func randomTextsFoldAsTheDefinition() {
        var generator = SeededGenerator(seed: 2048)
        for round in 0..<2000 {
            // Mostly ASCII with the others now and then, or dense in them; some long enough for
            // more than one batch of pieces.
            let length = round % 50 == 0 ? 6000 : Int.random(in: 0...120, using: &generator)
            let density = round % 3 == 0 ? 2 : 12
            var bytes: [UInt8] = []
            while bytes.count < length {
                bytes += Int.random(in: 0..<density, using: &generator) == 0 || density == 2
                    ? Self.pieces.randomElement(using: &generator)! : [UInt8(ascii: "q")]
            }
            expectSameFold(bytes)
        }
    }

    /// Every two-byte scalar, alone, after ASCII, and twice.
    @Test func everyTwoByteScalar() {
        for value in UInt32(0x80)..<0x800 {
            let scalar = Array(String(Unicode.Scalar(value)!).utf8)
            for bytes in [scalar, Array("ab".utf8) + scalar + Array("cd".utf8), scalar + scalar] { expectSameFold(bytes) }
        }
    }

    /// A text whose folding outgrows the kernel's room (`½` is five bytes for two) is folded by
    /// the definition, after the kernel has started.
    @Test func foldingsThatOutgrowTheRoomFallBack() {
        let bytes = Array(("é" + String(repeating: "½", count: 200) + " end").utf8)
        var folder = ScalarFolder()
        let (folded, map, invalid) = folder.fold(bytes)
        #expect(String(decoding: folded, as: UTF8.self) == "e" + String(repeating: "1\u{2044}2", count: 200) + " end")
        #expect(!map.isIdentity && invalid == nil)
        expectSameFold(bytes)
    }
}
