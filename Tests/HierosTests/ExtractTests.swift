import Foundation
@testable import HierosExtract
import Testing

/// The document fixtures (made by Fixtures/documents/make-fixtures.py), extracted.
private enum Documents {
    static let extractor = DocumentExtractor()
    static let secret = "Ping MT482913 before Friday."

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("documents/" + name))))
    }

    static func extract(_ name: String, with extractor: DocumentExtractor = extractor) throws -> ExtractionOutcome {
        extractor.extract(path: "some/folder/" + name, bytes: try bytes(name))
    }

    /// The parts of a fixture as (name, lines), or a test failure when it was not extracted.
    static func parts(_ name: String, with extractor: DocumentExtractor = extractor) throws -> [Part] {
        let outcome = try extract(name, with: extractor)
        guard case .parts(let parts) = outcome else {
            Issue.record("\(name): \(outcome)")
            return []
        }
        return parts.map { Part(name: $0.name, text: String(decoding: $0.bytes, as: UTF8.self), skippedReason: $0.skippedReason) }
    }

    static func failure(_ name: String, with extractor: DocumentExtractor = extractor) throws -> String? {
        guard case .failed(let reason) = try extract(name, with: extractor) else { return nil }
        return reason
    }

    struct Part: Equatable, CustomStringConvertible {
        let name: String?
        let text: String
        var skippedReason: String? = nil
        var bytes: [UInt8] { Array(text.utf8) }
        var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        var description: String { "\(name ?? "nil"): \(text.debugDescription)" }
    }
}

private func part(_ parts: [Documents.Part], _ name: String) -> Documents.Part? {
    parts.first { $0.name == name }
}

@Suite("Document extraction: plain files and formats")
struct ExtractPlainTests {
    @Test func plainFormatsAreOnePartWithTheBytesUnchanged() throws {
        for name in ["memo.txt", "notes.md", "people.csv", "config.json", "deploy.sh", "invalid-utf8.txt"] {
            let outcome = try Documents.extract(name)
            guard case .parts(let parts) = outcome else {
                Issue.record("\(name): \(outcome)")
                continue
            }
            #expect(parts == [ExtractedPart(name: nil, bytes: try Documents.bytes(name))], "\(name)")
        }
    }

    @Test func formatsAreChosenByExtensionIgnoringCase() throws {
        let extractor = Documents.extractor
        let text = Array("hello".utf8)
        #expect(extractor.format(path: "a/REPORT.DOCX", bytes: text) == .docx)
        #expect(extractor.format(path: "deck.pptx", bytes: text) == .pptx)
        #expect(extractor.format(path: "b.Xlsx", bytes: text) == .xlsx)
        #expect(extractor.format(path: "m.eml", bytes: text) == .eml)
        #expect(extractor.format(path: "p.htm", bytes: text) == .html)
        #expect(extractor.format(path: "p.pdf", bytes: text) == .pdf)
        #expect(extractor.format(path: "README.md", bytes: text) == .markdown)
        #expect(extractor.format(path: "x.csv", bytes: text) == .csv)
        #expect(extractor.format(path: "x.json", bytes: text) == .json)
        #expect(extractor.format(path: "x.txt", bytes: [0, 1]) == .text)
        #expect(extractor.format(path: "config.yaml", bytes: text) == .text)
        #expect(extractor.format(path: ".env", bytes: text) == .text)
        #expect(extractor.format(path: "Makefile", bytes: text) == .text)
        #expect(extractor.format(path: "image.bin", bytes: try Documents.bytes("image.bin")) == nil)
        #expect(extractor.format(path: "old.doc", bytes: text) == nil)
    }

    @Test func binaryFilesWithUnknownExtensionsAreSkipped() throws {
        guard case .skipped(let reason) = try Documents.extract("image.bin") else { Issue.record("not skipped"); return }
        #expect(reason == "binary file")
        // The NUL byte must be in the first 8 KiB.
        let late = [UInt8](repeating: 0x41, count: 8192) + [0]
        guard case .parts = Documents.extractor.extract(path: "data", bytes: late) else { Issue.record("skipped"); return }
    }

