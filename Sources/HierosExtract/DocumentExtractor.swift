/// Extracts the text of documents for classification. A value type with no mutable state: one
/// extractor serves any number of concurrent scans.
public struct DocumentExtractor: Sendable {
    /// The limits each document is extracted within.
    public let limits: ExtractionLimits
    /// The pdftotext executable used for PDFs; nil when there is none (PDFs are then skipped).
    public let pdftotextPath: String?
    private let missingPDFReason: String

    /// An extractor that runs `pdftotext` (a path, or a name looked up on PATH; nil: `pdftotext` looked up
    /// on PATH, once, here) for PDFs.
    public init(pdftotext: String? = nil, limits: ExtractionLimits = .standard) {
        self.limits = limits
        pdftotextPath = PDFText.findExecutable(pdftotext ?? "pdftotext")
        if let pdftotext, pdftotext.contains("/") {
            missingPDFReason = "pdftotext not found at \(pdftotext)"
        } else {
            missingPDFReason = "\(pdftotext ?? "pdftotext") is not installed (apt-get install poppler-utils)"
        }
    }

    /// The format of `path` by its extension (case-insensitive); a file with an unknown extension is
    /// `.text` unless it is binary (a NUL byte in its first 8 KiB). Nil when binary or unsupported.
    public func format(path: String, bytes: [UInt8]) -> DocumentFormat? {
        guard case .format(let format) = FormatDecision(path: path, bytes: bytes) else { return nil }
        return format
    }

    /// The text of the document at `path` (used for its name only) whose content is `bytes`.
    public func extract(path: String, bytes: [UInt8]) -> ExtractionOutcome {
        outcome(path: path, bytes: bytes, format: nil, context: ExtractionContext(limits: limits))
    }

    /// Extraction within a running context (for documents nested in others); `format` overrides the
    /// format chosen by name.
    func outcome(path: String, bytes: [UInt8], format: DocumentFormat?, context: ExtractionContext) -> ExtractionOutcome {
        let decision = format.map(FormatDecision.format) ?? FormatDecision(path: path, bytes: bytes)
        let chosen: DocumentFormat
        switch decision {
        case .skip(let reason): return .skipped(reason: reason)
        case .format(let format): chosen = format
        }
        do {
            switch chosen {
            case .text, .markdown, .csv, .json:
                return .parts([ExtractedPart(name: nil, bytes: UTF16Text.utf8(bytes) ?? bytes)])
            case .html:
                return .parts([ExtractedPart(name: "text", lines: HTMLText.lines(ofFile: bytes))])
            case .eml:
                return .parts(try MailDocument.parts(of: bytes, extractor: self, context: context))
            case .docx:
                let container = try zip(bytes, context)
                return .parts(try WordDocument.parts(of: container, context: context)
                    + EmbeddedDocuments.parts(in: container, folder: "word/embeddings/", extractor: self, context: context))
            case .pptx:
                let container = try zip(bytes, context)
                return .parts(try PresentationDocument.parts(of: container, context: context)
                    + EmbeddedDocuments.parts(in: container, folder: "ppt/embeddings/", extractor: self, context: context))
            case .xlsx:
                let container = try zip(bytes, context)
                return .parts(try SpreadsheetDocument.parts(of: container, context: context)
                    + EmbeddedDocuments.parts(in: container, folder: "xl/embeddings/", extractor: self, context: context))
            case .pdf:
                guard let pdftotextPath else { return .skipped(reason: missingPDFReason) }
                return .parts(try PDFText(executable: pdftotextPath, context: context).parts(of: bytes))
            }
        } catch let error as ExtractionError {
            return .failed(reason: error.description)
        } catch {
            return .failed(reason: String(describing: error))
        }
    }

    private func zip(_ bytes: [UInt8], _ context: ExtractionContext) throws -> ZipContainer {
        try ZipContainer(bytes: bytes, maxEntries: context.limits.maxEntries)
    }
}
