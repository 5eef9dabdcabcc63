/// The text of a SpreadsheetML workbook (.xlsx): each worksheet, named as in the workbook, as
/// "sheet NAME". Line N is row N (empty rows stay as empty lines) and cells are placed by their column,
/// separated by tabs. Values are shared strings, inline strings, and numbers, booleans and errors as
/// stored (dates are serial numbers; formulas are not read, their cached values are).
enum SpreadsheetDocument {
    static let maxRows = 1_048_576
    static let maxColumns = 16_384

    static func parts(of container: ZipContainer, context: ExtractionContext) throws -> [ExtractedPart] {
        let workbook = "xl/workbook.xml"
        guard let workbookBytes = try container.read(workbook, context: context) else {
            throw ExtractionError.missingPart(kind: "Excel workbook", part: workbook)
        }
        let relationships = try Relationships.of(workbook, in: container, context: context)
        let stringsPath = relationships.first(typeSuffix: "sharedStrings")?.target ?? "xl/sharedStrings.xml"
        let strings = try container.read(stringsPath, context: context).map {
            try sharedStrings(XMLScanner(part: stringsPath, bytes: $0))
        } ?? []
        var parts: [ExtractedPart] = []
        for (name, id) in try sheets(XMLScanner(part: workbook, bytes: workbookBytes)) {
            guard let relationship = relationships.target(id: id) else {
                throw ExtractionError.corruptSpreadsheet(part: workbook, detail: "sheet \(name) has no relationship \(id)")
            }
            guard relationship.type.hasSuffix("/worksheet") else { continue }  // chart and dialog sheets
            guard let bytes = try container.read(relationship.target, context: context) else {
                throw ExtractionError.missingPart(kind: "complete workbook", part: relationship.target)
            }
            var sheet = Worksheet(part: relationship.target, strings: strings, context: context)
            try XMLScanner(part: relationship.target, bytes: bytes).scan { try sheet.handle($0) }
            parts.append(ExtractedPart(name: "sheet \(name)", lines: sheet.lines))
        }
        return parts
    }

    /// The sheets of `workbook.xml`: name and relationship id, in tab order.
    private static func sheets(_ scanner: XMLScanner) throws -> [(name: String, id: String)] {
        var sheets: [(String, String)] = []
        try scanner.scan { event in
            guard case .start("sheet", let attributes) = event else { return }
            guard let name = attributes.first(where: { $0.name == "name" })?.value,
                  let id = attributes.first(where: { $0.name == "id" })?.value else {
                throw ExtractionError.corruptSpreadsheet(part: scanner.part, detail: "a sheet has no name or id")
            }
            sheets.append((name, id))
        }
        return sheets
    }

    /// The shared string table: each `si` item's text (its runs joined; phonetic guides left out).
    private static func sharedStrings(_ scanner: XMLScanner) throws -> [String] {
        var strings: [String] = []
        var current = ""
        var inText = false
        var phoneticDepth = 0
        try scanner.scan { event in
            switch event {
            case .start("si", _): current = ""
            case .start("rPh", _): phoneticDepth += 1
            case .start("t", _): inText = phoneticDepth == 0
            case .end("t"): inText = false
            case .end("rPh"): phoneticDepth -= 1
            case .end("si"): strings.append(current)
            case .text(let text) where inText: current += text
            default: break
            }
        }
        return strings
    }
}

/// Reads one worksheet part into lines, row by row.
private struct Worksheet {
    let part: String
    let strings: [String]
    let context: ExtractionContext
    private(set) var lines: [String] = []

    private var row: [String] = []
    private var rowNumber = 0
    private var column = 0
    private var type = ""
    private var value = ""
    private var inline = ""
    private var reading: Reading = .none
    private var phoneticDepth = 0

    private enum Reading { case none, value, inlineText }

    init(part: String, strings: [String], context: ExtractionContext) {
        self.part = part
        self.strings = strings
        self.context = context
    }

    mutating func handle(_ event: XMLScanner.Event) throws {
        switch event {
        case .start("row", let attributes):
            let number = try attributes.first { $0.name == "r" }.map { try rowIndex($0.value) } ?? rowNumber + 1
            rowNumber = max(number, rowNumber + 1)
            guard rowNumber <= SpreadsheetDocument.maxRows else {
                throw corrupt("more than \(SpreadsheetDocument.maxRows) rows")
            }
            row = []
            column = 0
        case .start("c", let attributes):
            let reference = attributes.first { $0.name == "r" }?.value
            column = try reference.map(columnIndex) ?? column + 1
            type = attributes.first { $0.name == "t" }?.value ?? "n"
            value = ""
            inline = ""
        case .start("v", _): reading = .value
        case .start("t", _) where phoneticDepth == 0: if reading == .none { reading = .inlineText }
        case .start("rPh", _): phoneticDepth += 1
        case .end("rPh"): phoneticDepth -= 1
        case .end("v"), .end("t"): reading = .none
        case .text(let text):
            switch reading {
            case .value: value += text
            case .inlineText: inline += text
            case .none: break
            }
        case .end("c"): try place(cellText())
        case .end("row"): try emitRow()
        default: break
        }
    }

    private func cellText() throws -> String {
        switch type {
        case "s":
            guard let index = Int(value.filter { !$0.isWhitespace }), strings.indices.contains(index) else {
                throw corrupt("shared string \(value) does not exist")
            }
            return strings[index]
        case "inlineStr": return inline
        case "b": return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
        default: return value
        }
    }

    private mutating func place(_ text: String) throws {
        guard !text.isEmpty else { return }
        guard column >= 1, column <= SpreadsheetDocument.maxColumns else { throw corrupt("a cell is outside the sheet") }
        let clean = String(Lines.singleLine(text).map { $0 == "\t" ? " " : $0 })
        try context.charge(clean.utf8.count + max(0, column - row.count), part: part)
        while row.count < column - 1 { row.append("") }
        if row.count == column - 1 { row.append(clean) } else { row[column - 1] = clean }
    }

    private mutating func emitRow() throws {
        try context.charge(rowNumber - lines.count, part: part)
        while lines.count < rowNumber - 1 { lines.append("") }
        lines.append(row.joined(separator: "\t"))
        row = []
    }

    /// The row number of a row's `r` attribute.
    private func rowIndex(_ text: String) throws -> Int {
        guard let number = Int(text), number >= 1 else { throw corrupt("bad row number \(text)") }
        return number
    }

    /// The column number (A = 1) of a cell reference such as "AB12".
    private func columnIndex(_ reference: String) throws -> Int {
        var number = 0
        for scalar in reference.uppercased().unicodeScalars {
            guard scalar >= "A" && scalar <= "Z" else { break }
            number = number * 26 + Int(scalar.value - 64)
            guard number <= SpreadsheetDocument.maxColumns else { throw corrupt("a cell is outside the sheet") }
        }
        guard number >= 1 else { throw corrupt("bad cell reference \(reference)") }
        return number
    }

    private func corrupt(_ detail: String) -> ExtractionError { .corruptSpreadsheet(part: part, detail: detail) }
}
