/// A strict parser for one JSON object per line (RFC 8259). It keeps, for every top-level
/// key, the raw bytes of its value (so `id` can be echoed back exactly as given) and the
/// decoded value of string members.
public struct JSONObjectScanner {
    /// A top-level member: its raw bytes and, for strings, the decoded text.
    public struct Member {
        public let raw: ArraySlice<UInt8>
        public let string: String?
        public let isNull: Bool
    }

    /// Why a line is not a JSON object.
    public struct SyntaxError: Error, CustomStringConvertible {
        public let offset: Int
        public let message: String
        public var description: String { "\(message) at column \(offset + 1)" }
    }

    private let bytes: [UInt8]
    private var index = 0
    private static let maxDepth = 512

    /// Parses `bytes` as one JSON object; members by key (the last one wins for duplicates,
    /// as most JSON readers do).
    public static func parseObject(_ bytes: [UInt8]) throws(SyntaxError) -> [String: Member] {
        var scanner = JSONObjectScanner(bytes: bytes)
        scanner.skipSpace()
        guard scanner.peek() == UInt8(ascii: "{") else { throw scanner.error("expected a JSON object") }
        let members = try scanner.object(depth: 0, collect: true)
        scanner.skipSpace()
        guard scanner.index == bytes.count else { throw scanner.error("unexpected data after the object") }
        return members
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
    private func error(_ message: String) -> SyntaxError { SyntaxError(offset: index, message: message) }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
        guard peek() == byte else { throw error("expected \(what)") }
        index += 1
    }

    @discardableResult
    private mutating func object(depth: Int, collect: Bool) throws(SyntaxError) -> [String: Member] {
        guard depth < Self.maxDepth else { throw error("nesting too deep") }
        try expect(UInt8(ascii: "{"), "'{'")
        var members: [String: Member] = [:]
        skipSpace()
        if peek() == UInt8(ascii: "}") { index += 1; return members }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try string()
            skipSpace()
            try expect(UInt8(ascii: ":"), "':'")
            skipSpace()
            let start = index
            let decoded = try value(depth: depth + 1)
            if collect {
                members[key] = Member(raw: bytes[start..<index], string: decoded.string, isNull: decoded.isNull)
            }
            skipSpace()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return members
        }
    }

    private mutating func value(depth: Int) throws(SyntaxError) -> (string: String?, isNull: Bool) {
        guard let byte = peek() else { throw error("expected a value") }
        switch byte {
        case UInt8(ascii: "\""): return (try string(), false)
        case UInt8(ascii: "{"): try object(depth: depth, collect: false)
        case UInt8(ascii: "["): try array(depth: depth)
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null"); return (nil, true)
        default: try number()
        }
        return (nil, false)
    }

    private mutating func array(depth: Int) throws(SyntaxError) {
        guard depth < Self.maxDepth else { throw error("nesting too deep") }
        try expect(UInt8(ascii: "["), "'['")
        skipSpace()
        if peek() == UInt8(ascii: "]") { index += 1; return }
        while true {
            skipSpace()
            _ = try value(depth: depth + 1)
            skipSpace()
            if peek() == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return
        }
    }

    private mutating func literal(_ word: String) throws(SyntaxError) {
        for byte in word.utf8 {
            guard peek() == byte else { throw error("invalid literal") }
            index += 1
        }
    }

    private mutating func number() throws(SyntaxError) {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), isDigit(first) else { throw error("invalid value") }
        index += 1
        if first != UInt8(ascii: "0") { while let byte = peek(), isDigit(byte) { index += 1 } }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard let byte = peek(), isDigit(byte) else { throw error("invalid number") }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            index += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            guard let digit = peek(), isDigit(digit) else { throw error("invalid number") }
            while let byte = peek(), isDigit(byte) { index += 1 }
        }
        guard index > start else { throw error("invalid value") }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private mutating func string() throws(SyntaxError) -> String {
        try expect(UInt8(ascii: "\""), "'\"'")
        // UTF-8 bytes of the string: raw runs are validated and copied, escapes encoded
        // (appending unicode scalars instead cost a tenth of a posts stream).
        var utf8: [UInt8] = []
        var runStart = index
        func flush(_ end: Int) throws(SyntaxError) {
            guard runStart < end else { return }
            let slice = bytes[runStart..<end]
            guard String(validating: slice, as: UTF8.self) != nil else {
                throw SyntaxError(offset: runStart, message: "string is not valid UTF-8")
            }
            utf8.append(contentsOf: slice)
        }
        func append(_ scalar: Unicode.Scalar) { utf8.append(contentsOf: UTF8.encode(scalar)!) }
        while true {
            guard let byte = peek() else { throw error("unterminated string") }
            if byte == UInt8(ascii: "\"") {
                try flush(index)
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            }
            if byte < 0x20 { throw error("control character in string (escape it)") }
            if byte != UInt8(ascii: "\\") { index += 1; continue }
            try flush(index)
            index += 1
            guard let escape = peek() else { throw error("unterminated escape") }
            index += 1
            switch escape {
            case UInt8(ascii: "\""): append("\"")
            case UInt8(ascii: "\\"): append("\\")
            case UInt8(ascii: "/"): append("/")
            case UInt8(ascii: "b"): append("\u{08}")
            case UInt8(ascii: "f"): append("\u{0C}")
            case UInt8(ascii: "n"): append("\n")
            case UInt8(ascii: "r"): append("\r")
            case UInt8(ascii: "t"): append("\t")
            case UInt8(ascii: "u"): append(try unicodeEscape())
            default: throw error("invalid escape")
            }
            runStart = index
        }
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func unicodeEscape() throws(SyntaxError) -> Unicode.Scalar {
        let high = try hex4()
        if (0xD800...0xDBFF).contains(high) {
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("unpaired surrogate in \\u escape")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in \\u escape") }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(high) else { throw error("unpaired surrogate in \\u escape") }
        return scalar
    }
}
