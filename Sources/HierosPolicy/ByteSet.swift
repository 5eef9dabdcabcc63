/// A set of byte values, as four 64-bit words (word `n` holds bytes `64n…64n+63`): what the
/// literal analysis records of the bytes a stretch of pattern can consume.
public struct ByteSet: Sendable, Hashable {
    public private(set) var words = SIMD4<UInt64>()

    public init() {}

    public init(words: SIMD4<UInt64>) { self.words = words }

    init<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { insert(byte) }
    }

    /// Every byte of a UTF-8 sequence beyond ASCII (leading and continuation bytes).
    static let beyondASCII = ByteSet(words: [0, 0, .max, .max])

    @inline(__always)
    public func contains(_ byte: UInt8) -> Bool { words[Int(byte >> 6)] & (1 << UInt64(byte & 63)) != 0 }

    mutating func insert(_ byte: UInt8) { words[Int(byte >> 6)] |= 1 << UInt64(byte & 63) }

    func union(_ other: ByteSet) -> ByteSet { ByteSet(words: words | other.words) }

    /// With both cases of its ASCII letters and, when it has a letter, every byte beyond ASCII:
    /// in a caseless match `k` also matches the Kelvin sign and `s` the long s, and this set
    /// is read without knowing the pattern's options.
    func caseClosed() -> ByteSet {
        // Bytes 0x40–0x7F are the second word: A–Z its bits 1–26, a–z its bits 33–58.
        let letters: UInt64 = 0x07FF_FFFE
        let either = (words[1] | words[1] >> 32) & letters
        guard either != 0 else { return self }
        return ByteSet(words: [words[0], words[1] | either | either << 32, .max, .max])
    }
}
