import Foundation
@testable import HierosScan
import Testing

@Suite("Globs and ignore files")
struct GlobTests {
    @Test(arguments: [
        ("*.log", false, "a/b/c.log", true),
        ("*.log", false, "c.txt", false),
        ("build", false, "x/build/out.txt", true),
        ("/build", true, "x/build/out.txt", false),
        ("docs/**/*.md", true, "docs/a/b/c.md", true),
        ("docs/**/*.md", true, "docs/c.md", true),
        ("**/secret?.txt", true, "a/secret1.txt", true),
        ("[ab].txt", false, "c.txt", false),
    ])
    func globs(_ glob: String, _ anchored: Bool, _ path: String, _ expected: Bool) throws {
        let compiled = try #require(Glob(glob, anchored: anchored))
        #expect(compiled.matches(path) == expected)
    }

    @Test func negationAndDirectoryOnlyRules() {
        let ignore = IgnoreFile(contents: "# comment\n*.log\n!keep.log\nout/\n")
        #expect(ignore.verdict(for: "a.log", isDirectory: false) == true)
        #expect(ignore.verdict(for: "keep.log", isDirectory: false) == false)
        #expect(ignore.verdict(for: "out", isDirectory: true) == true)
        #expect(ignore.verdict(for: "out", isDirectory: false) == nil)
        #expect(ignore.verdict(for: "src/main.swift", isDirectory: false) == nil)
    }

    @Test func addedLinesComeFromHunkHeaders() {
        let diff = Array("diff --git a/x b/x\n@@ -1,0 +2,3 @@\n+a\n@@ -10 +14 @@\n-b\n+c\n@@ -20,2 +22,0 @@\n".utf8)
        #expect(Git.addedLines(inDiff: diff) == [2, 3, 4, 14])
    }

    @Test func inlineSuppressionsNeedTheRuleAndAReason() {
        let lines: [Substring] = ["x = 1  # hieros:allow identifier.employee-id test fixture", "MT482913", "// hieros:allow other.rule why"]
        #expect(InlineSuppression.reason(for: "identifier.employee-id", line: 2, lines: lines) == "test fixture")
        #expect(InlineSuppression.reason(for: "identifier.employee-id", line: 1, lines: lines) == "test fixture")
        #expect(InlineSuppression.reason(for: "other.rule", line: 2, lines: lines) == nil)
        #expect(InlineSuppression.reason(for: "identifier.employee-id", line: 2, lines: ["hieros:allow identifier.employee-id", "MT482913"]) == nil)
    }

    /// The byte form looks on the finding's line and the line before, wherever the marker
    /// sits in them, and nowhere else.
    @Test func inlineSuppressionsAreFoundInTheBytesAroundAFinding() {
        let id = "identifier.employee-id"
        func reason(_ text: String, at needle: String) -> String? {
            let bytes = Array(text.utf8)
            let start = text.utf8.count - text.components(separatedBy: needle).dropFirst().joined(separator: needle).utf8.count - needle.utf8.count
            return InlineSuppression.reason(for: id, at: start..<(start + needle.utf8.count), in: bytes)
        }
        #expect(reason("hieros:allow \(id) fixture\nMT482913", at: "MT482913") == "fixture")
        #expect(reason("MT482913 // hieros:allow \(id) fixture", at: "MT482913") == "fixture")
        #expect(reason("a\nb MT482913\t# hieros:allow \(id) same line\nc", at: "MT482913") == "same line")
        #expect(reason("hieros:allow \(id) too far\n\nMT482913", at: "MT482913") == nil)
        #expect(reason("MT482913\nhieros:allow \(id) the line after", at: "MT482913") == nil)
        #expect(reason("hieros:allo \(id) cut marker\nMT482913", at: "MT482913") == nil)
    }
}

