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
        if let before = simpleContextStart(bytes, before: range.lowerBound, lineStart: lineStart),
           let after = simpleContextEnd(bytes, after: range.upperBound, lineEnd: lineEnd),
           let match = normalized(bytes[range]) {
            return simpleFingerprint(rule: rule, match: match, before: bytes[before..<range.lowerBound],
                                     after: bytes[range.upperBound..<after])
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
        return fingerprint(rule: rule, match: Array(match.utf8), context: Array(context.utf8))
    }

    // The same fingerprint without Strings or Characters when the context is made of "simple"
    // scalars, ASCII and U+0080–U+02FF (Latin with its accents: most findings of European
    // prose). No such scalar joins another into one `Character` (none extends, is a spacing
    // mark or a prepended one), and a line holds no line feed, so no CR LF pair: each is one
    // Character, and the characters of the context are counted as scalars. Their normalisation
    // holds no whitespace beyond ASCII (those become a space or a line feed), so `isWhitespace`
    // on it is the ASCII test. Characters and String normalisation cost more than the rest of a
    // finding.

    /// Where the `contextCharacters` characters before `end` within the line start, when they and
    /// the one before them (which could otherwise join the first) are simple; nil otherwise.
    static func simpleContextStart(_ bytes: [UInt8], before end: Int, lineStart: Int) -> Int? {
        var start = end, count = 0
        while start > lineStart {
            guard let previous = simpleScalarStart(bytes, endingAt: start, lineStart: lineStart) else { return nil }
            if count == contextCharacters { return start }
            start = previous
            count += 1
        }
        return start
    }

    /// Where the `contextCharacters` characters from `start` within the line end, when they and
    /// the one after them (which could otherwise join the last) are simple; nil otherwise.
    static func simpleContextEnd(_ bytes: [UInt8], after start: Int, lineEnd: Int) -> Int? {
        var end = start, count = 0
        while end < lineEnd {
            guard let next = simpleScalarEnd(bytes, startingAt: end, lineEnd: lineEnd) else { return nil }
            if count == contextCharacters { return end }
            end = next
            count += 1
        }
        return end
    }

    /// The start of the simple scalar that ends just before `end`, at or after `lineStart`.
    @inline(__always)
    private static func simpleScalarStart(_ bytes: [UInt8], endingAt end: Int, lineStart: Int) -> Int? {
        let last = bytes[end - 1]
        if last < 0x80 { return end - 1 }
        guard last < 0xC0, end - 2 >= lineStart, bytes[end - 2] >= 0xC2, bytes[end - 2] <= 0xCB else { return nil }
        return end - 2
    }

    /// The end of the simple scalar that starts at `start`, before `lineEnd`.
    @inline(__always)
    private static func simpleScalarEnd(_ bytes: [UInt8], startingAt start: Int, lineEnd: Int) -> Int? {
        let first = bytes[start]
        if first < 0x80 { return start + 1 }
        guard first >= 0xC2, first <= 0xCB, start + 1 < lineEnd, bytes[start + 1] & 0xC0 == 0x80 else { return nil }
        return start + 2
    }

    /// `bytes` normalised as `unicodeFingerprint` normalises a string, or nil when they are not
    /// UTF-8 (decoding them into a string would replace what normalising bytes passes through).
    private static func normalized(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        if bytes.allSatisfy({ $0 < 0x80 }) { return Array(bytes) }
        let text = normalizer.normalize(Array(bytes))
        return text.firstInvalidUTF8Offset == nil ? text.bytes : nil
    }

    static func simpleFingerprint(rule: String, match: [UInt8], before: ArraySlice<UInt8>, after: ArraySlice<UInt8>) -> String {
        var joined: [UInt8] = []
        joined.reserveCapacity(before.count + after.count + 1)
        joined += before
        joined.append(0)
        joined += after
        // Simple scalars are valid UTF-8: normalising them cannot fail.
        let context = normalized(joined[...]) ?? joined
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(context.count)
        var pendingSpace = false
        for byte in context {
            // `Character.isWhitespace` on ASCII: tab, line feed, vertical tab, form feed, CR, space.
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = !collapsed.isEmpty
                continue
            }
            if pendingSpace { collapsed.append(0x20) }
            pendingSpace = false
            collapsed.append(byte)
        }
        return fingerprint(rule: rule, match: match, context: collapsed)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `rule:hash(match):hash(context)`, built as bytes: a string per part and their
    /// concatenation were half of a fingerprint.
    static func fingerprint(rule: String, match: [UInt8], context: [UInt8]) -> String {
        var text = Array(rule.utf8)
        text.reserveCapacity(text.count + 34)
        text.append(0x3A)
        appendHash(of: match, to: &text)
        text.append(0x3A)
        appendHash(of: context, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The first 8 bytes of the SHA-256 of `bytes`, in lowercase hex.
    private static func appendHash(of bytes: [UInt8], to text: inout [UInt8]) {
        let digest = bytes.withUnsafeBytes { SHA256.hash(data: $0) }
        digest.withUnsafeBytes { digest in
            for byte in digest.prefix(8) {
                text.append(hexDigits[Int(byte >> 4)])
                text.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }
}