    @Test func legacyOfficeFilesAreSkippedByName() throws {
        guard case .skipped(let reason) = try Documents.extract("legacy.doc") else { Issue.record("not skipped"); return }
        #expect(reason == "unsupported format: .doc")
    }

    @Test func utf16TextWithAByteOrderMarkBecomesUTF8() throws {
        let parts = try Documents.parts("windows.txt")
        #expect(parts == [Documents.Part(name: nil, text: "Unicode notes: \(Documents.secret)\r\n")])
    }
}

@Suite("Document extraction: Office Open XML")
struct ExtractOfficeTests {
    @Test func docxPartsAndLines() throws {
        let parts = try Documents.parts("report.docx")
        #expect(parts.map(\.name) == ["document", "header1", "footer1", "footnotes", "comments"])
        #expect(part(parts, "document")?.lines == [
            "Board memo",
            "Terms & conditions apply",  // entities decoded; a tab stop definition is not a tab
            "See the intranet page for details.",  // hyperlink text kept
            "Name\tRole",  // a tab in a run
            "Region\tOwner",  // a table: one line per row, cells separated by tabs
            "North\tAna Bo",  // paragraphs of a cell joined by a space
            "Budget was cut kept.",  // tracked deletions are still in the file
            "Text box line",  // a text box (once: its fallback copy is skipped), before its paragraph
            "Box: ",
            "",
            "Café €5 — done",
        ])
        #expect(part(parts, "header1")?.text == Documents.secret)
        #expect(part(parts, "footer1")?.text == "Page footer")
        #expect(part(parts, "footnotes")?.lines == ["", "A footnote."])
        #expect(part(parts, "comments")?.text == "Check the figure.")
    }

    @Test func pptxSlidesInNumericOrderWithTheirNotes() throws {
        let parts = try Documents.parts("deck.pptx")
        #expect(parts.map(\.name) == ["slide 1", "slide 2", "slide 2 notes", "slide 10"])
        #expect(part(parts, "slide 1")?.lines == ["Roadmap 2025", "Second line"])
        #expect(part(parts, "slide 2")?.lines == ["Figures", "Q1\t12"])
        #expect(part(parts, "slide 2 notes")?.text == "Speaker: \(Documents.secret)")
        #expect(part(parts, "slide 10")?.text == "Thanks")
    }

    @Test func xlsxSheetsByWorkbookNameOneLinePerRow() throws {
        let parts = try Documents.parts("budget.xlsx")
        #expect(parts.map(\.name) == ["sheet Budget", "sheet Staff & ids"])
        // Line N is row N; cells by column (C2 is empty); rich text runs joined, phonetic guides dropped;
        // numbers and booleans as stored; the cached value of a formula.
        #expect(part(parts, "sheet Budget")?.lines == ["Item\tCost", "Rich text\t1250.5\t\tTRUE", "", "Total\t1250.5"])
        #expect(part(parts, "sheet Staff & ids")?.lines == ["Name", Documents.secret])
    }

    @Test func embeddedDocumentsAreExtractedLikeAttachments() throws {
        let parts = try Documents.parts("embedded.docx")
        // The embedded workbook's sheets follow the memo; the legacy OLE object is binary: listed
        // as skipped, with no text.
        #expect(parts.map(\.name) == [
            "document",
            "embedded Microsoft_Excel_Worksheet.xlsx › sheet Budget",
            "embedded Microsoft_Excel_Worksheet.xlsx › sheet Staff & ids",
            "embedded oleObject1.bin",
        ])
        #expect(part(parts, "embedded Microsoft_Excel_Worksheet.xlsx › sheet Staff & ids")?.lines == ["Name", Documents.secret])
        #expect(parts.last?.skippedReason == "binary file")
        #expect(parts.last?.bytes.isEmpty == true)
    }

    @Test func aFindingsLineNumberPointsAtTheParagraph() throws {
        let parts = try Documents.parts("report.docx")
        let document = try #require(part(parts, "document"))
        let result = Fixtures.bundledClassifier.classify(bytes: Array(document.text.utf8))
        #expect(result.findings.isEmpty)
        let header = try #require(part(parts, "header1"))
        let finding = try #require(Fixtures.bundledClassifier.classify(bytes: Array(header.text.utf8)).findings.first)
        #expect(finding.ruleID == "identifier.employee-id")
        #expect((finding.line, finding.column) == (1, 6))
    }
}

