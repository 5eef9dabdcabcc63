/// A set of byte values, as four 64-bit words: what the literal analysis records of the bytes
/// a stretch of pattern can consume.
public struct ByteSet: Sendable, Hashable {
    public private(set) var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}

    public init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    init<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { insert(byte) }
    }

    /// Every byte of a UTF-8 sequence beyond ASCII (leading and continuation bytes).
    static let beyondASCII = ByteSet(words: (0, 0, .max, .max))

    @inline(__always)
    public func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func union(_ other: ByteSet) -> ByteSet {
        ByteSet(words: (words.0 | other.words.0, words.1 | other.words.1, words.2 | other.words.2, words.3 | other.words.3))
    }

    /// With both cases of its ASCII letters and, when it has a letter, every byte beyond ASCII:
    /// in a caseless match `k` also matches the Kelvin sign and `s` the long s, and this set
    /// is read without knowing the pattern's options.
    func caseClosed() -> ByteSet {
        // Bytes 0x40–0x7F are the second word: A–Z its bits 1–26, a–z its bits 33–58.
        let letters: UInt64 = 0x07FF_FFFE
        let either = (words.1 | words.1 >> 32) & letters
        guard either != 0 else { return self }
        return ByteSet(words: (words.0, words.1 | either | either << 32, .max, .max))
    }

    public static func == (lhs: ByteSet, rhs: ByteSet) -> Bool { lhs.words == rhs.words }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
