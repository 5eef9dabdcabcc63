import Foundation

/// Decodes text in the charsets mail and web pages declare. UTF-8, US-ASCII, ISO-8859-1 and
/// Windows-1252 are decoded here (ISO-8859-1 as Windows-1252, as browsers do: mail labelled Latin-1 is
/// usually Windows-1252); other IANA names go through Foundation. Text that is not valid in its declared
/// UTF-8 or ASCII, or in a charset nothing knows, is read as Windows-1252, where every byte is a
/// character, so that mislabelled mail is still classified rather than dropped.
enum Charset {
    /// `bytes` as text in the charset named `name` (nil: UTF-8).
    static func decode(_ bytes: some Collection<UInt8>, charset name: String?) -> String {
        let label = (name ?? "utf-8").trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\"'")))
            .lowercased()
        switch label {
        case "", "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "unicode-1-1-utf-8":
            return isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : windows1252(bytes)
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "windows-1252", "cp1252", "x-cp1252":
            return windows1252(bytes)
        default:
            if let encoding = String.Encoding(ianaName: label), let text = String(data: Data(bytes), encoding: encoding) {
                return text
            }
            return isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : windows1252(bytes)
        }
    }

    /// Whether `bytes` are well-formed UTF-8.
    static func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
        if let valid = bytes.withContiguousStorageIfAvailable({ isValidUTF8(buffer: $0) }) { return valid }
        return Array(bytes).withUnsafeBufferPointer { isValidUTF8(buffer: $0) }
    }

    private static func isValidUTF8(buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = buffer.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Windows-1252: Latin-1 with printable characters in 0x80–0x9F (the five undefined bytes map to the
    /// C1 controls of the same value, as in the WHATWG encoding standard).
    static func windows1252(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? c1[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    private static let c1: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