@Suite("Document extraction: mail")
struct ExtractMailTests {
    @Test func emlHeadersBodiesAndAnAttachedDocx() throws {
        let parts = try Documents.parts("mail.eml")
        #expect(parts.map(\.name) == [
            "headers", "body", "body (html)",
            "attachment report.docx › document", "attachment report.docx › header1",
            "attachment report.docx › footer1", "attachment report.docx › footnotes",
            "attachment report.docx › comments", "attachment logo.png",
        ])  // the PNG carries no text: listed as skipped
        #expect(part(parts, "attachment logo.png")?.skippedReason == "binary file")
        #expect(part(parts, "headers")?.lines == [
            "Subject: Réunion budget — 2025",  // =?utf-8?b?…?=
            "From: Renée Dupont <renee@example.com>",  // =?iso-8859-1?q?…?=
            "To: Team <team@example.com>, Board <board@example.com>",  // folded
            "Cc: ana@example.com",
        ])
        // Quoted-printable with a soft line break, UTF-8.
        #expect(part(parts, "body")?.lines == [
            "Hello team,",
            "Café at 10. A long line that quoted-printable has to wrap with a soft line break because it is long.",
        ])
        // Base64 HTML, converted to text with its comment.
        #expect(part(parts, "body (html)")?.lines == ["Hello team,", "Café at 10.", "internal: \(Documents.secret)"])
        #expect(part(parts, "attachment report.docx › header1")?.text == Documents.secret)
    }

    @Test func latin1AndWindows1252AreDecoded() throws {
        let parts = try Documents.parts("latin1.eml")
        #expect(parts == [
            Documents.Part(name: "headers", text: "Subject: Coût €é\nFrom: ana@example.com"),
            Documents.Part(name: "body", text: "Déjà vu: the cost is 5 €\nSecond line\n"),
        ])
    }

    @Test func aForwardedMessageIsAnAttachmentWithItsOwnParts() throws {
        let parts = try Documents.parts("forward.eml")
        #expect(parts.map(\.name) == [
            "headers", "body", "attachment message.eml › headers", "attachment message.eml › body",
            "attachment message.eml › attachment ids.txt",
        ])
        // The line break before a MIME delimiter belongs to the delimiter.
        #expect(part(parts, "attachment message.eml › attachment ids.txt")?.text == Documents.secret)
    }

    @Test func textThatIsNotAHeaderStartsTheBody() {
        let mail = "From a@b Mon Jan  6 09:00:00 2025\nSubject: hi\nnot a header line\nsecond line\n\nafter a blank line"
        guard case .parts(let parts) = Documents.extractor.extract(path: "m.eml", bytes: Array(mail.utf8)) else {
            Issue.record("not extracted")
            return
        }
        #expect(parts == [
            ExtractedPart(name: "headers", bytes: Array("Subject: hi".utf8)),
            ExtractedPart(name: "body", bytes: Array("not a header line\nsecond line\n\nafter a blank line".utf8)),
        ])
    }

    @Test func aBrokenAttachmentFailsTheMessage() throws {
        let reason = try #require(try Documents.failure("forward-broken.eml"))
        #expect(reason.hasPrefix("attachment broken.docx: not a ZIP container"))
    }

    @Test func quotedPrintable() {
        let decoded = MIMEDecoding.quotedPrintable(Array("a=3Db=\r\nc=C3=A9 =\n=XYz=".utf8))
        #expect(String(decoding: decoded, as: UTF8.self) == "a=bcé =XYz")
        #expect(MIMEDecoding.quotedPrintable(Array("a_b=5F".utf8), header: true) == Array("a b_".utf8))
    }

    @Test func base64SkipsLineBreaksAndStopsAtPadding() {
        #expect(MIMEDecoding.base64(Array("TVQ0\r\nODI5\nMTM=\r\nignored".utf8)) == Array("MT482913".utf8))
    }

    @Test func encodedWords() {
        #expect(MIMEDecoding.decodeEncodedWords("=?UTF-8?B?w6k=?= =?utf-8?q?t=C3=A9?= x =?bogus") == "été x =?bogus")
        #expect(MIMEDecoding.decodeEncodedWords("Re: =?ISO-8859-1?Q?caf=E9?=!") == "Re: café!")
    }

    @Test func extendedParameters() {
        let value = HeaderValue("attachment; filename*0*=UTF-8''r%C3%A9; filename*1=\"sum\\\"e.docx\"; size=3")
        #expect(value.value == "attachment")
        #expect(value.parameters["filename"] == "résum\"e.docx")
        #expect(HeaderValue("text/plain; name=\"=?utf-8?B?w6kudHh0?=\"").parameters["name"] == "é.txt")
    }

    @Test func charsets() {
        #expect(Charset.decode([0x80, 0xE9, 0x9D], charset: "iso-8859-1") == "€é\u{9D}")
        #expect(Charset.decode([0xB1], charset: "ISO-8859-2") == "ą")
        #expect(Charset.decode([0xC3, 0xA9], charset: "\"UTF-8\"") == "é")
        #expect(Charset.decode([0xE9], charset: "utf-8") == "é")  // mislabelled: read as Windows-1252
    }
}

