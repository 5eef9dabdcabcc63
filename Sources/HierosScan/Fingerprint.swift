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
        var lineStart = range.lowerBound, lineEnd = range.upperBound
        while lineStart > 0, bytes[lineStart - 1] != 0x0A, range.lowerBound - lineStart < 4 * contextCharacters { lineStart -= 1 }
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, lineEnd - range.upperBound < 4 * contextCharacters { lineEnd += 1 }
        let before = max(lineStart, range.lowerBound - contextCharacters)..<range.lowerBound
        let after = range.upperBound..<min(lineEnd, range.upperBound + contextCharacters)
        // One byte more on each side: a character there could join the first or last one kept
        // (a prepended mark before, a combining mark after).
        let checked = (before.lowerBound > lineStart ? before.lowerBound - 1 : before.lowerBound)
            ..< (after.upperBound < lineEnd ? after.upperBound + 1 : after.upperBound)
        if bytes[checked].allSatisfy({ $0 < 0x80 }) {
            return asciiFingerprint(rule: rule, match: bytes[range], before: bytes[before], after: bytes[after])
        }
        return unicodeFingerprint(rule: rule, bytes: bytes, range: range, line: lineStart..<lineEnd)
    }

    /// The definition: the match normalised, and the context of at most `contextCharacters`
    /// characters on each side within `line`, normalised, its whitespace collapsed.
    static func unicodeFingerprint(rule: String, bytes: [UInt8], range: Range<Int>, line: Range<Int>) -> String {
        let (lineStart, lineEnd) = (line.lowerBound, line.upperBound)
        let match = normalizer.normalize(String(decoding: bytes[range], as: UTF8.self))
        let beforeText = String(String(decoding: bytes[lineStart..<range.lowerBound], as: UTF8.self).suffix(contextCharacters))
        let afterText = String(String(decoding: bytes[range.upperBound..<lineEnd], as: UTF8.self).prefix(contextCharacters))
        let context = normalizer.normalize(beforeText + "\u{0}" + afterText)
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return "\(rule):\(hash(match.utf8)):\(hash(context.utf8))"
    }

    /// The same fingerprint without Strings, when the matched text and the context it uses are
    /// ASCII (most findings): normalisation leaves ASCII as it is, and an ASCII character other
    /// than a line break is one byte and one `Character` (the lines hold no line feed, so no
    /// CR LF pair). Characters and Unicode normalisation cost more than the rest of a finding.
    static func asciiFingerprint(rule: String, match: ArraySlice<UInt8>, before: ArraySlice<UInt8>,
                                         after: ArraySlice<UInt8>) -> String {
        var context: [UInt8] = []
        context.reserveCapacity(before.count + after.count + 1)
        var pendingSpace = false
        for byte in [before, [0], after].joined() {
            // `Character.isWhitespace` on ASCII: tab, line feed, vertical tab, form feed, CR, space.
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = !context.isEmpty
                continue
            }
            if pendingSpace { context.append(0x20) }
            pendingSpace = false
            context.append(byte)
        }
        return "\(rule):\(hash(match)):\(hash(context))"
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func hash(_ bytes: some Sequence<UInt8>) -> String {
        var digest = SHA256()
        digest.update(data: Array(bytes))
        var hex: [UInt8] = []
        hex.reserveCapacity(16)
        for byte in digest.finalize().prefix(8) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
