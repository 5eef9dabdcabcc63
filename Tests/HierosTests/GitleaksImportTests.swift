import Foundation
import HierosEngine
@testable import HierosImport
import HierosPolicy
import Testing

/// `hieros policy import --from gitleaks`: the converter on small fixtures (one unsupported
/// feature per entry), and gitleaks' own default configuration and test cases
/// (`shared/peer-suites`, beside the repository), converted and run through the engine.
@Suite("gitleaks import")
struct GitleaksImportTests {
    static let peerSuites = Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/peer-suites")

    static func fixture(_ name: String) -> String { Fixtures.path("gitleaks/" + name) }

    static func convert(_ path: String, level: String = GitleaksImporter.defaultLevel, fileAccess: Bool = true) throws -> ImportResult {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let read: ((String) throws -> String)? = fileAccess ? { try String(contentsOfFile: $0, encoding: .utf8) } : nil
        return try GitleaksImporter(level: level).convert(text, path: path, readFile: read)
    }

    static func classifier(_ result: ImportResult, extra: [PolicySource] = []) throws -> Classifier {
        Classifier(policy: try PolicyLoader.load(sources: [PolicySource(path: "gitleaks.yaml", contents: result.yaml)] + extra))
    }

    /// The default configuration, converted once for the suite.
    static let defaultImport = Result { () throws -> (ImportResult, Classifier) in
        let result = try convert(peerSuites.appendingPathComponent("gitleaks-default-config.toml").path)
        return (result, try classifier(result))
    }

