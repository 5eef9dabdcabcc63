import HierosEngine
import HierosPolicy

// What the scan reporters share: report order, totals, the error/warning/note mapping of
// levels, folder ranking and markup escaping. Internal: each format's reporter is public.

/// One finding of a document with its status, in report order.
struct ScanEntry {
    let item: ScanFinding
    /// True for a finding accepted by an inline `hieros:allow` or a baseline entry.
    let isSuppressed: Bool

    var finding: Finding { item.finding }
    var status: String { isSuppressed ? "suppressed" : "active" }
}

/// The order of every scan report: findings by part (natural order, none first), line,
/// column, then byte offset and rule id so that the order is total.
enum ScanOrder {
    /// Active and suppressed findings of `document`, merged in report order.
    static func entries(_ document: DocumentResult) -> [ScanEntry] {
        let all = document.findings.map { ScanEntry(item: $0, isSuppressed: false) }
            + document.suppressed.map { ScanEntry(item: $0, isSuppressed: true) }
        return all.sorted { precedes($0.item, $1.item) }
    }

    /// `items` in report order.
    static func sorted(_ items: [ScanFinding]) -> [ScanFinding] { items.sorted(by: precedes) }

    static func precedes(_ a: ScanFinding, _ b: ScanFinding) -> Bool {
        if a.part != b.part {
            guard let left = a.part else { return true }
            guard let right = b.part else { return false }
            return naturallyPrecedes(left, right)
        }
        let x = a.finding, y = b.finding
        if (x.line, x.column) != (y.line, y.column) { return (x.line, x.column) < (y.line, y.column) }
        if x.range.lowerBound != y.range.lowerBound { return x.range.lowerBound < y.range.lowerBound }
        if x.ruleID != y.ruleID { return x.ruleID < y.ruleID }
        return a.fingerprint < b.fingerprint
    }

    /// Natural order: runs of ASCII digits compare by value (`slide 2` < `slide 10`), the rest
    /// by Unicode scalar; ties fall back to plain scalar order, so the order is total.
    static func naturallyPrecedes(_ a: String, _ b: String) -> Bool {
        let left = chunks(a), right = chunks(b)
        for (x, y) in zip(left, right) where x != y {
            switch (x, y) {
            case (.number(let m), .number(let n)):
                let m = m.drop { $0 == "0" }, n = n.drop { $0 == "0" }
                if m.count != n.count { return m.count < n.count }
                if m != n { return Array(m.unicodeScalars).lexicographicallyPrecedes(Array(n.unicodeScalars)) { $0.value < $1.value } }
            case (.number, .text): return true
            case (.text, .number): return false
            case (.text(let m), .text(let n)):
                return Array(m.unicodeScalars).lexicographicallyPrecedes(Array(n.unicodeScalars)) { $0.value < $1.value }
            }
        }
        if left.count != right.count { return left.count < right.count }
        return Array(a.unicodeScalars).lexicographicallyPrecedes(Array(b.unicodeScalars)) { $0.value < $1.value }
    }

    private enum Chunk: Equatable {
        case number(Substring)
        case text(Substring)
    }

    private static func chunks(_ text: String) -> [Chunk] {
        var result: [Chunk] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let digit = text[index].isASCII && text[index].isNumber
            var end = index
            while end < text.endIndex, (text[end].isASCII && text[end].isNumber) == digit { end = text.index(after: end) }
            result.append(digit ? .number(text[start..<end]) : .text(text[start..<end]))
            start = end
            index = end
        }
        return result
    }
}

/// How a level reads against the threshold, in SARIF's words (also used for colours):
/// above the threshold is an `error`, the lowest level a `note`, anything between a `warning`.
enum ScanSeverity: String {
    case error, warning, note

    init(_ level: Level, in report: ScanReport) {
        if level > report.threshold {
            self = .error
        } else if level == report.scale.lowest {
            self = .note
        } else {
            self = .warning
        }
    }
}

/// The counts every summary shows.
struct ScanTotals {
    let documents: Int
    let documentsWithFindings: Int
    let activeFindings: Int
    let failingFindings: Int
    let failingDocuments: Int
    let suppressed: Int
    let suppressedInline: Int
    let suppressedBaseline: Int
    let skipped: Int
    let errors: Int
    let unverifiedDocuments: Int

