// HierosText turns an item into the normalised view every rule runs on (standard section 10)
// and keeps the way back: any byte range of the normalised text maps to the byte range of
// the original text it came from, so findings point at what the author actually wrote.

/// Maps byte offsets of a rewritten text back to the text it was rewritten from.
///
/// Stored as the list of rewritten pieces only; between pieces the two texts are identical,
/// so a mostly-ASCII document costs almost nothing.
public struct OffsetMap: Sendable, Hashable {
    struct Piece: Sendable, Hashable {
        var rewritten: Int
        var rewrittenLength: Int
        var original: Int
        var originalLength: Int
        var rewrittenEnd: Int { rewritten + rewrittenLength }
        var originalEnd: Int { original + originalLength }
    }

    var pieces: [Piece] = []

    /// A map for a text that was not changed.
    public static let identity = OffsetMap()

    /// True when no piece was rewritten.
    public var isIdentity: Bool { pieces.isEmpty }

    mutating func record(rewritten: Int, rewrittenLength: Int, original: Int, originalLength: Int) {
        pieces.append(Piece(rewritten: rewritten, rewrittenLength: rewrittenLength,
                            original: original, originalLength: originalLength))
    }

    /// The original offset where the character at rewritten offset `offset` starts.
    public func originalStart(_ offset: Int) -> Int {
        // Last piece starting at or before `offset`.
        var low = 0, high = pieces.count
        while low < high {
            let mid = (low + high) / 2
            if pieces[mid].rewritten <= offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return offset }
        let piece = pieces[low - 1]
        if offset < piece.rewrittenEnd { return piece.original }
        return piece.originalEnd + (offset - piece.rewrittenEnd)
    }

    /// The original offset where a range ending at rewritten offset `offset` ends.
    public func originalEnd(_ offset: Int) -> Int {
        // Last piece starting strictly before `offset`: deletions at `offset` stay outside.
        var low = 0, high = pieces.count
        while low < high {
            let mid = (low + high) / 2
            if pieces[mid].rewritten < offset { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return offset }
        let piece = pieces[low - 1]
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
