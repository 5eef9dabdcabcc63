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
        output += Self.quoted(key) + ":"
    }

    public mutating func string(_ key: String, _ value: String) { self.key(key); output += Self.quoted(value) }
    public mutating func int(_ key: String, _ value: Int) { self.key(key); output += String(value) }
    public mutating func bool(_ key: String, _ value: Bool) { self.key(key); output += value ? "true" : "false" }
    public mutating func double(_ key: String, _ value: Double) { self.key(key); output += Self.number(value) }
    public mutating func null(_ key: String) { self.key(key); output += "null" }
    /// Writes already-encoded JSON (e.g. an `id` echoed back byte for byte).
    public mutating func raw(_ key: String, _ json: String) { self.key(key); output += json }
    public mutating func element(_ value: String) { separate(); output += Self.quoted(value) }
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
        // Most values (ids, paths, masked excerpts) need no escape: copy them whole. 0xE2 is
        // the lead byte of U+2028 and U+2029.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
            return "\"" + value + "\""
        }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = Swift.String(scalar.value, radix: 16)
                    result += "\\u" + Swift.String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
