/// The text of an RFC 5322 / MIME message (.eml): a "headers" part (Subject, From, To, Cc, Bcc,
/// encoded words decoded), then each text body ("body", "body (html)" converted to text, further ones
/// numbered), then each attachment, extracted by its file name and named "attachment NAME › PART". A
/// nested message or document works the same way; an attachment that fails makes the message fail
/// (fail closed); one that is skipped (an image, a binary file) is listed with its reason.
struct MailDocument {
    let extractor: DocumentExtractor
    let context: ExtractionContext
    private var parts: [ExtractedPart] = []
    private var usedNames: [String: Int] = [:]

    /// The header fields reported in the "headers" part.
    static let reportedHeaders = ["Subject", "From", "To", "Cc", "Bcc"]

    init(extractor: DocumentExtractor, context: ExtractionContext) {
        self.extractor = extractor
        self.context = context
    }

    /// The parts of the message in `bytes`.
    static func parts(
        of bytes: [UInt8], extractor: DocumentExtractor, context: ExtractionContext
    ) throws -> [ExtractedPart] {
        var mail = MailDocument(extractor: extractor, context: context)
        let message = MIMEEntity(bytes: bytes[...])
        var lines: [String] = []
        for name in reportedHeaders {
            for value in message.values(name) {
                lines.append(name + ": " + Lines.singleLine(MIMEDecoding.decodeEncodedWords(value)))
            }
        }
        if !lines.isEmpty { mail.parts.append(ExtractedPart(name: "headers", lines: lines)) }
        try mail.walk(message)
        return mail.parts
    }

    private mutating func walk(_ entity: MIMEEntity) throws {
        let type = entity.contentType
        let disposition = entity.disposition
        let fileName = entity.fileName
        if type.value.hasPrefix("multipart/"), let boundary = type.parameters["boundary"], !boundary.isEmpty {
            try context.nested(part: "a multipart body") {
                for part in entity.parts(boundary: boundary) { try walk(part) }
            }
        } else if type.value == "message/rfc822" || type.value == "message/global" {
            let name = fileName ?? "message.eml"
            try attach(name: name, bytes: entity.decodedBody, format: .eml)
        } else if disposition?.value == "attachment" || (fileName != nil && !type.value.hasPrefix("text/")) {
            try attach(name: fileName ?? "unnamed" + Self.extensionFor(type.value), bytes: entity.decodedBody, format: nil)
        } else if type.value.hasPrefix("text/") || type.value.isEmpty || type.value.hasPrefix("multipart/") {
            let text = Self.normalizeLineBreaks(Charset.decode(entity.decodedBody, charset: type.parameters["charset"]))
            switch type.value {
            case "text/html":
                add(name: "body (html)", part: ExtractedPart(name: nil, lines: HTMLText.lines(of: text)))
            case "text/plain", "", "multipart/mixed", "multipart/alternative", "multipart/related":
                add(name: "body", part: ExtractedPart(name: nil, bytes: Array(text.utf8)))
            default:
                add(name: "body (\(type.value))", part: ExtractedPart(name: nil, bytes: Array(text.utf8)))
            }
        } else if let known = Self.knownExtensions[type.value] {
            try attach(name: "unnamed" + known, bytes: entity.decodedBody, format: nil)
        }
        // Other unnamed parts (inline images, signatures) carry no text.
    }

    /// Extracts an attachment by its name (or as `format`) and adds its parts, prefixed with its name.
    private mutating func attach(name: String, bytes: [UInt8], format: DocumentFormat?) throws {
        let label = "attachment " + name
        let outcome = try context.nested(part: label) {
            extractor.outcome(path: name, bytes: bytes, format: format, context: context)
        }
        switch outcome {
        case .parts(let parts):
            for part in parts { add(name: part.name.map { label + " › " + $0 } ?? label, part: part) }
        case .skipped(let reason):
            add(name: label, part: ExtractedPart(name: label, bytes: [], skippedReason: reason))
        case .failed(let reason): throw ExtractionError.attachment(name: name, reason: reason)
        }
    }

    /// Adds `part` under `name`, numbered when the name is taken ("body 2").
    private mutating func add(name: String, part: ExtractedPart) {
        let uses = usedNames[name, default: 0] + 1
        usedNames[name] = uses
        parts.append(ExtractedPart(name: uses == 1 ? name : "\(name) \(uses)", bytes: part.bytes, skippedReason: part.skippedReason))
    }

    /// CRLF and lone CR become LF.
    static func normalizeLineBreaks(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        var result = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                previousCR = true
            } else {
                if !(scalar == "\n" && previousCR) { result.append(scalar) }
                previousCR = false
            }
        }
        return String(result)
    }

    /// File extensions of media types that carry text, for attachments sent without a name.
    static let knownExtensions: [String: String] = [
        "application/pdf": ".pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
        "application/json": ".json",
    ]

    private static func extensionFor(_ type: String) -> String { knownExtensions[type] ?? ".bin" }
}
