/// Why a document could not be extracted. Every user-facing message of the module is here.
enum ExtractionError: Error, Hashable, CustomStringConvertible {
    /// The bytes are not a ZIP archive at all.
    case notZip(detail: String)
    /// The ZIP container is damaged (`entry` is nil when the directory itself is).
    case corruptZip(entry: String?, detail: String)
    /// An entry uses something this reader does not support (encryption, a compression method).
    case unsupportedZipEntry(entry: String, detail: String)
    /// The container declares more entries than the limit.
    case tooManyEntries(count: Int, limit: Int)
    /// Expanding `part` took the document past the limit of expanded bytes.
    case tooLarge(part: String, limit: Int)
    /// A required part of a container is missing.
    case missingPart(kind: String, part: String)
    /// An XML part is not well-formed.
    case malformedXML(part: String, line: Int, detail: String)
    /// A spreadsheet refers to something that is not there.
    case corruptSpreadsheet(part: String, detail: String)
    /// Attachments or multiparts nest deeper than the limit.
    case tooDeep(part: String, limit: Int)
    /// An attachment failed; `reason` is its own failure.
    case attachment(name: String, reason: String)
    /// A document embedded in an Office document failed; `reason` is its own failure.
    case embedded(name: String, reason: String)
    /// pdftotext could not be run or failed on the document.
    case pdf(detail: String)

    var description: String {
        switch self {
        case .notZip(let detail):
            return "not a ZIP container (\(detail)); is the file damaged, encrypted or in a legacy format?"
        case .corruptZip(let entry?, let detail): return "corrupt ZIP entry \(entry): \(detail)"
        case .corruptZip(nil, let detail): return "corrupt ZIP container: \(detail)"
        case .unsupportedZipEntry(let entry, let detail): return "cannot read ZIP entry \(entry): \(detail)"
        case .tooManyEntries(let count, let limit):
            return "the ZIP container declares \(count) entries, more than the limit of \(limit)"
        case .tooLarge(let part, let limit):
            return "\(part) expands the document past the limit of \(limit) bytes (a ZIP bomb?)"
        case .missingPart(let kind, let part): return "not a \(kind): \(part) is missing"
        case .malformedXML(let part, let line, let detail): return "malformed XML in \(part) at line \(line): \(detail)"
        case .corruptSpreadsheet(let part, let detail): return "corrupt spreadsheet part \(part): \(detail)"
        case .tooDeep(let part, let limit): return "\(part) is nested deeper than the limit of \(limit) levels"
        case .attachment(let name, let reason): return "attachment \(name): \(reason)"
        case .embedded(let name, let reason): return "embedded document \(name): \(reason)"
        case .pdf(let detail): return "pdftotext: \(detail)"
        }
    }
}
