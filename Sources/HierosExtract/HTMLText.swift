import Foundation

/// The text of an HTML page, as a reader and as a leak hunter see it: the visible text with a line
/// break at every block element (table cells separated by tabs, `<pre>` kept as it is), and, each on
/// lines of their own right after the line they occur in, what a browser does not show but the page
/// still carries: comments, `<script>` contents, link and resource targets (`href`, `src`), `alt` and
/// `title` attributes and `<meta>` contents. `<style>` sheets are left out. Entities are decoded. The
/// tokenizer is lenient like a browser's: nothing is an error.
struct HTMLText {
    /// The lines of `html`; empty lines are dropped.
    static func lines(of html: String) -> [String] {
        var text = HTMLText(Array(html.utf8))
        text.run()
        return text.lines
    }

    /// The lines of an HTML file: UTF-8 unless it starts with a UTF-16 byte order mark or declares
    /// another charset in a `<meta>` near its top.
    static func lines(ofFile bytes: [UInt8]) -> [String] {
        if let utf8 = UTF16Text.utf8(bytes) { return lines(of: String(decoding: utf8, as: UTF8.self)) }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        return lines(of: Charset.decode(body, charset: declaredCharset(body)))
    }

    private let bytes: [UInt8]
    private var index = 0
    private var lines: [String] = []
    private var line: [UInt8] = []
    private var pendingSpace = false
    private var extra: [String] = []
    private var preformatted = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func run() {
        var textStart = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            text(bytes[textStart..<index])
            textStart = index
            if let markupEnd = markup() {
                index = markupEnd
                textStart = index
            } else {
                index += 1
            }
        }
        text(bytes[textStart..<bytes.count])
        breakLine()
    }

    // MARK: - Markup

    /// Handles the markup at `index` and returns where it ends, or nil when the `<` is text.
    private mutating func markup() -> Int? {
        let next = index + 1 < bytes.count ? bytes[index + 1] : 0
        if starts("<!--", at: index) {
            let end = find("-->", from: index + 4) ?? bytes.count
            addExtra(bytes[(index + 4)..<end], decode: false)
            return min(end + 3, bytes.count)
        }
        if starts("<![CDATA[", at: index) {
            let end = find("]]>", from: index + 9) ?? bytes.count
            text(bytes[(index + 9)..<end], raw: true)
            return min(end + 3, bytes.count)
        }
        if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") {
            return (bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.count - 1) + 1
        }
        let closing = next == UInt8(ascii: "/")
        let nameStart = index + (closing ? 2 : 1)
        guard nameStart < bytes.count, Self.isLetter(bytes[nameStart]) else { return nil }
        var cursor = nameStart
        while cursor < bytes.count, !Self.isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">"),
              bytes[cursor] != UInt8(ascii: "/") {
            cursor += 1
        }
        let name = String(decoding: bytes[nameStart..<cursor].lazy.map(Self.lower), as: UTF8.self)
        let (attributes, end) = self.attributes(from: cursor)
        if closing {
            endTag(name)
            return end
        }
        return startTag(name, attributes: attributes, end: end)
    }

    private mutating func startTag(_ name: String, attributes: [(String, String)], end: Int) -> Int {
        for (key, value) in attributes {
            switch key {
            case "href", "src", "alt", "title": addExtra(value)
            case "content" where name == "meta": addExtra(value)
            default: break
            }
        }
        switch name {
        case "script", "style", "textarea", "title":
            let close = findClosing(name, from: end)
            let content = bytes[end..<close.start]
            switch name {
            case "script": addExtra(content, decode: false)
            case "style": break
            default:
                breakLine()
                text(content)
                breakLine()
            }
            return close.end
        case "br":
            breakLine()
        case "td", "th":
            if !line.isEmpty {
                line.append(0x09)
                pendingSpace = false
            }
        case "pre", "listing", "xmp":
            breakLine()
            preformatted += 1
        default:
            if Self.blockElements.contains(name) { breakLine() }
        }
        return end
    }

    private mutating func endTag(_ name: String) {
        if name == "pre" || name == "listing" || name == "xmp" {
            breakLine()
            preformatted = max(0, preformatted - 1)
        } else if Self.blockElements.contains(name) || name == "br" {
            breakLine()
        }
    }

    /// The attributes of a tag starting at `start` (names lowercase, values decoded), and where the tag ends.
    private func attributes(from start: Int) -> ([(String, String)], Int) {
        var attributes: [(String, String)] = []
        var cursor = start
        while cursor < bytes.count {
            while cursor < bytes.count, Self.isSpace(bytes[cursor]) || bytes[cursor] == UInt8(ascii: "/") { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] != UInt8(ascii: ">") else { break }
            let nameStart = cursor
            while cursor < bytes.count, !Self.isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">"),
                  bytes[cursor] != UInt8(ascii: "="), !(bytes[cursor] == UInt8(ascii: "/") && cursor > nameStart) {
                cursor += 1
            }
            let name = String(decoding: bytes[nameStart..<cursor].lazy.map(Self.lower), as: UTF8.self)
            while cursor < bytes.count, Self.isSpace(bytes[cursor]) { cursor += 1 }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "=") else {
                attributes.append((name, ""))
                continue
            }
            cursor += 1
            while cursor < bytes.count, Self.isSpace(bytes[cursor]) { cursor += 1 }
            let value: ArraySlice<UInt8>
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"") || bytes[cursor] == UInt8(ascii: "'") {
                let quote = bytes[cursor]
                let end = bytes[(cursor + 1)...].firstIndex(of: quote) ?? bytes.count
                value = bytes[(cursor + 1)..<end]
                cursor = min(end + 1, bytes.count)
            } else {
                let valueStart = cursor
                while cursor < bytes.count, !Self.isSpace(bytes[cursor]), bytes[cursor] != UInt8(ascii: ">") { cursor += 1 }
                value = bytes[valueStart..<cursor]
            }
            attributes.append((name, HTMLEntities.decode(String(decoding: value, as: UTF8.self))))
        }
        return (attributes, min(cursor + 1, bytes.count))
    }

    // MARK: - Text

    /// Adds character data to the current line, white space collapsed (kept inside `<pre>`).
    private mutating func text(_ slice: ArraySlice<UInt8>, raw: Bool = false) {
        guard !slice.isEmpty else { return }
        if raw || !slice.contains(UInt8(ascii: "&")) {
            append(slice)
        } else {
            append(HTMLEntities.decode(String(decoding: slice, as: UTF8.self)).utf8)
        }
    }

    private mutating func append(_ bytes: some Sequence<UInt8>) {
        var previous: UInt8 = 0
        for byte in bytes {
            defer { previous = byte }
            switch byte {
            case 0x0A, 0x0D:
                if preformatted > 0 {
                    if !(byte == 0x0A && previous == 0x0D) { breakLine() }
                } else {
                    pendingSpace = true
                }
            case 0x20, 0x09, 0x0C:
                if preformatted > 0 { line.append(byte == 0x09 ? 0x09 : 0x20) } else { pendingSpace = true }
            default:
                if pendingSpace && !line.isEmpty && line.last != 0x09 { line.append(0x20) }
                pendingSpace = false
                line.append(byte)
            }
        }
    }

    /// Ends the current line, then writes the hidden text found in it.
    private mutating func breakLine() {
        let trimmed = Self.trim(String(decoding: line, as: UTF8.self))
        if !trimmed.isEmpty { lines.append(trimmed) }
        line.removeAll(keepingCapacity: true)
        pendingSpace = false
        for item in extra {
            if !item.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
                let trimmed = Self.trim(item)
                if !trimmed.isEmpty { lines.append(trimmed) }
                continue
            }
            for piece in item.split(whereSeparator: \.isNewline) {
                let trimmed = Self.trim(String(piece))
                if !trimmed.isEmpty { lines.append(trimmed) }
            }
        }
        extra = []
    }

    private mutating func addExtra(_ slice: ArraySlice<UInt8>, decode: Bool) {
        let text = String(decoding: slice, as: UTF8.self)
        extra.append(decode ? HTMLEntities.decode(text) : text)
    }

    private mutating func addExtra(_ value: String) {
        guard !value.isEmpty, !value.hasPrefix("data:image/") else { return }
        extra.append(value)
    }

    // MARK: - Scanning

    /// Where the raw text of `name` ends (`</name`, any case) and where its end tag ends.
    private func findClosing(_ name: String, from start: Int) -> (start: Int, end: Int) {
        let pattern = Array(("</" + name).utf8)
        var cursor = start
        while cursor + pattern.count <= bytes.count {
            if bytes[cursor] == UInt8(ascii: "<"),
               zip(bytes[cursor..<(cursor + pattern.count)], pattern).allSatisfy({ Self.lower($0) == $1 }) {
                let end = bytes[cursor...].firstIndex(of: UInt8(ascii: ">")).map { $0 + 1 } ?? bytes.count
                return (cursor, end)
            }
            cursor += 1
        }
        return (bytes.count, bytes.count)
    }

    private func find(_ terminator: String, from start: Int) -> Int? {
        let pattern = Array(terminator.utf8)
        var cursor = start
        while cursor + pattern.count <= bytes.count {
            if bytes[cursor] == pattern[0], bytes[cursor..<(cursor + pattern.count)].elementsEqual(pattern) { return cursor }
            cursor += 1
        }
        return nil
    }

    /// Whether `prefix` (ASCII, letters in upper case) is at `position`, letters in any case.
    private func starts(_ prefix: StaticString, at position: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { zip(bytes[position..<(position + count)], $0).allSatisfy { Self.upper($0) == $1 } }
    }

    /// The charset a `<meta charset>` or `<meta http-equiv content="…; charset=…">` declares in the first KiB.
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        guard let range = head.range(of: "charset=") else { return nil }
        let value = head[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
        let name = value.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }

    private static func trim(_ text: String) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(text[first...last])
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private static func lower(_ byte: UInt8) -> UInt8 { isLetter(byte) ? byte | 0x20 : byte }
    private static func upper(_ byte: UInt8) -> UInt8 { isLetter(byte) ? byte & ~0x20 : byte }

    /// Elements that start and end a line.
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4",
        "h5", "h6", "head", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "noscript", "ol",
        "optgroup", "option", "p", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
    ]
}