/// The scan and the git gate, run through the built binary in scratch folders and repositories.
@Suite("hieros scan", .serialized)
struct ScanCommandTests {
    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    static func git(_ arguments: [String], in folder: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"] + arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = CLITests.binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["GIT_AUTHOR_NAME"] = "Test"; env["GIT_AUTHOR_EMAIL"] = "test@example.com"
        env["GIT_COMMITTER_NAME"] = "Test"; env["GIT_COMMITTER_EMAIL"] = "test@example.com"
        process.environment = env
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func treeWithEveryKindOfFileIsFullyAccountedFor() throws {
        let folder = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.write("Ping MT482913 on Hive\n", to: folder.appendingPathComponent("notes/ping.txt"))
        try Self.write("All good here.\n", to: folder.appendingPathComponent("notes/clean.md"))
        try Self.write("ignored.txt\n", to: folder.appendingPathComponent(".gitignore"))
        try Self.write("Project Kestrel\n", to: folder.appendingPathComponent("ignored.txt"))
        try Data([0x00, 0x01, 0x02, 0xFF]).write(to: folder.appendingPathComponent("blob.bin"))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("notes/loop").path, withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("unreadable.txt").path,
                                                   withDestinationPath: "/proc/self/mem")
        let run = try CLITests.run(["scan", "--format", "json", folder.path])
        #expect(run.status == 2)  // the unreadable file: fail closed
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let documents = try #require(object["documents"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        let issues = try #require(object["issues"] as? [[String: Any]])
        let prefix = folder.path + "/"
        #expect(documents.map { $0.replacingOccurrences(of: prefix, with: "") }.sorted()
                == [".gitignore", "notes/clean.md", "notes/ping.txt"])
        let issuePaths = issues.compactMap { ($0["path"] as? String)?.replacingOccurrences(of: prefix, with: "") }
        #expect(issuePaths.sorted() == ["blob.bin", "notes/loop", "unreadable.txt"])
        #expect(!run.stdout.contains("MT482913"))
    }

    @Test func hookRefusesASecretAndPassesACleanCommit() throws {
        let repo = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: repo) }
        #expect(try Self.git(["init", "-q"], in: repo) == 0)
        let install = try CLITests.run(["hook", "install"], directory: repo)
        #expect(install.status == 0)
        #expect(install.stdout.contains("installed pre-commit hook"))
        let again = try CLITests.run(["hook", "install"], directory: repo)
        #expect(again.status == 0)  // our own hook may be rewritten

        try Self.write("Kick-off of Project Kestrel on Monday\n", to: repo.appendingPathComponent("plan.txt"))
        #expect(try Self.git(["add", "plan.txt"], in: repo) == 0)
        let gate = try CLITests.run(["scan", "--staged"], directory: repo)
        #expect(gate.status == 1)
        #expect(gate.stdout.contains("codename.prefix-form"))
        #expect(!gate.stdout.contains("Kestrel"))
        #expect(try Self.git(["commit", "-q", "-m", "plan"], in: repo) != 0)

        try Self.write("Kick-off on Monday\n", to: repo.appendingPathComponent("plan.txt"))
        #expect(try Self.git(["add", "plan.txt"], in: repo) == 0)
        #expect(try Self.git(["commit", "-q", "-m", "plan"], in: repo) == 0)

        let uninstall = try CLITests.run(["hook", "uninstall"], directory: repo)
        #expect(uninstall.stdout.contains("removed pre-commit hook"))
    }

    @Test func foreignHooksAreNotReplacedWithoutForce() throws {
        let repo = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: repo) }
        #expect(try Self.git(["init", "-q"], in: repo) == 0)
        try Self.write("#!/bin/sh\nexit 0\n", to: repo.appendingPathComponent(".git/hooks/pre-commit"))
        let refused = try CLITests.run(["hook", "install"], directory: repo)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("was not written by Hieros; use --force"))
        #expect(try CLITests.run(["hook", "install", "--force"], directory: repo).status == 0)
    }

    @Test func stagedScanOnlyLooksAtAddedLinesAndHonoursInlineAllows() throws {
        let repo = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: repo) }
        #expect(try Self.git(["init", "-q"], in: repo) == 0)
        try Self.write("owner MT482913\n", to: repo.appendingPathComponent("a.txt"))
        #expect(try Self.git(["add", "a.txt"], in: repo) == 0)
        #expect(try Self.git(["commit", "-q", "--no-verify", "-m", "old"], in: repo) == 0)
        try Self.write("owner MT482913\nnew line\n", to: repo.appendingPathComponent("a.txt"))
        #expect(try Self.git(["add", "a.txt"], in: repo) == 0)
        #expect(try CLITests.run(["scan", "--staged"], directory: repo).status == 0)
        #expect(try CLITests.run(["scan", "--staged", "--all-lines"], directory: repo).status == 1)
        try Self.write("owner MT482913\nnew line\nreviewer MT111111 # hieros:allow identifier.employee-id public test account\n",
                       to: repo.appendingPathComponent("a.txt"))
        #expect(try Self.git(["add", "a.txt"], in: repo) == 0)
        let allowed = try CLITests.run(["scan", "--staged"], directory: repo)
        #expect(allowed.status == 0)
        #expect(allowed.stdout.contains("public test account"))
    }

    @Test func baselinesSurviveMovesButNotNewSecrets() throws {
        let folder = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("team.txt")
        let baseline = folder.appendingPathComponent("hieros-baseline.jsonl").path
        try Self.write("Lead: MT482913 (ops)\n", to: file)
        #expect(try CLITests.run(["scan", "--write-baseline", baseline, file.path]).status == 0)
        #expect(try CLITests.run(["scan", "--baseline", baseline, file.path]).status == 0)
        try Self.write("Team list\n\n\nLead: MT482913 (ops)\n", to: file)  // moved down: still accepted
        #expect(try CLITests.run(["scan", "--baseline", baseline, file.path]).status == 0)
        try Self.write("Team list\n\n\nLead: MT482914 (ops)\n", to: file)  // another id on the same line: reported
        #expect(try CLITests.run(["scan", "--baseline", baseline, file.path]).status == 1)
        var entry = try String(contentsOfFile: baseline, encoding: .utf8)
        entry = entry.replacingOccurrences(of: "}\n", with: ",\"expires\":\"2001-01-01\"}\n")
        try entry.write(toFile: baseline, atomically: true, encoding: .utf8)
        try Self.write("Lead: MT482913 (ops)\n", to: file)
        let expired = try CLITests.run(["scan", "--baseline", baseline, "--format", "json", file.path])
        #expect(expired.status == 1)
        #expect(expired.stdout.contains("expired 2001-01-01"))
    }

    @Test func redactAndSuggestMaskWhatMustGo() throws {
        let redacted = try CLITests.run(["redact", "--max-level", "public"], input: "Réunion du chantier Heron — MT482913 ok\n")
        #expect(redacted.status == 0)
        #expect(redacted.stdout == "Réunion du ████████ █████ — ████████ ok\n")
        let check = try CLITests.run(["check", "--channel", "linkedin", "--suggest"], input: "Great turnout at the Kestrel deal town hall")
        #expect(check.status == 1)
        #expect(check.stdout.hasSuffix("suggested version:\nGreat turnout at the ███████ ████ town hall\n"))
    }
}

