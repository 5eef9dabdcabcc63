/// A strict, streaming XML tokenizer for the parts of Office Open XML containers.
///
/// It reports start tags (local names, attributes decoded), end tags and character data, and rejects
/// what is not well-formed: mismatched or unclosed tags (a truncated part), bad attributes, unknown
/// entities. A DTD is refused outright (Office Open XML forbids them), which also rules out entity
/// expansion and external entities. It never recurses, so hostile nesting cannot overflow the stack.
/// (FoundationXML's `XMLParser` on Linux reports success on a truncated document, fails some valid large
/// ones and gives no message, so it is not used.)
struct XMLScanner {
    /// One thing found in the document, in order.
    enum Event {
        /// A start tag; `name` is the local name (`w:p` → `p`). A self-closing tag is a start and an end.
        case start(name: String, attributes: [Attribute])
        /// An end tag, with its local name.
        case end(name: String)
        /// Character data (entities decoded, CDATA included); it may arrive in several pieces.
        case text(String)
    }

    /// An attribute of a start tag, with the local name of the attribute (`r:id` → `id`).
    struct Attribute {
        let name: String
        let value: String
    }

    /// The part's name, for errors.
    let part: String
    let bytes: [UInt8]

    /// Reads the part in a form the scanner takes: UTF-8, or UTF-16 with a byte order mark.
    init(part: String, bytes: [UInt8]) {
        self.part = part
        self.bytes = UTF16Text.utf8(bytes) ?? bytes
    }

