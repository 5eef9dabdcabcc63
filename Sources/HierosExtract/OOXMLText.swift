/// Turns the WordprocessingML and DrawingML text of a part into lines: one per paragraph, one per table
/// row with its cells separated by a tab (paragraphs inside a cell joined by a space). Docx and pptx
/// share the element names this needs (`p`, `t`, `tr`, `tc`, `tab`, `br`).
struct OOXMLText {
    /// Local names of the elements whose character data is text (`t`; `delText` for tracked deletions).
    let textElements: Set<String>

    private(set) var lines: [String] = []
    private var paragraphs: [String] = []
    private var loose = ""
    private var frames: [Frame] = []
    private var elements: [String] = []
    private var textDepth = 0
    private var skippedDepth: Int?

    private enum Frame {
        case row([String])
        case cell(String)
    }

    init(textElements: Set<String> = ["t"]) { self.textElements = textElements }

    /// The lines of an XML part.
    static func lines(of scanner: XMLScanner, textElements: Set<String> = ["t"]) throws -> [String] {
        var text = OOXMLText(textElements: textElements)
        try scanner.scan { text.handle($0) }
        return text.finish()
    }

    mutating func handle(_ event: XMLScanner.Event) {
        if let depth = skippedDepth {
            switch event {
            case .start: skippedDepth = depth + 1
            case .end: skippedDepth = depth == 0 ? nil : depth - 1
            case .text: break
            }
            return
        }
        switch event {
        // Markup-compatibility fallbacks repeat the content of the choice before them (text boxes).
        case .start("Fallback", _):
            skippedDepth = 0
        case .start(let name, _):
            start(name)
            elements.append(name)
        case .end(let name):
            _ = elements.popLast()
            end(name)
        case .text(let text):
            if textDepth > 0 { append(text) }
        }
    }

    /// The lines, with any text left outside a paragraph as a last line.
    mutating func finish() -> [String] {
        while !paragraphs.isEmpty { end("p") }
        if !loose.isEmpty { lines.append(loose) }
        loose = ""
        return lines
    }

    private mutating func start(_ name: String) {
        switch name {
        case "p": paragraphs.append("")
        case "tr": frames.append(.row([]))
        case "tc": frames.append(.cell(""))
        // `tab` and `noBreakHyphen` are characters only inside a run; elsewhere `tab` is a tab stop.
        case "tab" where elements.last == "r": append("\t")
        case "noBreakHyphen" where elements.last == "r": append("-")
        case "br", "cr": append(" ")
        default: if textElements.contains(name) { textDepth += 1 }
        }
    }

    private mutating func end(_ name: String) {
        switch name {
        case "p":
            guard let paragraph = paragraphs.popLast() else { return }
            emit(paragraph)
        case "tc":
            guard case .cell(let text)? = frames.last else { return }
            frames.removeLast()
            if case .row(var cells)? = frames.last {
                cells.append(text)
                frames[frames.count - 1] = .row(cells)
            } else {
                emit(text)
            }
        case "tr":
            guard case .row(let cells)? = frames.last else { return }
            frames.removeLast()
            emit(cells.joined(separator: "\t"))
        default:
            if textElements.contains(name), textDepth > 0 { textDepth -= 1 }
        }
    }

    /// A finished paragraph or row goes into the enclosing cell, or is a line.
    private mutating func emit(_ text: String) {
        if case .cell(let cell)? = frames.last {
            frames[frames.count - 1] = .cell(cell.isEmpty ? text : text.isEmpty ? cell : cell + " " + text)
        } else {
            lines.append(text)
        }
    }

    private mutating func append(_ text: String) {
        let clean = Lines.singleLine(text)
        if paragraphs.isEmpty { loose += clean } else { paragraphs[paragraphs.count - 1] += clean }
    }
}

/// Helpers for building line-oriented text.
enum Lines {
    /// `text` with its line breaks (and form feeds, vertical tabs) turned into spaces, so it stays on one line.
    static func singleLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isBreak) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isBreak($0) ? " " : $0 }))
    }

    private static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }
}
