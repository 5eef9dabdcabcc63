import Foundation
import Testing

@testable import HierosText

/// The folding of U+0080–U+07FF is a table in the source (TwoByteFolding.swift) so that items
/// need not start Foundation's normaliser; it must be what the normaliser computes.
@Suite("Precomputed two-byte folding")
struct TwoByteFoldingTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/HierosText/TwoByteFolding.swift", isDirectory: false).standardizedFileURL

    /// ASCII (below U+0080) never reaches the table and is 0.
    static func computed() -> [UInt32] {
        (0..<0x800).map { $0 < 0x80 ? 0 : ScalarFolder.packed(ScalarFolder.computeReplacement(for: UInt32($0))) }
    }

    static func source(_ table: [UInt32]) -> String {
        var lines = [
            "// Generated from ScalarFolder.computeReplacement by TwoByteFoldingTests: do not edit.",
            "// Regenerate with `HIEROS_UPDATE_GOLDEN=1 swift test --filter TwoByteFolding` (e.g. after",
            "// a toolchain whose Unicode data changed) and review the diff.",
            "",
            "/// The normalisation of each scalar below U+0800, packed as ScalarFolder.packed does.",
            "enum TwoByteFolding {",
            "    static let table: [UInt32] = [",
        ]
        for start in stride(from: 0, to: table.count, by: 8) {
            let row = table[start..<(start + 8)].map { "0x" + String($0, radix: 16, uppercase: true) }
            lines.append("        " + row.joined(separator: ", ") + ",  // U+" + String(format: "%04X", start))
        }
        lines += ["    ]", "}", ""]
        return lines.joined(separator: "\n")
    }

    @Test func tableIsWhatTheNormaliserComputes() throws {
        let expected = Self.computed()
        if ProcessInfo.processInfo.environment["HIEROS_UPDATE_GOLDEN"] == "1" {
            try Self.source(expected).write(to: Self.file, atomically: true, encoding: .utf8)
            return
        }
        #expect(TwoByteFolding.table.count == 0x800)
        let differing = (0x80..<0x800).filter { TwoByteFolding.table[$0] != expected[$0] }
        #expect(differing.isEmpty, "differs at \(differing.prefix(8).map { String(format: "U+%04X", $0) }); regenerate (see the file)")
        #expect(try String(contentsOf: Self.file, encoding: .utf8) == Self.source(TwoByteFolding.table))
    }

    /// Accented letters, a letter with a longer folding (U+0149), invisible U+00AD and
    /// non-ASCII digits and spaces, through the table and through the normaliser.
    @Test func itemsFoldAsBefore() {
        let text = "Équipe réunion naïve ŉ co\u{AD}de ٣٤ A\u{A0}B ﬁ Ω"
        let normalized = TextNormalizer(joinsSpacedLetters: false).normalize(text)
        #expect(normalized == "Equipe reunion naive ʼn code 34 A B fi Ω")
    }
}