@Suite("Document extraction: HTML and PDF")
struct ExtractWebAndPDFTests {
    @Test func htmlVisibleTextThenWhatItHides() throws {
        let parts = try Documents.parts("page.html")
        #expect(parts.map(\.name) == ["text"])
        #expect(parts.first?.lines == [
            "Quarterly & plans",
            "Internal roadmap",  // <meta content>
            "var owner = \"MT482913\"; // \(Documents.secret)",  // <script>; <style> is left out
            "Roadmap",
            "We will launch the plan soon.",  // white space collapsed
            "https://intranet.example.com/kestrel",  // the link target, after its line
            Documents.secret,  // the comment
            "Café é€ \u{A0}<ok> &unknown; AT&T",
            "Region\tOwner",
            "North\tAna",
            "One",
            "Two",
            "Three",
            "kept   as",
            "is",
            "logo.png",
            "Company logo",
        ])
    }

    @Test func htmlEntities() {
        #expect(HTMLEntities.decode("&lt;&#65;&#x42;&#X43;&amp&copy;&yuml;&Agrave;&#150;&#0;&bogus;")
            == "<ABC&©ÿÀ–\u{FFFD}&bogus;")
        #expect(HTMLEntities.named.count > 150)
    }

    @Test func pdfPagesThroughPdftotextWhenInstalled() throws {
        let installed = PDFText.findExecutable("pdftotext") != nil
        let outcome = try Documents.extract("report.pdf")
        switch outcome {
        case .parts(let parts):
            #expect(installed)
            #expect(parts.map(\.name) == ["page 1", "page 2"])
            #expect(parts.map { String(decoding: $0.bytes, as: UTF8.self) } == ["First page\n", Documents.secret + "\n"])
        case .skipped(let reason):
            #expect(!installed)
            #expect(reason == "pdftotext is not installed (apt-get install poppler-utils)")
        case .failed(let reason):
            Issue.record("failed: \(reason)")
        }
    }

    @Test func aDamagedPDFFailsWhenPdftotextIsInstalled() throws {
        let outcome = try Documents.extract("corrupt.pdf")
        if PDFText.findExecutable("pdftotext") != nil {
            guard case .failed(let reason) = outcome else { Issue.record("\(outcome)"); return }
            #expect(reason.hasPrefix("pdftotext: cannot open the PDF"))
        } else {
            guard case .skipped = outcome else { Issue.record("\(outcome)"); return }
        }
    }

    @Test func aMissingPdftotextSkipsPDFs() throws {
        let extractor = DocumentExtractor(pdftotext: "/nonexistent/pdftotext")
        #expect(extractor.pdftotextPath == nil)
        guard case .skipped(let reason) = try Documents.extract("report.pdf", with: extractor) else {
            Issue.record("not skipped")
            return
        }
        #expect(reason == "pdftotext not found at /nonexistent/pdftotext")
        #expect(PDFText.findExecutable("pdftotext", path: "/nonexistent") == nil)
    }
}

