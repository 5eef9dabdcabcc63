// HierosReports is the only place that formats results. Each reporter is a small pure type:
// results in, text out; volatile values (version, paths) are passed in, never read here.

/// Builds compact JSON with keys in the order they are written (the documented order).
///
/// The text grows as UTF-8 bytes, not as a `String`: a large scan's report is millions of short
/// appends, and appending to a `String` (its capacity and ASCII flags updated each time) made
/// writing the report of a 200 MiB scan a sixth of its wall time, on one core after the others
/// had finished.
public struct JSONWriter {
    private var bytes: [UInt8] = []
    private var needsComma = [false]

    public init() {}

    /// The JSON written so far.
    public var output: String { String(decoding: bytes, as: UTF8.self) }

    /// The JSON written so far and a newline: how every reporter ends its text.
    public var line: String {
        var json = self
        return String(decoding: json.finishLine(), as: UTF8.self)
    }

    /// Ends the JSON with a newline and returns it as UTF-8, for a large report written out as
    /// it is: without a `String` in between (making one checks every byte again), and without
    /// a copy when, as at the end of a reporter, the writer is not used again.
    public mutating func finishLine() -> [UInt8] {
        bytes.append(0x0A)
        return bytes
    }

    /// Room for `count` more bytes, so that a large report is not copied as it grows.
    public mutating func reserveCapacity(_ count: Int) { bytes.reserveCapacity(bytes.count + count) }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(0x2C) }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func beginObject(_ key: String? = nil) {
        if let key { self.key(key) } else { separate() }
        bytes.append(0x7B)
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(0x7D)
    }

    public mutating func beginArray(_ key: String? = nil) {
        if let key { self.key(key) } else { separate() }
        bytes.append(0x5B)
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(0x5D)
    }

    private mutating func key(_ key: String) {
        separate()
        Self.appendQuoted(key, to: &bytes)
        bytes.append(0x3A)
    }

    private mutating func append(_ text: String) { Self.append(text, to: &bytes) }

    public mutating func string(_ key: String, _ value: String) { self.key(key); Self.appendQuoted(value, to: &bytes) }
    public mutating func int(_ key: String, _ value: Int) { self.key(key); Self.appendDecimal(value, to: &bytes) }
    public mutating func bool(_ key: String, _ value: Bool) { self.key(key); append(value ? "true" : "false") }
    public mutating func double(_ key: String, _ value: Double) { self.key(key); append(Self.number(value)) }
    public mutating func null(_ key: String) { self.key(key); append("null") }
    /// Writes already-encoded JSON (e.g. an `id` echoed back byte for byte).
    public mutating func raw(_ key: String, _ json: String) { self.key(key); append(json) }
    public mutating func element(_ value: String) { separate(); Self.appendQuoted(value, to: &bytes) }
    public mutating func rawElement(_ json: String) { separate(); append(json) }

    public mutating func strings(_ key: String, _ values: [String]) {
        beginArray(key)
        for value in values { element(value) }
        endArray()
    }

    /// A finite number with up to four decimals, without trailing zeros.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        let rounded = (value * 10_000).rounded() / 10_000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return Swift.String(Int(rounded)) }
        return "\(rounded)"
    }

    /// A JSON string literal; control characters, quotes, backslashes and U+2028/9 escaped.
    public static func quoted(_ value: String) -> String {
        var bytes: [UInt8] = []
        appendQuoted(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `String(value)`'s digits, written in place: offsets, lines and columns are most of the
    /// numbers of a report.
    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude, digits: (UInt64, UInt64, UInt64) = (0, 0, 0), count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = 0x30 + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// `body` on the UTF-8 of `text`, borrowed when its storage is contiguous (a native string
    /// is): `String.withUTF8` mutates, and copying each value to call it retained every one.
    @inline(__always)
    private static func withUTF8(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if text.utf8.withContiguousStorageIfAvailable(body) == nil {
            var text = text
            text.withUTF8(body)
        }
    }

    @inline(__always)
    private static func append(_ text: String, to bytes: inout [UInt8]) {
        withUTF8(text) { bytes.append(contentsOf: $0) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Where the first 8-byte word from `index` on that may hold a byte to escape starts (or
    /// the last few bytes): a control byte, `"`, `\\`, DEL, or any byte beyond ASCII (U+2028/9).
    /// Messages and excerpts are long and plain; tested byte by byte, they were most of a report.
    @inline(__always)
    private static func plainWords(_ utf8: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        /// Whether a byte of `word` is zero (exact: a borrow only runs past a zero byte).
        @inline(__always) func hasZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }
        var index = index
        let raw = UnsafeRawPointer(utf8.baseAddress)
        while index &+ 8 <= utf8.count, let raw {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            // A byte below 0x20 borrows in `word - 0x20…`; bytes from 0x80 on are caught by `highs`.
            let special = word & highs != 0 || (word &- 0x20 &* ones) & ~word & highs != 0
                || hasZero(word ^ (0x22 &* ones)) || hasZero(word ^ (0x5C &* ones)) || hasZero(word ^ (0x7F &* ones))
            if special { break }
            index &+= 8
        }
        return index
    }

    /// Appends `quoted(value)`, copying the stretches between escapes whole: most values (ids,
    /// paths, masked excerpts, messages) have none.
    static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        withUTF8(value) { utf8 in
            bytes.append(0x22)
            var copied = 0, index = 0
            /// Copies the plain stretch before `index`, then `escape` for the `length` bytes there.
            func replace(length: Int, with escape: [UInt8]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied..<index]))
                bytes.append(contentsOf: escape)
                copied = index + length
            }
            while index < utf8.count {
                index = plainWords(utf8, from: index)
                guard index < utf8.count else { break }
                let byte = utf8[index]
                switch byte {
                case 0x22, 0x5C: replace(length: 1, with: [0x5C, byte])
                case 0x0A: replace(length: 1, with: [0x5C, 0x6E])
                case 0x0D: replace(length: 1, with: [0x5C, 0x72])
                case 0x09: replace(length: 1, with: [0x5C, 0x74])
                case 0x00..<0x20, 0x7F: replace(length: 1, with: [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
                case 0xE2:  // U+2028 and U+2029 (E2 80 A8, E2 80 A9) end lines in JavaScript
                    if index + 2 < utf8.count, utf8[index + 1] == 0x80, utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9 {
                        replace(length: 3, with: [0x5C, 0x75, 0x32, 0x30, 0x32, utf8[index + 2] == 0xA8 ? 0x38 : 0x39])
                    }
                default: break
                }
                index = max(index + 1, copied)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied...]))
            bytes.append(0x22)
        }
    }
}
