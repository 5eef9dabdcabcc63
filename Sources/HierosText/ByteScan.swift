#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Eight bytes at a time: the skip loops of normalisation and of the digit prefilter pass over
/// long stretches where nothing happens (ASCII prose, no digits, no spaced letters), and a
/// per-byte test there was a tenth of a large scan.
public enum ByteScan {
    /// The eight bytes at `offset` (little-endian: byte `offset` in the lowest bits).
    @inline(__always)
    public static func word(_ buffer: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        precondition(offset >= 0 && offset + 8 <= buffer.count)
        return UInt64(littleEndian: UnsafeRawPointer(buffer.baseAddress! + offset).loadUnaligned(as: UInt64.self))
    }

    /// The high bit of each byte of the result is set exactly when that byte of `word` is zero.
    @inline(__always)
    public static func zeroBytes(_ word: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & low7) &+ low7) | word | low7)
    }

    /// Flags (high bit per byte) the bytes of `word` equal to `byte`.
    @inline(__always)
    public static func equalBytes(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        zeroBytes(word ^ (0x0101_0101_0101_0101 &* UInt64(byte)))
    }

    /// Whether `byte` is an ASCII letter or digit: a character `\p{L}` or `\p{N}` match.
    @inline(__always)
    public static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26
    }

    /// Flags the bytes 0x30–0x3F (the ASCII digits and `:;<=>?`): a superset of the digits,
    /// exact enough to skip stretches without any.
    @inline(__always)
    public static func digitLikeBytes(_ word: UInt64) -> UInt64 {
        equalBytes(word & 0xF0F0_F0F0_F0F0_F0F0, 0x30)
    }

    /// The offsets of the line feeds in `buffer`, in order.
    public static func newlineOffsets(in buffer: UnsafeBufferPointer<UInt8>) -> [Int] {
        var offsets: [Int] = []
        forEachNewline(in: buffer) { offsets.append($0) }
        return offsets
    }

    /// Calls `body` with the offset of each line feed, in order. The C library's `memchr` is
    /// vectorised: lines are tens to hundreds of bytes long, and it passes over them several
    /// times faster than eight bytes at a time, which made line counting a few percent of a scan.
    @inline(__always)
    static func forEachNewline(in buffer: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
        guard let base = buffer.baseAddress else { return }
        var index = 0
        while index < buffer.count, let found = memchr(base + index, 0x0A, buffer.count - index) {
            let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            body(offset)
            index = offset + 1
        }
    }
}
