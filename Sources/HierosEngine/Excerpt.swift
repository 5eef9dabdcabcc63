import HierosText

/// Builds the masked excerpt of a finding: enough to find it, never the secret itself.
enum Excerpt {
    static let invisible = TextNormalizer.invisibleScalars

    /// First and last two characters kept, the middle masked (3 to 10 `*`); whitespace runs
    /// shown as one space. Texts of four characters or fewer keep only their first.
    static func masked(_ bytes: ArraySlice<UInt8>) -> String {
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
        guard characters.count > 4 else {
            return characters.isEmpty ? "" : String(characters[0]) + String(repeating: "*", count: 3)
        }
        let stars = min(max(characters.count - 4, 3), 10)
        return String(characters.prefix(2)) + String(repeating: "*", count: stars) + String(characters.suffix(2))
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

    /// 1-based line, and 1-based column counted in Unicode scalars (invalid bytes count one each).
    public func position(of offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count
        while low < high {
            let mid = (low + high) / 2
            if lineStarts[mid] <= offset { low = mid + 1 } else { high = mid }
        }
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
