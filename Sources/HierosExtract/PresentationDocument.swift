/// The text of a PresentationML deck (.pptx): each slide (`ppt/slides/slideN.xml`, in numeric order) as
/// "slide N", followed by its speaker notes as "slide N notes" when it has any.
enum PresentationDocument {
    static func parts(of container: ZipContainer, context: ExtractionContext) throws -> [ExtractedPart] {
        guard container.contains("ppt/presentation.xml") else {
            throw ExtractionError.missingPart(kind: "PowerPoint presentation", part: "ppt/presentation.xml")
        }
        var parts: [ExtractedPart] = []
        for path in WordDocument.numbered(in: container, prefix: "ppt/slides/slide") {
            let number = path.dropFirst("ppt/slides/slide".count).dropLast(".xml".count)
            parts.append(ExtractedPart(name: "slide \(number)", lines: try lines(of: path, in: container, context: context)))
            let relationships = try Relationships.of(path, in: container, context: context)
            if let notes = relationships.first(typeSuffix: "notesSlide"), container.contains(notes.target) {
                parts.append(ExtractedPart(
                    name: "slide \(number) notes", lines: try lines(of: notes.target, in: container, context: context)))
            }
        }
        return parts
    }

    private static func lines(of path: String, in container: ZipContainer, context: ExtractionContext) throws -> [String] {
        try OOXMLText.lines(of: XMLScanner(part: path, bytes: try container.read(path, context: context) ?? []))
    }
}