@Suite("Large files in pieces")
struct LargeFileTests {
    /// A file cut into many small pieces gives exactly the findings of classifying it whole,
    /// including matches and evidence windows across piece boundaries and distinct counts
    /// spread over pieces.
    @Test func piecesGiveTheSameFindingsAsTheWholeText() throws {
        var text = ""
        var counter = 0
        while text.utf8.count < 300_000 {
            counter += 1
            text += "Line \(counter) of the notes, nothing to see here at all. "
            if counter % 97 == 0 { text += "Draft notes say revenue of 12 bn for the quarter. " }
            if counter % 131 == 0 { text += "ask EM\(1000 + counter % 9000) and AC-\(String(format: "%04d", counter % 7)) " }
            text += counter % 5 == 0 ? "\n" : ""
        }
        let folder = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("big.txt")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let scanner = DocumentScanner(classifier: Fixtures.testClassifier, maxBytes: 1 << 30, baseline: nil, today: "2026-01-01")
        var pieces = LargeFileScanner(scanner: scanner)
        pieces.pieceBytes = 16 << 10
        pieces.overlap = 2 << 10
        let size = text.utf8.count
        let document = try pieces.scan(FileTask(path: file.path, displayPath: "big.txt"), size: size).get()
        let whole = Fixtures.testClassifier.classify(text).findings
        #expect(document.findings.count == whole.count)
        #expect(document.findings.map(\.finding) == whole)
        #expect(whole.contains { $0.ruleID == "customers.bulk" })
        #expect(whole.contains { $0.ruleID == "finance.draft-figure" })
    }

