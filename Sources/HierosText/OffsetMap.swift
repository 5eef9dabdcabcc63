// HierosText turns an item into the normalised view every rule runs on (standard section 10)
// and keeps the way back: any byte range of the normalised text maps to the byte range of
// the original text it came from, so findings point at what the author actually wrote.

/// Maps byte offsets of a rewritten text back to the text it was rewritten from.
///
/// Stored as the list of rewritten pieces only; between pieces the two texts are identical,
/// so a mostly-ASCII document costs almost nothing.
public struct OffsetMap: Sendable, Hashable {
    struct Piece {
        var rewritten: Int
        var rewrittenLength: Int
        var original: Int
        var originalLength: Int
        var rewrittenEnd: Int { rewritten + rewrittenLength }
        var originalEnd: Int { original + originalLength }
    }

    /// The pieces, four values each (rewritten offset and length, original offset and length),
    /// in one flat array: the fold's kernel hands them over in batches, copied whole.
    private var values: [Int] = []

    /// A map for a text that was not changed.
    public static let identity = OffsetMap()

    /// True when no piece was rewritten.
    public var isIdentity: Bool { values.isEmpty }

    private var pieceCount: Int { values.count / 4 }

    private func piece(_ index: Int) -> Piece {
        Piece(rewritten: values[4 * index], rewrittenLength: values[4 * index + 1],
              original: values[4 * index + 2], originalLength: values[4 * index + 3])
    }

    mutating func record(rewritten: Int, rewrittenLength: Int, original: Int, originalLength: Int) {
        values.append(rewritten)
        values.append(rewrittenLength)
        values.append(original)
        values.append(originalLength)
    }

    /// Appends pieces given as four values each, in order after those recorded.
    mutating func record(pieces: UnsafeBufferPointer<Int>) {
        values.append(contentsOf: pieces)
    }

    /// The original offset where the character at rewritten offset `offset` starts.
    public func originalStart(_ offset: Int) -> Int {
        // Last piece starting at or before `offset`.
        var low = 0, high = pieceCount
        while low < high {
            let mid = (low + high) / 2
            if values[4 * mid] <= offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return offset }
        let piece = piece(low - 1)
        if offset < piece.rewrittenEnd { return piece.original }
        return piece.originalEnd + (offset - piece.rewrittenEnd)
    }

    /// The original offset where a range ending at rewritten offset `offset` ends.
    public func originalEnd(_ offset: Int) -> Int {
        // Last piece starting strictly before `offset`: deletions at `offset` stay outside.
        var low = 0, high = pieceCount
        while low < high {
            let mid = (low + high) / 2
            if values[4 * mid] < offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return offset }
        let piece = piece(low - 1)
        if offset <= piece.rewrittenEnd { return piece.originalEnd }
        return piece.originalEnd + (offset - piece.rewrittenEnd)
    }

    /// The original range of a rewritten range.
    public func originalRange(_ range: Range<Int>) -> Range<Int> {
        let start = originalStart(range.lowerBound)
        let end = range.isEmpty ? start : originalEnd(range.upperBound)
        return start..<max(start, end)
    }
}
