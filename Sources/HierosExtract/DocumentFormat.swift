/// The formats the extractor reads, chosen by file extension.
public enum DocumentFormat: String, Sendable, CaseIterable {
    /// Plain text: .txt, .text, .log, and any file with an unknown extension that is not binary.
    case text
    /// Markdown (.md, .markdown), read as it is.
    case markdown
    /// Comma- or tab-separated values (.csv, .tsv), read as they are.
    case csv
    /// JSON and JSON Lines (.json, .jsonl, .ndjson), read as they are.
    case json
    /// HTML (.html, .htm, .xhtml): visible text, comments, scripts and link targets.
    case html
    /// A MIME mail (.eml): headers, bodies and attachments.
    case eml
    /// A Word document (.docx, .docm, .dotx, .dotm).
    case docx
    /// A PowerPoint deck (.pptx, .pptm, .potx, .ppsx).
    case pptx
    /// An Excel workbook (.xlsx, .xlsm, .xltx).
    case xlsx
    /// A PDF, through pdftotext.
    case pdf

    /// Whether the file's bytes are classified as they are (no extraction).
    public var isPlain: Bool {
        switch self {
        case .text, .markdown, .csv, .json: return true
        case .html, .eml, .docx, .pptx, .xlsx, .pdf: return false
        }
    }

    /// The format of each known extension (lowercase, without the dot).
    static let byExtension: [String: DocumentFormat] = [
        "txt": .text, "text": .text, "log": .text,
        "md": .markdown, "markdown": .markdown,
        "csv": .csv, "tsv": .csv,
        "json": .json, "jsonl": .json, "ndjson": .json,
        "html": .html, "htm": .html, "xhtml": .html,
        "eml": .eml,
        "docx": .docx, "docm": .docx, "dotx": .docx, "dotm": .docx,
        "pptx": .pptx, "pptm": .pptx, "potx": .pptx, "ppsx": .pptx,
        "xlsx": .xlsx, "xlsm": .xlsx, "xltx": .xlsx,
        "pdf": .pdf,
    ]

    /// Document formats people will expect to be read but that are not: they are skipped by name rather
    /// than as "binary file", so that the report says what to do.
    static let unsupportedExtensions: Set<String> = [
        "doc", "dot", "xls", "xlt", "xlsb", "ppt", "pps", "pot", "msg", "odt", "ods", "odp", "rtf", "pages",
        "numbers", "key", "zip", "7z", "rar", "gz", "tgz", "bz2", "xz", "tar",
    ]
}

/// What `DocumentExtractor` makes of a file before reading it.
enum FormatDecision: Equatable {
    case format(DocumentFormat)
    case skip(reason: String)

    /// The decision for `path` whose content is `bytes`: by extension (case-insensitive); an unknown
    /// extension is text unless it is binary (a NUL byte in its first 8 KiB).
    init(path: String, bytes: [UInt8]) {
        let ext = Self.fileExtension(of: path)
        if let format = DocumentFormat.byExtension[ext] {
            self = .format(format)
        } else if DocumentFormat.unsupportedExtensions.contains(ext) {
            self = .skip(reason: "unsupported format: .\(ext)")
        } else if UTF16Text.hasByteOrderMark(bytes) || !bytes.prefix(8192).contains(0) {
            self = .format(.text)
        } else {
            self = .skip(reason: "binary file")
        }
    }

    /// The lowercased extension of the last path component ("" when there is none; a leading dot, as in
    /// `.env`, starts a name, not an extension).
    static func fileExtension(of path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        let base = name.split(separator: "\\", omittingEmptySubsequences: false).last.map(String.init) ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return "" }
        return base[base.index(after: dot)...].lowercased()
    }
}

/// UTF-16 text with a byte order mark, as Windows tools write it ("Unicode" in Notepad, PowerShell's `>`).
/// Its NUL bytes would make it look binary and hide every pattern from the engine, so plain files in
/// UTF-16 are converted to UTF-8 (the only change ever made to a plain file's bytes).
enum UTF16Text {
    static func hasByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF))
    }

    /// The UTF-8 form of `bytes` when they start with a UTF-16 byte order mark; nil otherwise.
    static func utf8(_ bytes: [UInt8]) -> [UInt8]? {
        guard hasByteOrderMark(bytes) else { return nil }
        let littleEndian = bytes[0] == 0xFF
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 2
        while index + 1 < bytes.count {
            let (low, high) = littleEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
            units.append(UInt16(high) << 8 | UInt16(low))
            index += 2
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
