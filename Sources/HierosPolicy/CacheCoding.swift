import HierosPCRE2

// The compact binary form of a compiled policy set in the cache. It is written by hand rather
// than through Codable: in a binary that links Foundation statically, decoding the set with
// JSONDecoder took 4.5 ms of a 17 ms one-post `check`, nearly all of it the Swift runtime
// instantiating generic containers and looking up conformances for the first time. This form
// reads the same set in a fraction of a millisecond.
//
// Integers are 8 bytes little-endian, strings a length and UTF-8 bytes, optionals and enums a
// tag byte, arrays a count and their elements. Reading never trusts the bytes: every length is
// checked against what is left, numbers that cannot be negative (offsets, window lengths,
// word counts) are checked, strings must be valid UTF-8, tags must be known, and
// `PolicySet.init(cache:)` checks that every pattern index, group and level points into the set.
// Anything else is `CacheReader.Corrupt`, which the cache treats as a miss.

struct CacheWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        withUnsafeBytes(of: UInt64(bitPattern: Int64(value)).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        int(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    mutating func strings(_ values: [String]) {
        int(values.count)
        for value in values { string(value) }
    }

    mutating func tag(_ value: UInt8) { bytes.append(value) }

    mutating func optional<T>(_ value: T?, _ write: (inout CacheWriter, T) -> Void) {
        guard let value else { return tag(0) }
        tag(1)
        write(&self, value)
    }

    mutating func array<T>(_ values: [T], _ write: (inout CacheWriter, T) -> Void) {
        int(values.count)
        for value in values { write(&self, value) }
    }

    mutating func byteSet(_ set: ByteSet) {
        for lane in 0..<4 { int(Int(Int64(bitPattern: set.words[lane]))) }
    }
}

struct CacheReader {
    struct Corrupt: Error {}

    private let bytes: [UInt8]
    private var offset = 0

    /// Reads `bytes` from `offset` on.
    init(_ bytes: [UInt8], from offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func int() throws(Corrupt) -> Int {
        guard bytes.count - offset >= 8 else { throw Corrupt() }
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        offset += 8
        return Int(Int64(bitPattern: value))
    }

    /// A count or length: not negative, and not more than the bytes left (every element takes
    /// at least one byte), so a corrupt count cannot make a reader allocate without bound.
    mutating func count() throws(Corrupt) -> Int {
        let value = try int()
        guard value >= 0, value <= bytes.count - offset else { throw Corrupt() }
        return value
    }

    /// A length, offset or count that cannot be negative.
    mutating func natural() throws(Corrupt) -> Int {
        let value = try int()
        guard value >= 0 else { throw Corrupt() }
        return value
    }

    mutating func tag() throws(Corrupt) -> UInt8 {
        guard offset < bytes.count else { throw Corrupt() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bool() throws(Corrupt) -> Bool {
        switch try tag() {
        case 0: return false
        case 1: return true
        default: throw Corrupt()
        }
    }

    mutating func string() throws(Corrupt) -> String {
        let length = try count()
        defer { offset += length }
        return try bytes.withUnsafeBufferPointer { buffer throws(Corrupt) in
            let text = UnsafeBufferPointer(rebasing: buffer[offset..<offset + length])
            // ASCII needs no validation, and String(decoding:) takes it as it is. The generic
            // String(validating:) cost about 1,200 instructions a string (metadata look-ups),
            // a tenth of a one-post check; it is left for the few strings with other bytes.
            if !text.contains(where: { $0 >= 0x80 }) { return String(decoding: text, as: UTF8.self) }
            guard let value = String(validating: text, as: UTF8.self) else { throw Corrupt() }
            return value
        }
    }

    mutating func strings() throws(Corrupt) -> [String] { try array { reader throws(Corrupt) in try reader.string() } }

    mutating func optional<T>(_ read: (inout CacheReader) throws(Corrupt) -> T) throws(Corrupt) -> T? {
        try bool() ? try read(&self) : nil
    }

    mutating func byteSet() throws(Corrupt) -> ByteSet {
        func word() throws(Corrupt) -> UInt64 { UInt64(bitPattern: Int64(try int())) }
        return ByteSet(words: [try word(), try word(), try word(), try word()])
    }

    mutating func array<T>(_ read: (inout CacheReader) throws(Corrupt) -> T) throws(Corrupt) -> [T] {
        let count = try count()
        var values: [T] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }

    /// A `RawRepresentable` enum stored as its raw string.
    mutating func named<T: RawRepresentable<String>>(_: T.Type) throws(Corrupt) -> T {
        guard let value = T(rawValue: try string()) else { throw Corrupt() }
        return value
    }

    mutating func uint32() throws(Corrupt) -> UInt32 {
        guard let value = UInt32(exactly: try int()) else { throw Corrupt() }
        return value
    }
}
