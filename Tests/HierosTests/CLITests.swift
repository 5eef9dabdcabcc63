import Foundation
import Testing

/// Runs the built `hieros` binary and checks output and exit status: the CLI is a contract.
@Suite("hieros command line", .serialized)
struct CLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let binary: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hieros"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("hieros"),
            Fixtures.packageRoot.appendingPathComponent(".build/debug/hieros"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }()

    static let cacheDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("hieros-cache-\(UUID().uuidString)")

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hieros-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @discardableResult
    static func run(_ arguments: [String], stdin: Data = Data(), environment: [String: String] = [:],
                    directory: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["HIEROS_NO_CACHE"] = nil
        // The tests' own compiled-policy cache: after the first run of each set, runs read it.
        env["HIEROS_CACHE_DIR"] = cacheDirectory.path
        env.merge(environment) { $1 }
        process.environment = env
        process.currentDirectoryURL = directory ?? Fixtures.packageRoot
        // Files rather than pipes: no deadlock however much the binary writes.
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let paths = ["in", "out", "err"].map { folder.appendingPathComponent($0) }
        try stdin.write(to: paths[0])
        for path in paths.dropFirst() { _ = FileManager.default.createFile(atPath: path.path, contents: nil) }  // FileHandle below fails if not
        let handles = try [FileHandle(forReadingFrom: paths[0]), FileHandle(forWritingTo: paths[1]),
                           FileHandle(forWritingTo: paths[2])]
        defer { for handle in handles { try? handle.close() } }
        process.standardInput = handles[0]
        process.standardOutput = handles[1]
        process.standardError = handles[2]
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: paths[1]), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: paths[2]), as: UTF8.self))
    }

    static func run(_ arguments: [String], input: String) throws -> Run {
        try run(arguments, stdin: Data(input.utf8))
    }

    let testSet = ["--policies", Fixtures.path("policies/test-set.yaml")]

    // MARK: check, the pre-publication gate

    @Test func codenameInSuffixFormIsBlockedOnLinkedIn() throws {
        let run = try Self.run(["check", "--channel", "linkedin"], input: "Great turnout at the Kestrel deal town hall")
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("BLOCK <stdin> on linkedin (max level public): item is strategic-secret\n"))
        #expect(run.stdout.contains("1:22  strategic-secret  codename.suffix-form"))
        let findingLine = try #require(run.stdout.split(separator: "\n").first { $0.contains("1:22") })
        #expect(findingLine.hasSuffix("\"Ke********al\""))
        #expect(!findingLine.contains("Kestrel"))
    }

    @Test func employeeIDIsAllowedOnHiveAndBlockedOnX() throws {
        let hive = try Self.run(["check", "--channel", "hive"], input: "Ping MT482913 on Hive")
        #expect(hive.status == 0)
        #expect(hive.stdout.hasPrefix("ALLOW <stdin> on hive (max level internal): item is internal"))
        let x = try Self.run(["check", "--channel", "x"], input: "Ping MT482913 on Hive")
        #expect(x.status == 1)
        #expect(x.stdout.contains("1:6  internal  "))
        #expect(x.stdout.contains("\"MT****13\""))
    }

    /// The plain forms of `check` skip swift-argument-parser (CheckFastPath); `--` sends the
    /// same check through it. Both must print the same and exit the same, for each outcome.
    @Test(arguments: [("text", "Ping MT482913 on Hive"), ("json", "ask EM1234 --suggest"), ("text", "all public")])
    func checkAnswersTheSameWhicheverParserReadItsArguments(_ format: String, _ input: String) throws {
        let options = ["check"] + testSet + ["--channel", "x", "--format", format, "--suggest"]
        let own = try Self.run(options + ["-"], input: input)
        let parsed = try Self.run(options + ["--", "-"], input: input)
        #expect(own.status == parsed.status)
        #expect(own.stdout == parsed.stdout)
        #expect(own.stderr == parsed.stderr)
        #expect(own.status != 2)
    }

    @Test func checkJSONIsTheDocumentedShape() throws {
        let run = try Self.run(["check"] + testSet + ["--channel", "site", "--format", "json"], input: "ask EM1234")
        #expect(run.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "block")
        #expect((object["channel"] as? [String: Any])?["id"] as? String == "web")
        let blocking = try #require(object["blocking"] as? [[String: Any]])
        #expect(blocking.first?["rule"] as? String == "id.employee")
        #expect(blocking.first?["start"] as? Int == 4)
        #expect(blocking.first?["excerpt"] as? String == "EM***34")
    }

    @Test func unknownChannelIsTheMostRestrictiveAndSaysSo() throws {
        let run = try Self.run(["check", "--channel", "tiktok"], input: "Ping MT482913")
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("note: unknown channel 'tiktok': treated as the most restrictive channel"))
    }

    @Test func invalidUTF8FailsClosedNamingThePlace() throws {
        let bytes = Data("Hello\nwor".utf8) + Data([0xFF, 0xFE]) + Data("ld".utf8)
        let run = try Self.run(["check", "--channel", "hive"], stdin: bytes)
        #expect(run.status == 2)
        #expect(run.stdout.contains("unverified: input is not valid UTF-8 at 2:4 (byte 9)"))
    }

    @Test func emptyInputIsPublicAndAllowed() throws {
        let run = try Self.run(["check", "--channel", "x"], input: "")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("ALLOW"))
        let classify = try Self.run(["classify"], input: "")
        #expect(classify.stdout == "<stdin>: public (no findings)\n")
    }

    @Test func unreadableInputIsAnError() throws {
        let run = try Self.run(["check", "--channel", "x", "/nonexistent/post.txt"])
        #expect(run.status == 2)
        #expect(run.stderr == "error: /nonexistent/post.txt: no such file\n")
    }

    @Test func inputOverTheLimitIsRefusedNotCut() throws {
        let run = try Self.run(["check", "--channel", "x", "--max-bytes", "100"], input: String(repeating: "a", count: 101))
        #expect(run.status == 2)
        #expect(run.stderr.contains("input is larger than the limit of 100 bytes"))
    }

    @Test func fiftyMegabyteInputIsClassified() throws {
        let folder = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("big.txt")
        let paragraph = "The quarterly town hall covered network roll-outs, customer care and our fibre plans.\n"
        var text = String(repeating: paragraph, count: 50_000_000 / paragraph.utf8.count)
        text += "Contact MT482913 for details.\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let run = try Self.run(["classify", "--format", "json", file.path])
        #expect(run.status == 0)
        #expect(run.stdout.contains("\"level\":\"internal\""))
    }

    // MARK: policies

    @Test func brokenPatternIsAPolicyErrorWithItsPlace() throws {
        let run = try Self.run(["classify", "--policies", Fixtures.path("invalid/invalid-pattern.yaml")], input: "x")
        #expect(run.status == 2)
        #expect(run.stderr.contains("invalid-pattern.yaml:7:14: a.rule: invalid pattern: missing closing parenthesis at pattern offset 12"))
        #expect(run.stdout.isEmpty)
    }

    @Test func policyValidateAndTestOnTheBundledSet() throws {
        let validate = try Self.run(["policy", "validate"])
        #expect(validate.status == 0)
        #expect(validate.stdout.hasPrefix("ok: "))
        let test = try Self.run(["policy", "test"])
        #expect(test.status == 0)
        #expect(test.stdout.hasSuffix("all passed\n"))
    }

    @Test func policyTestFailsOnAFailingExample() throws {
        let run = try Self.run(["policy", "test", "--policies", Fixtures.path("policies/failing-example.yaml")])
        #expect(run.status == 1)
        #expect(run.stdout.contains("failing-example.yaml:3:9: wrong.example: match example failed: rule did not fire"))
        #expect(run.stdout.contains("wrong.example: no_match example failed"))
        #expect(run.stdout.hasSuffix("2 examples of 1 rules: 2 failed\n"))
    }

    @Test func projectConfigurationSelectsPolicies() throws {
        let folder = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "version: 1\npolicies: [\(Fixtures.path("policies/test-set.yaml"))]\n"
            .write(to: folder.appendingPathComponent(".hieros.yaml"), atomically: true, encoding: .utf8)
        let nested = folder.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        let run = try Self.run(["classify"], stdin: Data("EM1234".utf8), directory: nested)
        #expect(run.stdout.contains("id.employee"))
    }

    @Test func pathologicalRuleMakesTheGateFailClosed() throws {
        let run = try Self.run(["check", "--channel", "x", "--policies", Fixtures.path("policies/pathological.yaml")],
                               input: String(repeating: "a", count: 60) + "!")
        #expect(run.status == 2)
        #expect(run.stdout.contains("unverified: rule redos.nested hit a PCRE2 resource limit"))
    }

    // MARK: classify --jsonl, the stream contract

    @Test func streamAnswersEveryLineInOrderAndEchoesIDs() throws {
        let input = """
            {"id": 7, "text": "ask EM1234", "channel": "web"}
            {"text": "plain"}
            not json
            {"id": {"a": [1, 2]}, "text": "TOP SECRET", "channel": "staff"}
            {"id": "x"}

            {"id": "é", "text": "EM1234", "channel": null}
            """
        let run = try Self.run(["classify", "--jsonl"] + testSet, input: input + "\n")
        #expect(run.status == 2)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines == [
            #"{"id":7,"level":"internal","verdict":"block","findings":[{"rule":"id.employee","level":"internal","tags":[],"start":4,"end":10,"line":1,"column":5,"excerpt":"EM***34","message":"Remove the employee id."}]}"#,
            #"{"id":null,"level":"public","findings":[]}"#,
            #"{"line":3,"error":"invalid JSON: expected a JSON object at column 1"}"#,
            #"{"id":{"a": [1, 2]},"level":"secret","verdict":"block","findings":[{"rule":"marking.secret","level":"secret","tags":["M1"],"start":0,"end":10,"line":1,"column":1,"excerpt":"TO******ET","message":"Remove the marking and the secret content."}]}"#,
            #"{"line":5,"error":"missing required key 'text'"}"#,
            #"{"line":6,"error":"invalid JSON: expected a JSON object at column 1"}"#,
            #"{"id":"é","level":"internal","findings":[{"rule":"id.employee","level":"internal","tags":[],"start":0,"end":6,"line":1,"column":1,"excerpt":"EM***34","message":"Remove the employee id."}]}"#,
        ])
    }

    /// JSON escapes decode to the text that is classified: offsets count its UTF-8 bytes, the
    /// column its scalars (a surrogate pair is one scalar of four bytes).
    @Test func streamDecodesEscapesBeforeClassifying() throws {
        let escaped = #"{"text": "caf\u00e9 \"q\" \ud83d\ude00\tEM1234"}"# + "\n"
        let invalid = Array(#"{"text": "a"#.utf8) + [0xFF] + Array("\"}\n".utf8)
        let run = try Self.run(["classify", "--jsonl"] + testSet, stdin: Data(escaped.utf8) + Data(invalid))
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""start":15,"end":21,"line":1,"column":12"#) == true, "\(lines)")
        #expect(lines.last?.hasPrefix(#"{"line":2,"error":"#) == true && lines.last?.contains("UTF-8") == true, "\(lines)")
    }

    /// Lines are classified in parallel batches: any number of threads gives the same lines,
    /// in input order, with the right line numbers in errors, long lines included.
    @Test func streamAnswersAreTheSameOnAnyNumberOfThreads() throws {
        var lines: [String] = []
        for index in 1...1_500 {
            switch index % 7 {
            case 0: lines.append("not json \(index)")
            case 3: lines.append(#"{"id": \#(index), "text": "\#(String(repeating: "long ", count: 300))"}"#)
            default: lines.append(#"{"id": \#(index), "text": "post \#(index) asks EM\#(1000 + index) about TOP SECRET plans", "channel": "web"}"#)
            }
        }
        let input = lines.joined(separator: "\n") + "\n"
        let one = try Self.run(["classify", "--jsonl", "--jobs", "1", "--max-bytes", "1000"] + testSet, input: input)
        let three = try Self.run(["classify", "--jsonl", "--jobs", "3", "--max-bytes", "1000"] + testSet, input: input)
        #expect(one.status == 2 && three.status == 2)
        #expect(one.stdout == three.stdout)
        let answers = three.stdout.split(separator: "\n").map(String.init)
        #expect(answers.count == 1_500)
        #expect(answers[699] == #"{"line":700,"error":"invalid JSON: expected a JSON object at column 1"}"#)
        #expect(answers[2] == #"{"line":3,"error":"line is longer than --max-bytes (1000 bytes)"}"#)
        #expect(answers[1_499].hasPrefix(#"{"id":1500,"level":"secret","verdict":"block""#))
    }

    /// A writer that sends one post and waits for its answer gets it without sending more.
    @Test func streamAnswersEachLineAsItArrives() throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["classify", "--jsonl"] + testSet
        var environment = ProcessInfo.processInfo.environment
        environment["HIEROS_CACHE_DIR"] = Self.cacheDirectory.path
        process.environment = environment
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Fails the test instead of hanging it if an answer waits for more input.
        let watchdog = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }
        for text in ["TOP SECRET", "plain"] {
            input.fileHandleForWriting.write(Data(#"{"text": "\#(text)"}"#.utf8 + [0x0A]))
            var answer = Data()
            while !answer.contains(0x0A) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                answer += chunk
            }
            #expect(String(decoding: answer, as: UTF8.self).hasPrefix(#"{"id":null,"level":"\#(text == "plain" ? "public" : "secret")""#))
        }
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func streamWithoutErrorsExitsZero() throws {
        let run = try Self.run(["classify", "--jsonl", "-"] + testSet, input: "{\"text\":\"TOP SECRET\"}\r\n{\"text\":\"ok\"}")
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").count == 2)
    }

    @Test func brokenPipeIsQuiet() throws {
        let line = #"{"text":"ask EM1234 about TOP SECRET things"}"#
        let script = "yes '\(line)' | head -n 200000 | '\(Self.binary.path)' classify --jsonl --policies '\(Fixtures.path("policies/test-set.yaml"))' | head -n 1"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(String(decoding: stdout, as: UTF8.self).hasPrefix(#"{"id":null,"level":"secret""#))
        #expect(stderr.isEmpty)
    }

    // MARK: eval, output and usage

    @Test func evalMeetsFloorsOnTheBundledCorpora() throws {
        let corpora = try FileManager.default.contentsOfDirectory(atPath: Fixtures.packageRoot.appendingPathComponent("corpora").path)
            .filter { $0.hasSuffix(".jsonl") }.sorted().map { "corpora/" + $0 }
        let run = try Self.run(["eval"] + EvalFloors.arguments + corpora)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("floors: ok"))
    }

    @Test func evalFailsAnImpossibleFloor() throws {
        let folder = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = folder.appendingPathComponent("c.jsonl")
        try #"{"id":"a","text":"plain","level":"internal"}"#.write(to: corpus, atomically: true, encoding: .utf8)
        let run = try Self.run(["eval"] + testSet + ["--min-recall", "internal=1", corpus.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("--min-recall internal=1.0: measured 0.0"))
        let malformed = try Self.run(["eval"] + testSet + ["--min-recall", "internal=2", corpus.path])
        #expect(malformed.status == 2)
    }

    @Test func colourOnlyWhenAskedOrOnATerminal() throws {
        let plain = try Self.run(["classify"] + testSet, input: "EM1234")
        #expect(!plain.stdout.contains("\u{1B}["))
        let forced = try Self.run(["classify", "--color", "always"] + testSet, input: "EM1234")
        #expect(forced.stdout.contains("\u{1B}["))
    }

    /// The compiled-policy cache: one entry per set, the same answers from it, a changed policy
    /// file is a new entry (never a stale one), and HIEROS_NO_CACHE writes nothing.
    @Test func compiledPoliciesAreCachedPerContent() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = directory.appendingPathComponent("cache")
        let policy = directory.appendingPathComponent("p.yaml")
        let text = try String(contentsOfFile: Fixtures.path("policies/test-set.yaml"), encoding: .utf8)
        try text.write(to: policy, atomically: true, encoding: .utf8)
        let arguments = ["check", "--channel", "x", "--policies", policy.path, "--format", "json"]
        let environment = ["HIEROS_CACHE_DIR": cache.path]
        func entries() throws -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).filter { $0.hasSuffix(".policies") }
        }
        let first = try Self.run(arguments, stdin: Data("EM1234".utf8), environment: environment)
        #expect(try entries().count == 1)
        let second = try Self.run(arguments, stdin: Data("EM1234".utf8), environment: environment)
        #expect(first.status == 1 && second.status == 1)
        #expect(first.stdout == second.stdout && first.stdout.contains("id.employee"))
        try text.replacingOccurrences(of: "EM", with: "XQ").write(to: policy, atomically: true, encoding: .utf8)
        let changed = try Self.run(arguments, stdin: Data("EM1234".utf8), environment: environment)
        #expect(changed.status == 0)
        #expect(try entries().count == 2)
        try FileManager.default.removeItem(at: cache)
        _ = try Self.run(arguments, stdin: Data("EM1234".utf8), environment: environment.merging(["HIEROS_NO_CACHE": "1"]) { $1 })
        _ = try Self.run(arguments + ["--no-cache"], stdin: Data("EM1234".utf8), environment: environment)
        #expect(try entries().isEmpty)
    }

    @Test func usageErrorsExitTwo() throws {
        let run = try Self.run(["check"], input: "")
        #expect(run.status == 2)
        #expect(run.stderr.contains("Missing expected argument '--channel <channel>'"))
    }
}

/// The accuracy floors the test suite holds the bundled policies to (see README).
enum EvalFloors {
    static let arguments = [
        "--min-recall", "strategic-secret=0.98",
        "--max-overclassified", "public=0.02",
        "--min-blocked-leaks", "1.0",
    ]
}