    /// Pieces are never larger than asked, and come in a number every worker gets the same
    /// share of, so that no worker scans the last piece while the others wait.
    @Test(arguments: [1, 2, 3, 8])
    func piecesShareEvenlyAmongWorkers(workers: Int) {
        for size in [16 << 20, (16 << 20) + 1, 25 << 20, 200 << 20, (2_000 << 20) + 12_345] {
            let stretch = LargeFileScanner.stretch(size: size, pieceBytes: 4 << 20, workers: workers)
            let count = (size + stretch - 1) / stretch
            #expect(stretch <= 4 << 20, "size \(size)")
            #expect(count % workers == 0, "size \(size): \(count) pieces")
            #expect(count < (size + (4 << 20) - 1) / (4 << 20) + workers, "size \(size): \(count) pieces")
        }
    }
}

@Suite("Scanning documents")
struct DocumentScanTests {
    /// Every fixture document is either scanned or reported, down to the attachment that was
    /// not read; findings inside documents name their part.
    @Test func everyDocumentAndPartIsAccountedFor() throws {
        let folder = Fixtures.path("documents")
        let run = try CLITests.run(["scan", "--format", "json", folder])
        #expect(run.status == 2)  // corrupt documents fail closed
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let documents = try #require(object["documents"] as? [[String: Any]])
        let issues = try #require(object["issues"] as? [[String: Any]])
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }
        let seen = Set((documents.compactMap { $0["path"] as? String } + issues.compactMap { $0["path"] as? String })
            .map { URL(fileURLWithPath: $0.components(separatedBy: " › ")[0]).lastPathComponent })
        #expect(seen == Set(onDisk))
        #expect(issues.contains { ($0["path"] as? String)?.hasSuffix("mail.eml › attachment logo.png") == true && $0["kind"] as? String == "skipped" })
        let deck = try #require(documents.first { ($0["path"] as? String)?.hasSuffix("deck.pptx") == true })
        let parts = (deck["findings"] as? [[String: Any]])?.compactMap { $0["part"] as? String } ?? []
        #expect(!parts.isEmpty && parts.allSatisfy { $0.hasPrefix("slide ") })
    }
}

@Suite("SARIF of a real scan")
struct ScanSARIFTests {
    /// `hieros scan corpora --format sarif` validates against the official SARIF 2.1.0 schema.
    @Test(.enabled(if: ScanReporterTests.SARIFSchema.problem == nil, "\(ScanReporterTests.SARIFSchema.problem ?? "")"))
    func corporaScanValidates() throws {
        let run = try CLITests.run(["scan", "--format", "sarif", "corpora"])
        #expect(run.status == 1)  // the corpora hold findings above public
        let script = """
            import json,sys,jsonschema
            schema=json.load(open(sys.argv[1])); log=json.load(open(sys.argv[2]))
            cls=jsonschema.validators.validator_for(schema)
            errors=list(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(log))
            print(len(errors), 'errors', len(log['runs'][0]['results']), 'results')
            """
        let output = try ScanReporterTests.Python.run(script, arguments: [try #require(ScanReporterTests.SARIFSchema.path)], files: [run.stdout])
        #expect(output.hasPrefix("0 errors"), "\(output)")
        #expect(!output.hasSuffix(" 0 results\n"))
    }
}
