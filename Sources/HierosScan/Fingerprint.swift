import Crypto
import HierosEngine
import HierosText

/// Content-based identity of a finding: the rule, a hash of the normalised matched text and a
/// hash of the text around it on its line. Moving the text (other lines, other files) keeps
/// it; changing the matched text (a new secret on a known line) changes it.
enum Fingerprint {
    static let contextCharacters = 32
    private static let normalizer = TextNormalizer(joinsSpacedLetters: false)

    static func make(rule: String, bytes: [UInt8], range: Range<Int>) -> String {
        let match = normalizer.normalize(String(decoding: bytes[range], as: UTF8.self))
        var lineStart = range.lowerBound, lineEnd = range.upperBound
        while lineStart > 0, bytes[lineStart - 1] != 0x0A, range.lowerBound - lineStart < 4 * contextCharacters { lineStart -= 1 }
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, lineEnd - range.upperBound < 4 * contextCharacters { lineEnd += 1 }
        let before = String(String(decoding: bytes[lineStart..<range.lowerBound], as: UTF8.self).suffix(contextCharacters))
        let after = String(String(decoding: bytes[range.upperBound..<lineEnd], as: UTF8.self).prefix(contextCharacters))
        let context = normalizer.normalize(before + "\u{0}" + after)
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return "\(rule):\(hash(match)):\(hash(context))"
    }

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
