/// Strict UTF-8 decoding of one scalar, without allocating.
public enum UTF8Decoding {
    /// The scalar value and its length at `index`, or nil when the bytes there are not valid
    /// UTF-8 (overlong forms, surrogates and values above U+10FFFF included).
    public static func scalar(in bytes: [UInt8], at index: Int) -> (UInt32, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return (UInt32(lead), 1)
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        switch length {
        case 3 where value < 0x800 || (0xD800...0xDFFF).contains(value): return nil
        case 4 where value < 0x10000 || value > 0x10FFFF: return nil
        default: return (value, length)
        }
    }

    /// The offset of the first invalid UTF-8 sequence, or nil when `bytes` is valid.
    public static func firstInvalidOffset(in bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 { index += 1; continue }
            guard let (_, length) = scalar(in: bytes, at: index) else { return index }
            index += length
        }
        return nil
    }
}
