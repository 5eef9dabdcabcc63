@testable import HierosScan
import Testing

/// Fingerprints are kept in baselines: the byte path must give exactly what the definition
/// (`unicodeFingerprint`) gives, or every baselined finding of a repository reappears.
@Suite("Finding fingerprints")
struct FingerprintTests {
    @Test func pinnedValue() {
        // sha256("abc123") and sha256("token: \0 here"), first 8 bytes, computed outside Swift.
        let bytes = Array("token: abc123 here".utf8)
        #expect(Fingerprint.make(rule: "r", bytes: bytes, range: 7..<13) == "r:6ca13d52ca70c883:2fccf496fcc084af")
    }

    /// Lines of ASCII with runs of every kind of whitespace, CR, NUL and long stretches, and
    /// matches at every place: the fast path against the definition.
    @Test func asciiPathEqualsTheDefinition() {
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("ab Z9:-\t\r\u{0B}\u{0C}\0_  x".utf8) + [0x0A]
        for _ in 0..<3000 {
            let length = Int.random(in: 1...400, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            let start = Int.random(in: 0..<length, using: &generator)
            let end = Int.random(in: start...min(length, start + 40), using: &generator)
            expectBothPaths(bytes, start..<end)
        }
    }

    /// Lines mixing ASCII with the simple scalars (U+0080–U+02FF: accents, NBSP, NEL, the soft
    /// hyphen, `¼`) and what is not simple (a combining or a prepended mark, a typographic quote,
    /// an emoji, invalid bytes), matches at every place: the byte path against the definition.
    @Test func simplePathEqualsTheDefinition() {
        var generator = SeededGenerator(seed: 7)
        let simple: [Unicode.Scalar] = ["a", "Z", " ", "\t", "\r", "-", "\u{0}", "\u{85}", "\u{A0}", "\u{AD}", "\u{BC}",
                                        "é", "É", "ß", "Æ", "ø", "ł", "ŉ", "ǅ", "\u{2B0}", "\u{2C6}", "\u{2E0}", "\u{2FF}"]
        let other: [[UInt8]] = [Array("\u{301}".utf8), Array("\u{600}".utf8), Array("\u{2019}".utf8),
                                Array("\u{1F600}".utf8), [0xC3], [0x80], [0xE2, 0x80]]
        for round in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...160, using: &generator) {
                // One line in four holds something that is not simple, somewhere.
                if round % 4 == 0, Int.random(in: 0..<40, using: &generator) == 0 {
                    bytes += other.randomElement(using: &generator)!
                } else {
                    bytes += Array(String(simple.randomElement(using: &generator)!).utf8)
                }
            }
            let start = Int.random(in: 0..<bytes.count, using: &generator)
            let end = Int.random(in: start...min(bytes.count, start + 40), using: &generator)
            expectBothPaths(bytes, start..<end)
        }
    }

    /// Every scalar of U+0080–U+02FF, and the combining marks after them, as the first and the
    /// last character of the context, just outside it, and inside the match.
    @Test func everySimpleScalarAtTheContextEdges() {
        for value in UInt32(0x80)...0x36F {
            let scalar = String(Unicode.Scalar(value)!)
            let a = String(repeating: "a", count: 31), b = String(repeating: "b", count: 31)
            for text in [scalar + a + "KEY" + b + scalar, a + scalar + "KEY" + scalar + b, "x" + scalar + a + "KEY" + b + scalar + "y",
                         scalar + " KEY" + scalar + "KEY " + scalar] {
                let bytes = Array(text.utf8)
                let key = Array("KEY".utf8)
                let start = (0...(bytes.count - 3)).first { Array(bytes[$0..<($0 + 3)]) == key }!
                expectBothPaths(bytes, start..<(start + 3))
                expectBothPaths(bytes, max(0, start - 2)..<min(bytes.count, start + 5))
            }
        }
    }

    /// Non-ASCII next to the context: a prepended mark just before it (it joins the first
    /// character kept), a spacing mark just after it (it joins the last one), accents inside it.
    @Test(arguments: [
        ("\u{0600}" + String(repeating: "a", count: 32) + "KEY" + " tail", 34, 37),
        (String(repeating: "a", count: 40) + "KEY" + String(repeating: "b", count: 31) + "e\u{0903}", 40, 43),
        ("caf\u{00E9} KEY b", 6, 9),
        ("x KEY \u{201C}q\u{201D}", 2, 5),
        ("\u{FF21}\u{FF22} KEY", 7, 10),
    ])
    func unicodeNearTheContext(_ text: String, _ start: Int, _ end: Int) {
        expectBothPaths(Array(text.utf8), start..<end)
    }

    private func expectBothPaths(_ bytes: [UInt8], _ range: Range<Int>) {
        var lineStart = range.lowerBound, lineEnd = range.upperBound
        while lineStart > 0, bytes[lineStart - 1] != 0x0A, range.lowerBound - lineStart < 128 { lineStart -= 1 }
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, lineEnd - range.upperBound < 128 { lineEnd += 1 }
        let definition = Fingerprint.unicodeFingerprint(rule: "rule.id", bytes: bytes, range: range, line: lineStart..<lineEnd)
        #expect(Fingerprint.make(rule: "rule.id", bytes: bytes, range: range) == definition,
                "\(String(decoding: bytes, as: UTF8.self).debugDescription) \(range)")
    }
}
