/// Documents embedded in an Office document (`word/embeddings/`, `ppt/embeddings/`, `xl/embeddings/`:
/// a workbook pasted into a memo, a deck's chart data) are extracted like mail attachments, with their
/// parts named "embedded NAME › PART". One that fails makes the document fail; one that is skipped
/// is listed with its reason (an empty part with `skippedReason`), and
/// (a legacy OLE object, a picture) is left out.
enum EmbeddedDocuments {
    static func parts(
        in container: ZipContainer, folder: String, extractor: DocumentExtractor, context: ExtractionContext
    ) throws -> [ExtractedPart] {
        var parts: [ExtractedPart] = []
        for entry in container.entries where entry.path.hasPrefix(folder) && !entry.path.hasSuffix("/") {
            let name = String(entry.path.dropFirst(folder.count))
            let label = "embedded " + name
            let bytes = try container.read(entry, context: context)
            let outcome = try context.nested(part: label) {
                extractor.outcome(path: name, bytes: bytes, format: nil, context: context)
            }
            switch outcome {
            case .parts(let found):
                parts += found.map {
                    ExtractedPart(name: $0.name.map { label + " › " + $0 } ?? label, bytes: $0.bytes, skippedReason: $0.skippedReason)
                }
            case .skipped(let reason):
                parts.append(ExtractedPart(name: label, bytes: [], skippedReason: reason))
            case .failed(let reason): throw ExtractionError.embedded(name: name, reason: reason)
            }
        }
        return parts
    }
}
