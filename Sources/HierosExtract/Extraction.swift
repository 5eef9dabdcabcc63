// HierosExtract turns documents into text the engine can classify: plain files as they are,
// Office Open XML (docx, pptx, xlsx), MIME mail, HTML and PDF (through poppler's pdftotext).
// Each format yields named parts ("document", "slide 3 notes", "attachment a.docx › document")
// whose lines follow the document's paragraphs and rows, so a finding's line number points
// at one. Extraction never prints, never exits and never trusts the input: every container is
// read within a budget of expanded bytes, entries and nesting, and a corrupt or oversized
// document is a failure with its reason (the scan fails closed on it), never a crash or a hang.

/// A piece of a document's text, with where it comes from.
public struct ExtractedPart: Sendable, Hashable {
    /// Where the text is inside the document, for reports: nil for a plain file; e.g. "document", "header1",
    /// "footnotes", "comments", "slide 3", "slide 3 notes", "sheet Budget", "body",
    /// "attachment report.docx › document".
    public let name: String?
    /// The text to classify, UTF-8. For plain text formats, the file's bytes unchanged (they may be invalid
    /// UTF-8: the engine reports that). For extracted formats, one line per paragraph / table row / slide
    /// paragraph / sheet row (cells separated by a tab), so that a finding's line number points at the
    /// paragraph or row.
    public let bytes: [UInt8]
    /// Set when this part (an attachment, an embedded object) was deliberately not read, with
    /// the reason; its `bytes` are then empty. Reports list it, so nothing is skipped silently.
    public let skippedReason: String?

    /// A part named `name` (nil for a plain file) holding `bytes`.
    public init(name: String?, bytes: [UInt8], skippedReason: String? = nil) {
        self.name = name
        self.bytes = bytes
        self.skippedReason = skippedReason
    }

    /// A part whose text is `lines`, one per line (a line never contains a line break).
    init(name: String?, lines: [String]) {
        self.init(name: name, bytes: Array(lines.joined(separator: "\n").utf8))
    }
}

/// What extracting a document gave.
public enum ExtractionOutcome: Sendable {
    /// The document's text, in document order.
    case parts([ExtractedPart])
    /// Not checked, with a reason for the report ("binary file", "pdftotext is not installed", "unsupported
    /// format: .doc"…).
    case skipped(reason: String)
    /// The document is corrupt or could not be read: the scan fails closed on it.
    case failed(reason: String)
}

/// How much a single document may cost, so that a ZIP bomb or a deeply nested mail fails instead of
/// exhausting memory or time.
public struct ExtractionLimits: Sendable, Hashable {
    /// The most bytes a document may expand to: bytes decompressed from ZIP entries plus spreadsheet text
    /// built from shared strings, over the document and everything attached to it.
    public var maxExpandedBytes: Int
    /// The most entries a ZIP container may declare.
    public var maxEntries: Int
    /// The deepest nesting of attachments (a docx in a mail in a mail…) and MIME multiparts.
    public var maxNestingDepth: Int
    /// How long pdftotext may run on one PDF, in seconds.
    public var pdfTimeoutSeconds: Double

    /// 256 MiB, 10,000 entries, 16 levels, 60 seconds.
    public static let standard = ExtractionLimits(
        maxExpandedBytes: 256 << 20, maxEntries: 10_000, maxNestingDepth: 16, pdfTimeoutSeconds: 60)

    /// Limits with the given values.
    public init(maxExpandedBytes: Int, maxEntries: Int, maxNestingDepth: Int, pdfTimeoutSeconds: Double) {
        self.maxExpandedBytes = maxExpandedBytes
        self.maxEntries = maxEntries
        self.maxNestingDepth = maxNestingDepth
        self.pdfTimeoutSeconds = pdfTimeoutSeconds
    }
}