@Suite("Document extraction: damaged and hostile documents")
struct ExtractFailureTests {
    @Test func corruptContainersFailWithTheirReason() throws {
        let hint = "; is the file damaged, encrypted or in a legacy format?"
        #expect(try Documents.failure("not-a-zip.docx") == "not a ZIP container (no ZIP signature at the start)" + hint)
        #expect(try Documents.failure("truncated.docx")
            == "not a ZIP container (no end of central directory record; the file may be truncated)" + hint)
        #expect(Documents.extractor.extract(path: "x.xlsx", bytes: []).failureReason == "not a ZIP container (too short)" + hint)
        #expect(try Documents.failure("no-document.docx") == "not a Word document: word/document.xml is missing")
        #expect(try Documents.failure("malformed.docx") == "malformed XML in word/document.xml at line 2: </w:r> closes <w:t>")
        #expect(try Documents.failure("dtd.docx")
            == "malformed XML in word/document.xml at line 1: a DTD or declaration (<!…>) is not allowed in Office Open XML")
    }

    @Test func aTruncatedDeflateStreamFailsInsteadOfHanging() throws {
        let reason = try #require(try Documents.failure("truncated-deflate.docx"))
        #expect(reason.hasPrefix("corrupt ZIP entry word/document.xml: "))
    }

    @Test func aZipBombFailsNamingThePart() throws {
        var limits = ExtractionLimits.standard
        limits.maxExpandedBytes = 1 << 20
        let small = DocumentExtractor(limits: limits)
        #expect(try Documents.failure("bomb.docx", with: small)
            == "word/document.xml expands the document past the limit of 1048576 bytes (a ZIP bomb?)")
        // Within the standard limits it is just a large document.
        #expect(try Documents.parts("bomb.docx").map(\.name) == ["document"])
    }

    @Test func theExpansionBudgetCoversAttachments() throws {
        var limits = ExtractionLimits.standard
        limits.maxExpandedBytes = 1000
        let reason = try #require(try Documents.failure("mail.eml", with: DocumentExtractor(limits: limits)))
        #expect(reason.hasPrefix("attachment report.docx: word/"))
        #expect(reason.hasSuffix("past the limit of 1000 bytes (a ZIP bomb?)"))
    }

    @Test func tooManyEntriesFail() throws {
        var limits = ExtractionLimits.standard
        limits.maxEntries = 3
        #expect(try Documents.failure("report.docx", with: DocumentExtractor(limits: limits))
            == "the ZIP container declares 6 entries, more than the limit of 3")
    }

    @Test func nestingIsLimited() throws {
        var limits = ExtractionLimits.standard
        limits.maxNestingDepth = 1
        let reason = try #require(try Documents.failure("forward.eml", with: DocumentExtractor(limits: limits)))
        #expect(reason == "attachment message.eml is nested deeper than the limit of 1 levels")
    }

    @Test func damagedContainersFailAndNeverCrash() throws {
        // Every 7th prefix and a byte changed at every 3rd position of a small deck: each gives an outcome
        // (never a trap or a hang), and a cut one always fails.
        let original = try Documents.bytes("deck.pptx")
        for length in stride(from: 0, to: original.count, by: 7) {
            let outcome = Documents.extractor.extract(path: "d.pptx", bytes: Array(original.prefix(length)))
            #expect(outcome.failureReason != nil, "prefix of \(length) bytes")
        }
        var failures = 0
        for position in stride(from: 0, to: original.count, by: 3) {
            var damaged = original
            damaged[position] ^= 0x5A
            if Documents.extractor.extract(path: "d.pptx", bytes: damaged).failureReason != nil { failures += 1 }
        }
        #expect(failures > original.count / 6)
    }
}

extension ExtractionOutcome {
    var failureReason: String? {
        guard case .failed(let reason) = self else { return nil }
        return reason
    }
}
