/// What must follow an occurrence of a term's first word (the literal by which the keyword
/// pass finds the term) for one of the terms that start with it to match there: a run of bytes
/// that can lie between (the rest of the first word: its optional suffixes; the separators),
/// then a byte that can start the second word.
///
/// A necessary condition, checked at each occurrence before PCRE2 is tried there: prose is full
/// of first words (`budget`, `plan`, `offre`) that no second word of a term follows, and a call
/// to PCRE2 that fails costs a hundred times this walk.
public struct NextWord: Sendable, Hashable {
    /// Bytes a match can consume between the literal and its second word.
    public let between: ByteSet
    /// Bytes the second word can start with.
    public let starts: ByteSet

    public init(between: ByteSet, starts: ByteSet) {
        self.between = between
        self.starts = starts
    }

    /// How far the walk goes before it gives up and admits the occurrence: a separator run
    /// has no bound, so a longer one is left to PCRE2.
    public static let reach = 64

    /// Whether a term can match through the occurrence of its first word that ends at `end`:
    /// false when a byte that can be neither between nor the start of the second word comes
    /// first, or when the text ends before a second word can start.
    @inline(__always)
    public func admits(_ text: UnsafeBufferPointer<UInt8>, after end: Int) -> Bool {
        let stop = min(text.count, end &+ Self.reach)
        var index = end
        while index < stop {
            let byte = text[index]
            if starts.contains(byte) { return true }
            if !between.contains(byte) { return false }
            index &+= 1
        }
        return index == end &+ Self.reach
    }

    /// A condition that holds wherever either holds.
    public func union(_ other: NextWord) -> NextWord {
        NextWord(between: between.union(other.between), starts: starts.union(other.starts))
    }
}
