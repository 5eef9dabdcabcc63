/// The text of a WordprocessingML document (.docx): the body, then each header and footer, the
/// footnotes, endnotes and comments, each as its own part. Tracked deletions are kept: they are
/// still in the file that goes out.
enum WordDocument {
    static func parts(of container: ZipContainer, context: ExtractionContext) throws -> [ExtractedPart] {
        guard container.contains("word/document.xml") else {
            throw ExtractionError.missingPart(kind: "Word document", part: "word/document.xml")
        }
        var paths = ["word/document.xml"]
        paths += numbered(in: container, prefix: "word/header")
        paths += numbered(in: container, prefix: "word/footer")
        paths += ["word/footnotes.xml", "word/endnotes.xml", "word/comments.xml"].filter(container.contains)
        return try paths.map { path in
            let bytes = try container.read(path, context: context) ?? []
            let lines = try OOXMLText.lines(of: XMLScanner(part: path, bytes: bytes), textElements: ["t", "delText"])
            return ExtractedPart(name: partName(path), lines: lines)
        }
    }

    /// The part name of a path: "word/header2.xml" → "header2".
    private static func partName(_ path: String) -> String {
        String(path.dropFirst("word/".count).dropLast(".xml".count))
    }

    /// The entries `PREFIX<N>.xml`, in numeric order.
    static func numbered(in container: ZipContainer, prefix: String) -> [String] {
        container.entries.compactMap { entry -> (Int, String)? in
            guard entry.path.hasPrefix(prefix), entry.path.hasSuffix(".xml"),
                  let number = Int(entry.path.dropFirst(prefix.count).dropLast(4)) else { return nil }
            return (number, entry.path)
        }
        .sorted { $0.0 < $1.0 }
        .map(\.1)
    }
}