    /// One record of a peer suite's JSON Lines file.
    static func records(_ file: String) throws -> [[String: Any]] {
        let text = try String(contentsOf: peerSuites.appendingPathComponent(file), encoding: .utf8)
        return try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    // MARK: The default configuration

    @Test func defaultConfigConvertsEveryRuleWithARegexAndLoads() throws {
        let (result, classifier) = try Self.defaultImport.get()
        let withRegex = try Self.records("gitleaks-rules.jsonl").filter { ($0["regex"] as? String ?? "").isEmpty == false }
        #expect(withRegex.count == 221)
        #expect(result.converted.map(\.sourceID) == withRegex.map { $0["id"] as? String ?? "" })
        #expect(result.converted.allSatisfy { $0.policyID == "gitleaks." + $0.sourceID })
        #expect(classifier.policy.rules.map(\.id) == result.converted.map(\.policyID))
        #expect(classifier.policy.rules.allSatisfy { $0.level.name == "strategic-secret" && $0.tags == ["gitleaks"] })
        #expect(result.unconvertedRules.map(\.description) == [
            "rule 'pkcs12-file' not converted: a path-only rule (path = '(?i)(?:^|\\/)[^\\/]+\\.p(?:12|fx)$'): "
                + "it matches file names, and Hieros classifies content without a file path",
        ])
        #expect(result.notes.filter { !$0.dropsRule }.map { "\($0.rule ?? "(file)") \($0.field ?? "")" } == [
            "(file) allowlist.paths",
            "freemius-secret-key path",
            "generic-api-key allowlists[4]",
            "github-app-token allowlists[1].paths",
            "github-pat allowlists[1].paths",
            "hashicorp-tf-password path",
            "kubernetes-secret-yaml path",
            "nuget-config-password path",
        ])
    }

    /// Cases that cannot pass, with the reason: gitleaks scans them under a file name the rule's
    /// `path` rejects (Hieros has no file path), or the engine misreads an anchored allow pattern.
    static let expectedExceptions: [String: String] = [
        "freemius-secret-key:41:no-match": "scanned as foo.html; the rule's path limits it to .php files",
        "hashicorp-tf-password:54:no-match": "scanned as unrelated.js; the rule's path limits it to .tf and .hcl files",
        "nuget-config-password:40:no-match": "scanned as some.xml; the rule's path limits it to nuget.config files",
    ]

    @Test func convertedRulesPassGitleaksCases() throws {
        let (result, classifier) = try Self.defaultImport.get()
        let ids = Dictionary(uniqueKeysWithValues: result.converted.map { ($0.sourceID, $0.policyID) })
        let session = classifier.makeSession()
        var failures: [String] = [], absent: [String: Int] = [:], passed = 0, total = 0
        for record in try Self.records("gitleaks-cases.jsonl") {
            let rule = try #require(record["rule"] as? String), expect = try #require(record["expect"] as? String)
            guard let policyID = ids[rule] else {
                absent[rule, default: 0] += 1
                continue
            }
            total += 1
            let classification = session.classify(try #require(record["text"] as? String))
            #expect(classification.isVerified, "\(rule): \(classification.unverified.map(\.reason))")
            let fired = classification.findings.contains { $0.ruleID == policyID }
            if fired == (expect == "match") {
                passed += 1
            } else {
                failures.append("\(rule):\(record["line"] as? Int ?? 0):\(expect)")
            }
        }
        // Rules not in the converted set: pkcs12-file (path-only, not converted) and the two
        // rules gitleaks does not register in its default configuration (peer-suites README).
        #expect(absent == ["pkcs12-file": 5, "gcp-service-account": 1, "square-secret": 1])
        #expect(failures.sorted() == Self.expectedExceptions.keys.sorted())
        #expect(total == 1316)
        #expect(passed == total - Self.expectedExceptions.count)
    }

    @Test func globalAllowlistAllowsWhatGitleaksAllows() throws {
        // The global allowlist with a rule whose secret is the whole item, so that the item is
        // exactly the string gitleaks tests its allowlist with.
        let config = try String(contentsOf: Self.peerSuites.appendingPathComponent("gitleaks-default-config.toml"), encoding: .utf8)
        let global = String(config[..<(try #require(config.range(of: "[[rules]]"))).lowerBound])
        let probe = global + "[[rules]]\nid = \"probe\"\nregex = '''(?s)(.+)'''\n"
        let session = try Self.classifier(try GitleaksImporter().convert(probe, path: "probe.toml")).makeSession()
        var mismatches: [String] = [], paths = 0
        for record in try Self.records("gitleaks-allowlist-cases.jsonl") {
            guard record["target"] as? String == "secret" else {
                paths += 1  // path allowlists have no counterpart (reported when converting)
                continue
            }
            let text = try #require(record["text"] as? String)
            let allowed = session.classify(text).findings.isEmpty
            if allowed != (record["expect"] as? String == "allowlisted") { mismatches.append(text) }
        }
        #expect(mismatches == [])
        #expect(paths == 24)
    }

    @Test func semiGenericRulesStayBoundedAndFailClosed() throws {
        let (result, classifier) = try Self.defaultImport.get()
        let clock = ContinuousClock()
        let session = classifier.makeSession()
        let texts = try Self.records("gitleaks-cases.jsonl").compactMap { $0["text"] as? String }
        let all = clock.measure { for text in texts { _ = session.classify(text) } }
        #expect(all < .seconds(60))
        let semiGeneric = [("sumologic-access-id", "sumo"), ("okta-access-token", "okta"), ("cohere-api-token", "cohere"),
                           ("cisco-meraki-api-key", "meraki"), ("privateai-api-token", "private_ai")]
        // A match limit far below what one PCRE2 call over this text needs: the limit is hit for
        // sure, whatever the machine's speed.
        let strict = try Self.classifier(result, extra: [
            PolicySource(path: "limits.yaml", contents: "version: 1\ndefaults:\n  limits: {match: 100}\n"),
        ]).makeSession()
        for (rule, keyword) in semiGeneric {
            // A megabyte of word characters with the keyword every 46 bytes (so that no part is
            // skipped as far from a keyword) and no assignment after it: up to 50 prefix
            // characters and 20 gap characters are tried at every position. Then every
            // character the rules require, so that PCRE2 cannot give up early.
            let chunk = keyword + "_" + String(repeating: "a", count: 45 - keyword.utf8.count) + "_"
            let text = String(repeating: chunk, count: (1 << 20) / 46)
                + " 00su=:'\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
            var outcome: Classification?
            let elapsed = clock.measure { outcome = session.classify(text) }
            let classification = try #require(outcome)
            #expect(elapsed < .seconds(20), "\(rule)")
            #expect(classification.findings.isEmpty)
            // Within the standard budget (100 ms per MiB) or not, depending on the machine: either
            // verified, or unverified and at the rule's level. Never a hang, never a silent pass.
            #expect(classification.isVerified || classification.level.name == "strategic-secret")
            let limited = strict.classify(text)
            #expect(!limited.isVerified, "\(rule)")
            #expect(limited.unverified.contains { $0.ruleID == "gitleaks." + rule }, "\(rule)")
            #expect(limited.level.name == "strategic-secret")
        }
    }

    // MARK: Fixtures

    @Test func unsupportedFeaturesAreEachReported() throws {
        let result = try Self.convert(Self.fixture("unsupported.toml"))
        #expect(result.notes.map(\.description) == [
            "'color': not a gitleaks setting; ignored",
            "'extend.useDefault': gitleaks' built-in default rules are not in this file and were not imported; "
                + "import gitleaks' default configuration (config/gitleaks.toml) too and load both policies",
            "'extend.url': remote configurations are not fetched ('https://example.com/gitleaks.toml'); download it and import it too",
            "'extend.disabledRules': applies to the extended rules, which were not imported; ignored",
            "'allowlist.paths': dropped: Hieros classifies content without a file path, so a path never matches "
                + "(as in gitleaks when content is scanned without a path)",
            "'allowlist.commits': dropped: Hieros classifies content without a commit, so a commit never matches",
            "'allowlists.targetRules': names no rule of the configuration: 'no-such-rule'; ignored",
            "rule 'path-only' not converted: a path-only rule (path = '(?i)\\.p12$'): it matches file names, "
                + "and Hieros classifies content without a file path",
            "rule 'path-and-regex', 'path': dropped: Hieros classifies content without a file path, so the regex "
                + "applies to every item, not only to files matching '(?i)\\.php$'",
            "rule 'and-with-paths', 'allowlists[1]': dropped: condition AND with paths cannot hold on content, which has "
                + "no file path or commit (as in gitleaks when content is scanned without a path)",
            "rule 'and-regexes-stopwords', 'allowlists[1]': dropped: condition AND of regexes and stopwords cannot be "
                + "expressed (Hieros allow entries are alternatives); what it would allow is reported",
            "rule 'or-with-paths', 'allowlists[1].paths': dropped: Hieros classifies content without a file path, so a "
                + "path never matches (as in gitleaks when content is scanned without a path)",
            "rule 'or-with-paths', 'allowlists[1].commits': dropped: Hieros classifies content without a commit, so a commit never matches",
            "rule 'unknown-key', 'severity': not a gitleaks setting; ignored",
            "rule 'nothing' not converted: the rule has neither 'regex' nor 'path' (gitleaks rejects it)",
            "rule 'bad-group' not converted: secretGroup 3 does not exist: the regex has 1 capture group (gitleaks rejects the rule)",
            "rule 'unparsable' not converted: the regex does not parse: missing ')' at the end of the pattern",
            "rule 'pcre2-rejects' not converted: the Hieros policy loader rejects the converted rule: invalid pattern: "
                + "numbers out of order in {} quantifier at pattern offset 5 (after 'x{3,2')",
            "rule 'composite', 'required': dropped: composite rules (companion nearby) cannot be expressed; the rule "
                + "fires on its own match, more often than in gitleaks",
            "rule 'companion' not converted: skipReport = true: gitleaks reports it only inside a composite rule, "
                + "which Hieros cannot express",
            "rule 'dup-name', 'id': converts to 'gitleaks.dup-name' like an earlier rule; named 'gitleaks.dup-name-2'",
            "rule 'bad-target', 'allowlist.regexTarget': unknown target 'commit' (gitleaks takes secret, match or line); "
                + "the allowlist was dropped",
            "rule 'loose-group', 'secretGroup': gitleaks reports the first non-empty capture group, which for this regex "
                + "is not always the same group; Hieros reports a fixed group, so the whole match is used (entropy, "
                + "stopwords and secret allowlists apply to it)",
            "rule 'wrong-types', 'entropy': must be a number; ignored",
            "rule 'wrong-types', 'keywords': must be a list of strings; ignored",
        ])
        let policy = try Self.classifier(result).policy
        #expect(policy.rules.map(\.id) == [
            "gitleaks.path-and-regex", "gitleaks.and-with-paths", "gitleaks.and-regexes-stopwords", "gitleaks.or-with-paths",
            "gitleaks.unknown-key", "gitleaks.composite", "gitleaks.dup-name", "gitleaks.dup-name-2", "gitleaks.bad-target",
            "gitleaks.loose-group", "gitleaks.wrong-types",
        ])
        // Every note is also in the file's header, so a reviewer of the file sees them.
        #expect(result.notes.allSatisfy { result.yaml.contains("#   " + $0.description + "\n") })
    }

    @Test(arguments: [
        // Alternatives, each with its own group: gitleaks reports the first non-empty group.
        ("key_a=⟦abcdefgh12⟧", "alternatives"),
        ("key_b:'⟦abcdefgh12⟧'", "alternatives"),
        ("KEY_A=abcdefgh12", nil),           // keywords are caseless, Go regexes are not
        ("key_b:\"sandbox123\"", nil),        // a match allowlist aimed at the rule (targetRules)
        ("key_a=example123", nil),           // the global allowlist
        ("key_a=changeme12", nil),           // a global stopword
        ("tok_⟦abcdefghi⟧", "entropy-three"),  // 3.17 bits
        ("tok_abcdefgh", nil),               // exactly 3 bits: gitleaks wants more than 3
        ("login = ⟦alice99⟧", "chosen-group"),
        ("user = guest01", nil),             // a rule stopword
        ("ref ⟦WM-123456⟧", "whole-match"),
        ("ref WM-123456 # Not a secret", nil),  // a line allowlist
        ("ref WM-000000", nil),              // a secret allowlist anchored at the end
        ("gs\u{0B}A{,2}b(x)⟦1234⟧", "go-syntax"),
        ("SUMO_KEY = \"⟦suABCDEFGH1234⟧\"", "nested-prefix"),
    ] as [(String, String?)])
    func convertedFeaturesBehaveAsInGitleaks(_ marked: String, _ rule: String?) throws {
        let classifier = try Self.classifier(try Self.convert(Self.fixture("features.toml")))
        let text = MarkedText(marked)
        let findings = classifier.classify(text.text).findings
        #expect(findings.map(\.ruleID) == (rule.map { ["gitleaks." + $0] } ?? []))
        #expect(findings.map(\.range) == text.ranges)
    }

    @Test func convertedFeaturesAreWrittenAsHierosKeys() throws {
        let result = try Self.convert(Self.fixture("features.toml"))
        #expect(result.notes.isEmpty)
        let yaml = result.yaml
        #expect(yaml.contains("  pattern: '(?|\\bkey_a=([a-z0-9]{10})\\b|\\bkey_b:(?|\"([a-z0-9]{10})\"|''([a-z0-9]{10})''))'\n"))
        #expect(yaml.contains("  tags: [gitleaks, custom]\n  pattern:"))
        #expect(yaml.contains("  keywords: [key_a, key_b]\n"))
        #expect(yaml.contains("  validate: [{entropy: 3.0000000000000004}]\n"))
        #expect(yaml.contains("  group: 2\n"))
        #expect(yaml.contains("  - {pattern: 'sandbox', target: match}\n"))
        #expect(yaml.contains("  pattern: 'gs\\x0B\\o{101}\\{,2}[[:alnum:]]\\Q(x)\\E(?P<secret>[0-9]{4})'\n"))
        #expect(yaml.contains("  pattern: '(?i:[\\w.-]{0,50}?(?:(?-i:[Ss]umo|SUMO))"))
        #expect(yaml.contains("version: 1\nallow:\n- {pattern: '(?i)example', target: secret}\n- stopwords:\n  - changeme\nrules:\n"))
    }

    @Test func extendPathIsResolvedNextToTheFile() throws {
        let result = try Self.convert(Self.fixture("extend/child.toml"))
        #expect(result.notes.isEmpty)
        #expect(result.converted.map(\.sourceID) == ["base-kept", "base-overridden", "child-own"])
        let policy = try Self.classifier(result).policy
        let overridden = try #require(policy.rules.first { $0.id == "gitleaks.base-overridden" })
        #expect(overridden.description == "Overridden here.")
        #expect(overridden.keywords == ["over", "override"])
        #expect(overridden.spec.validators == [.entropy(2.5.nextUp)])
        #expect(try Self.classifier(result).classify("kept=basestop1").findings.isEmpty)  // the base's global stopword
        let offline = try Self.convert(Self.fixture("extend/child.toml"), fileAccess: false)
        #expect(offline.notes.map(\.description) == [
            "'extend.path': 'base.toml' was not imported: no file access was given",
            "rule 'base-overridden' not converted: the rule has neither 'regex' nor 'path' (gitleaks rejects it)",
        ])
        #expect(offline.converted.map(\.sourceID) == ["child-own"])
    }

    @Test func levelIsChosenAndChecked() throws {
        let result = try Self.convert(Self.fixture("features.toml"), level: "internal")
        #expect(try Self.classifier(result).policy.rules.allSatisfy { $0.level.name == "internal" })
        #expect(throws: ImportError.invalidLevel("Top Secret")) {
            try GitleaksImporter(level: "Top Secret").convert("", path: "empty.toml")
        }
    }

    @Test func invalidTOMLIsAnErrorWithItsPlace() throws {
        let path = Self.fixture("invalid.toml")
        do {
            _ = try Self.convert(path)
            Issue.record("expected an error")
        } catch let error as ImportError {
            guard case .invalidTOML(let file, let line, let column, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect((file, line, column) == (path, 2, 9))
            #expect(error.description.hasPrefix("\(path):2:9: invalid TOML: "))
        }
    }

    @Test func stringsThatLookLikeOtherTypesStayStrings() throws {
        let toml = """
            [[rules]]
            id = "Quoting Test"
            description = "key: value # not a comment"
            regex = '''it's (\\d+)'''
            keywords = ["true", "1.5", "null", "~", "- x"]
            tags = ["yes", "@at"]
            """
        let result = try GitleaksImporter().convert(toml, path: "quoting.toml")
        #expect(result.yaml.contains("  keywords: ['true', '1.5', 'null', '~', '- x']\n"))
        #expect(result.yaml.contains("  pattern: 'it''s (\\d+)'\n"))
        let rule = try #require(try Self.classifier(result).policy.rules.first)
        #expect(rule.id == "gitleaks.quoting-test")
        #expect(rule.description == "key: value # not a comment")
        #expect(rule.keywords == ["true", "1.5", "null", "~", "- x"])
        #expect(rule.tags == ["gitleaks", "yes", "@at"])
    }

    // MARK: Go regular expressions

    @Test(arguments: [
        ("a(b)|c(d)", "(?|a(b)|c(d))", true),
        ("x(?:a(b)|c(d))", "x(?|a(b)|c(d))", true),
        ("(?i:a(b)|c(d))", "(?i:(?|a(b)|c(d)))", true),
        ("(?:(?P<one>a)|(?P<two>b))c", "(?|(a)|(b))c", true),
        ("(a)?(b)", "(a)?(b)", false),
        ("(x(y)|z)", "(x(y)|z)", true),
        ("([a-z]{4}-){3}", "([a-z]{4}-){3}", true),
    ])
    func firstNonEmptyGroupBecomesGroupOne(_ go: String, _ pcre2: String, _ fixed: Bool) throws {
        var regex = try GoRegex(go)
        if !regex.alwaysSetsFirstGroup { regex.resetAlternations() }
        #expect(regex.pcre2 == pcre2)
        #expect(regex.alwaysSetsFirstGroup == fixed)
    }

    @Test(arguments: [
        ("\\v", "\\x0B"), ("[\\v]", "[\\x0B]"), ("\\101", "\\o{101}"), ("\\0", "\\o{0}"),
        ("a{,3}", "a\\{,3}"), ("a{2}{", "a{2}\\{"), ("[[:alnum:]_]", "[[:alnum:]_]"), ("[a[b]", "[a\\[b]"),
        ("\\Q(a|b)\\E", "\\Q(a|b)\\E"), ("\\x{1F600}\\pL\\p{Greek}", "\\x{1F600}\\pL\\p{Greek}"),
        ("(?i)a(?s:.)b$", "(?i)a(?s:.)b$"), ("[]a]", "[]a]"), ("[^]a]", "[^]a]"),
    ])
    func goSyntaxIsCarriedOverToPCRE2(_ go: String, _ pcre2: String) throws {
        #expect(try GoRegex(go).pcre2 == pcre2)
    }

    @Test func unbalancedRegexesAreSyntaxErrors() {
        #expect(throws: GoRegex.SyntaxError(message: "unmatched ')' at offset 1")) { try GoRegex("a)") }
        #expect(throws: GoRegex.SyntaxError(message: "missing ']' for the class at offset 0")) { try GoRegex("[ab") }
    }

    // MARK: Command line

    @Test func cliPrintsThePolicyAndReportsOnStandardError() throws {
        let path = Self.fixture("features.toml")
        let run = try CLITests.run(["policy", "import", "--from", "gitleaks", path])
        #expect(run.status == 0)
        #expect(run.stdout == (try Self.convert(path)).yaml)
        #expect(run.stderr == "\(path): converted 6 of 6 rules\n")
        let partial = try CLITests.run(["policy", "import", "--from", "gitleaks", Self.fixture("unsupported.toml")])
        #expect(partial.status == 0)
        let lines = partial.stderr.split(separator: "\n")
        #expect(lines.count == 26)
        #expect(lines.contains { $0.hasSuffix("unsupported.toml: rule 'path-only' not converted: a path-only rule (path = '(?i)\\.p12$'): it matches file names, and Hieros classifies content without a file path") })
        #expect(lines.last?.hasSuffix("unsupported.toml: converted 11 of 17 rules; 6 not converted, 19 fields dropped or approximated (listed above)") == true)
    }

    @Test func cliWritesTheOutputFileAndItValidates() throws {
        let folder = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("gitleaks.yaml").path
        let run = try CLITests.run(["policy", "import", "--from", "gitleaks", "--level", "internal", "--output", output,
                                    Self.fixture("extend/child.toml")])
        #expect(run.status == 0)
        #expect(run.stdout == "")
        let validate = try CLITests.run(["policy", "validate", "--policies", output])
        #expect(validate.status == 0)
        #expect(validate.stdout.hasPrefix("ok: 3 rules"))
        let classify = try CLITests.run(["classify", "--policies", output], input: "own=qwerty123")
        #expect(classify.stdout.hasPrefix("<stdin>: internal (1 finding)"))
    }

    @Test func cliFailuresExitTwo() throws {
        let missing = try CLITests.run(["policy", "import", "--from", "gitleaks", "/nonexistent/gitleaks.toml"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: /nonexistent/gitleaks.toml: no such file\n")
        let invalid = try CLITests.run(["policy", "import", "--from", "gitleaks", Self.fixture("invalid.toml")])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.hasPrefix("error: \(Self.fixture("invalid.toml")):2:9: invalid TOML: "))
        #expect(invalid.stdout == "")
        let level = try CLITests.run(["policy", "import", "--from", "gitleaks", "--level", "Top", Self.fixture("features.toml")])
        #expect(level.status == 2)
        #expect(level.stderr.contains("invalid level 'Top'"))
        let format = try CLITests.run(["policy", "import", Self.fixture("features.toml")])
        #expect(format.status == 2)
        #expect(format.stderr.contains("--from"))
    }
}