    init(_ report: ScanReport) {
        documents = report.documents.count
        documentsWithFindings = report.documents.filter { !$0.findings.isEmpty }.count
        activeFindings = report.documents.reduce(0) { $0 + $1.findings.count }
        let failing = report.documents.map { (path: $0.path, count: report.failingCount(in: $0)) }.filter { $0.count > 0 }
        failingFindings = failing.reduce(0) { $0 + $1.count }
        failingDocuments = Set(failing.map(\.path)).count
        let suppressions = report.documents.flatMap(\.suppressed)
        suppressed = suppressions.count
        suppressedInline = suppressions.filter { $0.suppression?.kind == .inline }.count
        suppressedBaseline = suppressed - suppressedInline
        skipped = report.issues.filter { $0.kind == .skipped }.count
        errors = report.issues.filter { $0.kind == .error }.count
        unverifiedDocuments = report.documents.filter { !$0.unverified.isEmpty }.count
    }

    /// Whether the scan passes: nothing above the threshold and everything checked.
    var passed: Bool { failingFindings == 0 && errors == 0 && unverifiedDocuments == 0 }
}

extension ScanReport {
    /// Folders, most sensitive first: by their number of documents at the highest level, then
    /// at the next level down, and so on; then by name.
    var foldersBySensitivity: [(folder: String, counts: [Int])] {
        documentsPerFolder.sorted { a, b in
            let x = Array(a.counts.reversed()), y = Array(b.counts.reversed())
            return x != y ? y.lexicographicallyPrecedes(x) : a.folder < b.folder
        }
    }

    /// The rule descriptions of the policy, by id.
    var rulesByID: [String: RuleInfo] {
        Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// `1 finding`, `2 findings`.
func counted(_ count: Int, _ noun: String, _ plural: String? = nil) -> String {
    "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}

/// Escaping for XML and HTML text and attribute values.
enum Markup {
    /// Escapes `& < > " '`, writes tab, CR and LF as character references (attribute values
    /// keep them), and replaces characters XML 1.0 forbids (other C0 controls, U+FFFE/U+FFFF)
    /// with U+FFFD, so that any path or excerpt yields well-formed XML and inert HTML.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t": result += "&#9;"
            case "\n": result += "&#10;"
            case "\r": result += "&#13;"
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    result += "\u{FFFD}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Like `escape`, but keeps line feeds as they are (multi-line element text).
    static func escapeText(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "\n")
    }
}

/// Makes text from a scan safe to print on a terminal: C0 and C1 control characters and DEL
/// (escape sequences in a file name or a matched text could rewrite the screen) and the
/// bidirectional overrides and isolates (which reorder what is shown, "Trojan Source") are
/// written as visible `\xHH` or `\u{HHHH}` escapes.
enum TerminalText {
    static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += scalar.value < 0x100 ? "\\x" + (hex.count == 1 ? "0" + hex : hex) : "\\u{\(hex)}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

/// Indents compact JSON as written by `JSONWriter` (two spaces, `"key": value`), for
/// formats people read in files (SARIF).
enum JSONIndenter {
    static func indent(_ json: String) -> String {
        var output = ""
        var depth = 0
        var inString = false
        var escaped = false
        let characters = Array(json)
        var index = 0
        func newline() { output += "\n" + String(repeating: "  ", count: depth) }
        while index < characters.count {
            let character = characters[index]
            if inString {
                output.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                index += 1
                continue
            }
            switch character {
            case "\"":
                inString = true
                output.append(character)
            case "{", "[":
                let closing: Character = character == "{" ? "}" : "]"
                if index + 1 < characters.count, characters[index + 1] == closing {
                    output += String(character) + String(closing)
                    index += 1
                } else {
                    output.append(character)
                    depth += 1
                    newline()
                }
            case "}", "]":
                depth -= 1
                newline()
                output.append(character)
            case ",":
                output.append(character)
                newline()
            case ":":
                output += ": "
            default:
                output.append(character)
            }
            index += 1
        }
        return output
    }
}
