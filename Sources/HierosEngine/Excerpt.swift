import HierosText

/// Builds the masked excerpt of a finding: enough to find it, never the secret itself.
enum Excerpt {
    static let invisible = TextNormalizer.invisibleScalars

    /// First and last two characters kept, the middle masked (3 to 10 `*`); whitespace runs
    /// shown as one space. Texts of four characters or fewer keep only their first.
    static func masked(_ bytes: ArraySlice<UInt8>) -> String {
        // Most matches are ASCII: there, but for CR LF (one character), a byte is a character,
        // and the Unicode properties of `Character` cost more than the rest of a finding.
        if bytes.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) { return maskedASCII(bytes) }
        return maskedCharacters(bytes)
    }

    /// `masked` of ASCII without CR: no invisible scalar, and whitespace is tab to form feed
    /// and space (what `Character.isWhitespace` says of them).
    static func maskedASCII(_ bytes: ArraySlice<UInt8>) -> String {
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var lastWasSpace = false
        for byte in bytes {
            if byte == 0x20 || (0x09...0x0C).contains(byte) {
                if !lastWasSpace { kept.append(0x20) }
                lastWasSpace = true
            } else {
                kept.append(byte)
                lastWasSpace = false
            }
        }
        return shown(kept) { String(decoding: $0, as: UTF8.self) }
    }

    /// The kept characters with the middle masked: the rule of `masked`, for bytes or characters.
    private static func shown<Kept: RandomAccessCollection>(_ kept: Kept, _ text: (Kept.SubSequence) -> String) -> String {
        guard kept.count > 4 else { return kept.isEmpty ? "" : text(kept.prefix(1)) + String(repeating: "*", count: 3) }
        let stars = min(max(kept.count - 4, 3), 10)
        return text(kept.prefix(2)) + String(repeating: "*", count: stars) + text(kept.suffix(2))
    }

    static func maskedCharacters(_ bytes: ArraySlice<UInt8>) -> String {
        var characters: [Character] = []
        var lastWasSpace = false
        for character in String(decoding: bytes, as: UTF8.self) {
            if character.unicodeScalars.allSatisfy({ invisible.contains($0.value) }) { continue }
            if character.isWhitespace {
                if !lastWasSpace { characters.append(" ") }
                lastWasSpace = true
            } else {
                characters.append(character)
                lastWasSpace = false
            }
        }
        return shown(characters) { String($0) }
    }
}

/// Line and column of byte offsets in an item, computed once per item.
public struct LineIndex: Sendable {
    private let lineStarts: [Int]
    private let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        lineStarts = [0] + bytes.withUnsafeBufferPointer { ByteScan.newlineOffsets(in: $0) }.map { $0 + 1 }
    }

    /// How many line feeds lie at offsets in `range`.
    public func lineBreaks(in range: Range<Int>) -> Int {
        // A line feed at offset `o` starts a line at `o + 1`; the first line's start is no break.
        startsBefore(range.upperBound + 1) - startsBefore(range.lowerBound + 1)
    }

    /// How many entries of `lineStarts` are below `offset`.
    private func startsBefore(_ offset: Int) -> Int {
        var low = 0, high = lineStarts.count
        while low < high {
            let mid = (low + high) / 2
            if lineStarts[mid] < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// 1-based line, and 1-based column counted in Unicode scalars (invalid bytes count one each).
    public func position(of offset: Int) -> (line: Int, column: Int) {
        let low = startsBefore(offset + 1)  // the lines starting at or before `offset`
        let lineStart = lineStarts[low - 1]
        var column = 1
        var index = lineStart
        while index < offset {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return (low, column)
    }
}
