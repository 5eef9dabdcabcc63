import Foundation

/// One RFC 5322 message or MIME body part: its header fields and its body, still encoded.
struct MIMEEntity {
    /// The header fields, unfolded, in order; values are raw (encoded words not decoded).
    let headers: [(name: String, value: String)]
    /// The body, as it is in the message.
    let body: ArraySlice<UInt8>

    /// Splits `bytes` into header fields and body. The header ends at the first empty line, or at the
    /// first line that is neither a field nor a continuation, which then starts the body (so no text is
    /// ever dropped). Lines may end in CRLF or LF; an mbox "From " line at the very top is skipped.
    init(bytes: ArraySlice<UInt8>) {
        var headers: [(String, String)] = []
        var index = bytes.startIndex
        var bodyStart = bytes.endIndex
        while index < bytes.endIndex {
            let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var line = bytes[index..<lineEnd]
            if line.last == 0x0D { line = line.dropLast() }
            let next = lineEnd < bytes.endIndex ? lineEnd + 1 : lineEnd
            if line.isEmpty {
                bodyStart = next
                break
            }
            let text = Charset.decode(line, charset: nil)
            if let first = line.first, first == 0x20 || first == 0x09, let last = headers.popLast() {
                headers.append((last.0, last.1 + " " + text.trimmingCharacters(in: .whitespaces)))
            } else if let colon = text.firstIndex(of: ":"), colon > text.startIndex,
                      !text[..<colon].contains(where: { $0 == " " || $0 == "\t" }) {
                let name = String(text[..<colon])
                let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers.append((name, value))
            } else if !(index == bytes.startIndex && text.hasPrefix("From ")) {
                bodyStart = index
                break
            }
            index = next
        }
        self.headers = headers
        self.body = bytes[min(bodyStart, bytes.endIndex)...]
    }

    /// The values of every field named `name` (case-insensitive), in order.
    func values(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// The first value of the field named `name`.
    func value(_ name: String) -> String? { values(name).first }

    /// The media type (lowercase) and its parameters; text/plain when absent.
    var contentType: HeaderValue { HeaderValue(value("Content-Type") ?? "text/plain") }

    /// The disposition ("inline", "attachment") and its parameters, when the part has one.
    var disposition: HeaderValue? { value("Content-Disposition").map(HeaderValue.init) }

    /// The body decoded from its transfer encoding.
    var decodedBody: [UInt8] {
        let encoding = value("Content-Transfer-Encoding")?.trimmingCharacters(in: .whitespaces) ?? "7bit"
        return MIMEDecoding.decode(body, transferEncoding: encoding)
    }

    /// The attachment's file name, from the disposition or the content type, without any folder.
    var fileName: String? {
        let name = disposition?.parameters["filename"] ?? contentType.parameters["name"]
        guard let name, !name.isEmpty else { return nil }
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
        return Lines.singleLine(last)
    }

    /// The body parts of a multipart body delimited by `boundary` (preamble and epilogue dropped; a
    /// missing closing delimiter ends the last part at the end of the body).
    func parts(boundary: String) -> [MIMEEntity] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [MIMEEntity] = []
        var partStart: Int?
        var index = body.startIndex
        while index < body.endIndex {
            let lineEnd = body[index...].firstIndex(of: 0x0A) ?? body.endIndex
            let line = body[index..<lineEnd]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let closing = rest.starts(with: [0x2D, 0x2D])
                let trailing = closing ? rest.dropFirst(2) : rest
                if trailing.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if let start = partStart {
                        // The line break before a delimiter belongs to the delimiter.
                        var end = index
                        if end > start, body[end - 1] == 0x0A { end -= 1 }
                        if end > start, body[end - 1] == 0x0D { end -= 1 }
                        parts.append(MIMEEntity(bytes: body[start..<max(start, end)]))
                    }
                    if closing { return parts }
                    partStart = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
                }
            }
            index = lineEnd < body.endIndex ? lineEnd + 1 : lineEnd
        }
        if let start = partStart, start < body.endIndex { parts.append(MIMEEntity(bytes: body[start...])) }
        return parts
    }
}

/// A structured header value such as `text/plain; charset="utf-8"` or
/// `attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.docx`: the value (lowercase) and its parameters
/// (names lowercase, quoting removed, RFC 2231 continuations and charsets and encoded words decoded).
struct HeaderValue {
    let value: String
    let parameters: [String: String]

    init(_ header: String) {
        let fields = Self.split(header)
        value = fields.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        var plain: [String: String] = [:]
        var extended: [String: [(index: Int, encoded: Bool, value: String)]] = [:]
        for field in fields.dropFirst() {
            guard let equals = field.firstIndex(of: "=") else { continue }
            var name = field[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = Self.unquote(field[field.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            let encoded = name.hasSuffix("*")
            if encoded { name.removeLast() }
            if let star = name.firstIndex(of: "*"), let index = Int(name[name.index(after: star)...]) {
                extended[String(name[..<star]), default: []].append((index, encoded, value))
            } else if encoded {
                extended[name, default: []].append((0, true, value))
            } else {
                plain[name] = MIMEDecoding.decodeEncodedWords(value)
            }
        }
        for (name, pieces) in extended {
            plain[name] = Self.joinExtended(pieces.sorted { $0.index < $1.index })
        }
        parameters = plain
    }

    /// RFC 2231: the first encoded piece starts with `charset'language'`; encoded pieces are
    /// percent-encoded in that charset, the others are plain.
    private static func joinExtended(_ pieces: [(index: Int, encoded: Bool, value: String)]) -> String {
        var charset: String?
        var bytes: [UInt8] = []
        for (position, piece) in pieces.enumerated() {
            var value = Substring(piece.value)
            if piece.encoded {
                if position == 0 {
                    let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if parts.count == 3 {
                        charset = String(parts[0])
                        value = parts[2]
                    }
                }
                bytes += MIMEDecoding.percentDecoded(value)
            } else {
                bytes += Array(value.utf8)
            }
        }
        return Charset.decode(bytes, charset: charset)
    }

    /// The `;`-separated fields of a header, keeping `;` inside quotes.
    private static func split(_ header: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in header {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" && quoted {
                current.append(character)
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
                current.append(character)
            } else if character == ";" && !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    private static func unquote(_ value: String) -> String {
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else { return value }
        var result = ""
        var escaped = false
        for character in value.dropFirst().dropLast() {
            if escaped || character != "\\" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }
}
