// HierosReports is the only place that formats results. Each reporter is a small pure type:
// results in, text out; volatile values (version, paths) are passed in, never read here.

/// Builds compact JSON with keys in the order they are written (the documented order).
public struct JSONWriter {
    public private(set) var output = ""
    private var needsComma = [false]

    public init() {}

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
    }

    public mutating func beginObject(_ key: String? = nil) {
        if let key { self.key(key) } else { separate() }
        output += "{"
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        output += "}"
    }

    public mutating func beginArray(_ key: String? = nil) {
        if let key { self.key(key) } else { separate() }
        output += "["
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
        output += "]"
    }

    private mutating func key(_ key: String) {
        separate()
        appendQuoted(key)
        output += ":"
    }

    /// Appends in place: building each literal as a String of its own and then appending it
    /// was most of the time of a large report.
    private mutating func appendQuoted(_ value: String) { Self.appendQuoted(value, to: &output) }

    public mutating func string(_ key: String, _ value: String) { self.key(key); appendQuoted(value) }
    public mutating func int(_ key: String, _ value: Int) { self.key(key); output += String(value) }
    public mutating func bool(_ key: String, _ value: Bool) { self.key(key); output += value ? "true" : "false" }
    public mutating func double(_ key: String, _ value: Double) { self.key(key); output += Self.number(value) }
    public mutating func null(_ key: String) { self.key(key); output += "null" }
    /// Writes already-encoded JSON (e.g. an `id` echoed back byte for byte).
    public mutating func raw(_ key: String, _ json: String) { self.key(key); output += json }
    public mutating func element(_ value: String) { separate(); appendQuoted(value) }
    public mutating func rawElement(_ json: String) { separate(); output += json }

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
        var result = ""
        appendQuoted(value, to: &result)
        return result
    }

    private static let hexDigits = Array("0123456789abcdef")

    /// Appends `quoted(value)`, copying the stretches between escapes whole: most values (ids,
    /// paths, masked excerpts, messages) have none.
    static func appendQuoted(_ value: String, to output: inout String) {
        // Most values need no escape at all: tested over the contiguous bytes, then appended
        // whole (walking the UTF-8 view index by index was a few percent of a large scan).
        let plain = value.utf8.withContiguousStorageIfAvailable { bytes in
            !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }
        }
        if plain == true {
            output += "\""
            output += value
            output += "\""
            return
        }
        output += "\""
        let utf8 = value.utf8
        var copied = utf8.startIndex, index = copied
        while index != utf8.endIndex {
            let byte = utf8[index]
            var next = utf8.index(after: index)
            let escape: String?
            switch byte {
            case 0x22: escape = "\\\""
            case 0x5C: escape = "\\\\"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0x00..<0x20, 0x7F: escape = "\\u00" + String([hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
            case 0xE2:  // U+2028 and U+2029 (E2 80 A8, E2 80 A9) end lines in JavaScript
                let rest = utf8[next...].prefix(2)
                if rest.elementsEqual([0x80, 0xA8]) || rest.elementsEqual([0x80, 0xA9]) {
                    escape = rest.last == 0xA8 ? "\\u2028" : "\\u2029"
                    next = rest.endIndex
                } else {
                    escape = nil
                }
            default: escape = nil
            }
            if let escape {
                output += Substring(utf8[copied..<index])
                output += escape
                copied = next
            }
            index = next
        }
        output += Substring(utf8[copied...])
        output += "\""
    }
}
