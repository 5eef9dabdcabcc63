@testable import HierosScan
import Testing

/// Fingerprints are kept in baselines: the ASCII path must give exactly what the definition
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
