/// Word arithmetic of the standard (2.2): a word is a maximal run of non-whitespace, and
/// "A within N words of B" means at most N words lie strictly between them.
public enum WordWindow {
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// The byte offset before which evidence must start to be within `words` words after a
    /// match ending at `end`: the start of the (words + 2)-th word after the match's own word.
    public static func forwardLimit(in bytes: [UInt8], after end: Int, words: Int) -> Int {
        var position = end
        // Finish the word that holds the end of the match.
        if position > 0, !isSpace(bytes[position - 1]) {
            while position < bytes.count, !isSpace(bytes[position]) { position += 1 }
        }
        var seen = 0
        while position < bytes.count {
            while position < bytes.count, isSpace(bytes[position]) { position += 1 }
            guard position < bytes.count else { break }
            if seen == words &+ 1 { return position }  // `&+`: Int.max words is "the whole text"
            seen += 1
            while position < bytes.count, !isSpace(bytes[position]) { position += 1 }
        }
        return bytes.count
    }

    /// The byte offset after which evidence must end to be within `words` words before a
    /// match starting at `start`: the start of the (words + 1)-th word before the match's word.
    public static func backwardLimit(in bytes: [UInt8], before start: Int, words: Int) -> Int {
        var position = start
        // Go back to the start of the word that holds the start of the match.
        if position < bytes.count, !isSpace(bytes[position]) {
            while position > 0, !isSpace(bytes[position - 1]) { position -= 1 }
        }
        var seen = 0
        while position > 0 {
            while position > 0, isSpace(bytes[position - 1]) { position -= 1 }
            guard position > 0 else { break }
            while position > 0, !isSpace(bytes[position - 1]) { position -= 1 }
            seen += 1
            if seen == words &+ 1 { return position }
        }
        return 0
    }
}