    /// Calls `handle` with each event, in document order.
    func scan(_ handle: (Event) throws -> Void) throws {
        var stack: [ArraySlice<UInt8>] = []
        var sawRoot = false
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var textStart = index
        let count = bytes.count
        while index < count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if textStart < index {
                try text(bytes[textStart..<index], at: textStart, inElement: !stack.isEmpty, handle)
            }
            let markup = index
            if starts("<?", at: index) {
                index = try skip(past: "?>", from: index + 2, what: "processing instruction")
            } else if starts("<!--", at: index) {
                index = try skip(past: "-->", from: index + 4, what: "comment")
            } else if starts("<![CDATA[", at: index) {
                let end = try skip(past: "]]>", from: index + 9, what: "CDATA section")
                guard !stack.isEmpty else { throw malformed(at: index, "CDATA outside the root element") }
                try handle(.text(String(decoding: bytes[(index + 9)..<(end - 3)], as: UTF8.self)))
                index = end
            } else if starts("<!", at: index) {
                throw malformed(at: index, "a DTD or declaration (<!…>) is not allowed in Office Open XML")
            } else if starts("</", at: index) {
                let (name, after) = try self.name(from: index + 2)
                index = skipSpace(from: after)
                guard index < count, bytes[index] == UInt8(ascii: ">") else { throw malformed(at: index, "expected '>'") }
                guard let open = stack.popLast() else {
                    throw malformed(at: markup, "</\(string(name))> closes nothing")
                }
                guard open == name else {
                    throw malformed(at: markup, "</\(string(name))> closes <\(string(open))>")
                }
                try handle(.end(name: localName(name)))
                index += 1
            } else {
                if stack.isEmpty && sawRoot { throw malformed(at: index, "a second root element") }
                let (name, after) = try self.name(from: index + 1)
                var attributes: [Attribute] = []
                index = after
                var selfClosing = false
                while true {
                    index = skipSpace(from: index)
                    guard index < count else { throw malformed(at: markup, "the tag <\(string(name)) is not closed") }
                    if bytes[index] == UInt8(ascii: ">") {
                        index += 1
                        break
                    }
                    if starts("/>", at: index) {
                        index += 2
                        selfClosing = true
                        break
                    }
                    let attribute = try self.attribute(from: index)
                    attributes.append(attribute.0)
                    index = attribute.1
                }
                sawRoot = true
                let local = localName(name)
                try handle(.start(name: local, attributes: attributes))
                if selfClosing { try handle(.end(name: local)) } else { stack.append(name) }
            }
            textStart = index
        }
        if textStart < count { try text(bytes[textStart..<count], at: textStart, inElement: !stack.isEmpty, handle) }
        if let open = stack.last { throw malformed(at: count, "the part ends before </\(string(open))> (truncated?)") }
        if !sawRoot { throw malformed(at: count, "no root element") }
    }

    // MARK: - Pieces

    private func text(
        _ slice: ArraySlice<UInt8>, at offset: Int, inElement: Bool, _ handle: (Event) throws -> Void
    ) throws {
        guard inElement else {
            if let first = slice.firstIndex(where: { !Self.isSpace($0) }) {
                throw malformed(at: first, "text outside the root element")
            }
            return
        }
        try handle(.text(try decode(slice, at: offset)))
    }

    private func attribute(from start: Int) throws -> (Attribute, Int) {
        let (name, afterName) = try self.name(from: start)
        var index = skipSpace(from: afterName)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
            throw malformed(at: index, "expected '=' after the attribute \(string(name))")
        }
        index = skipSpace(from: index + 1)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw malformed(at: index, "the value of the attribute \(string(name)) is not quoted")
        }
        let quote = bytes[index]
        let valueStart = index + 1
        guard let valueEnd = bytes[valueStart...].firstIndex(where: { $0 == quote || $0 == UInt8(ascii: "<") }),
              bytes[valueEnd] == quote else {
            throw malformed(at: index, "the value of the attribute \(string(name)) is not closed")
        }
        let value = try decode(bytes[valueStart..<valueEnd], at: valueStart)
        return (Attribute(name: localName(name), value: value), valueEnd + 1)
    }

    private func name(from start: Int) throws -> (ArraySlice<UInt8>, Int) {
        var index = start
        while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
        guard index > start else { throw malformed(at: start, "expected a name") }
        return (bytes[start..<index], index)
    }

    /// `slice` with its entity and character references replaced.
    private func decode(_ slice: ArraySlice<UInt8>, at offset: Int) throws -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(slice.count)
        var index = slice.startIndex
        while index < slice.endIndex {
            let byte = slice[index]
            guard byte == UInt8(ascii: "&") else {
                output.append(byte)
                index += 1
                continue
            }
            guard let semicolon = slice[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                throw malformed(at: index, "a bare '&' (write &amp;)")
            }
            let reference = String(decoding: slice[(index + 1)..<semicolon], as: UTF8.self)
            guard let scalar = Self.resolve(reference) else {
                throw malformed(at: index, "unknown entity &\(reference);")
            }
            output.append(contentsOf: String(Character(scalar)).utf8)
            index = semicolon + 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The character an entity or character reference (without `&` and `;`) stands for.
    private static func resolve(_ reference: String) -> Unicode.Scalar? {
        switch reference {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard reference.hasPrefix("#") else { return nil }
            let digits = reference.dropFirst()
            let value = digits.first == "x" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, value != 0 else { return nil }
            return Unicode.Scalar(value)
        }
    }

    private func skip(past terminator: String, from start: Int, what: String) throws -> Int {
        let pattern = Array(terminator.utf8)
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0] && bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                return index + pattern.count
            }
            index += 1
        }
        throw malformed(at: start, "the \(what) is not closed")
    }

    private func starts(_ prefix: StaticString, at index: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return prefix.withUTF8Buffer { bytes[index..<(index + count)].elementsEqual($0) }
    }

    private func skipSpace(from start: Int) -> Int {
        var index = start
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        return index
    }

    private func localName(_ name: ArraySlice<UInt8>) -> String {
        let local = name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name
        return String(decoding: local, as: UTF8.self)
    }

    private func string(_ name: ArraySlice<UInt8>) -> String { String(decoding: name, as: UTF8.self) }

    private func malformed(at offset: Int, _ detail: String) -> ExtractionError {
        let line = bytes[..<min(offset, bytes.count)].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        return .malformedXML(part: part, line: line, detail: detail)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        !isSpace(byte) && byte != UInt8(ascii: "/") && byte != UInt8(ascii: ">") && byte != UInt8(ascii: "=")
            && byte != UInt8(ascii: "<") && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "'")
    }
}
