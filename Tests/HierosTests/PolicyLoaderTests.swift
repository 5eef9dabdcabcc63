import HierosEngine
@testable import HierosPolicy
import Testing

@Suite("Policy loading")
struct PolicyLoaderTests {
    /// One invalid fixture per failure mode, mapped to its exact diagnostics.
    @Test(arguments: [
        ("unknown-key.yaml", ["8:5: a.rule: unknown key 'keyword' in a rule; did you mean 'keywords'?"]),
        ("duplicate-id.yaml", ["8:9: a.rule: duplicate rule id; first defined at FILE:3:9"]),
        ("unknown-level.yaml", ["4:12: a.rule: unknown level 'confidential'; the levels are: public, internal, strategic-secret"]),
        ("unknown-channel-level.yaml", ["4:16: unknown level 'open'; the levels are: public, internal, strategic-secret"]),
        ("empty-pattern.yaml", ["7:14: a.rule: pattern is empty"]),
        ("invalid-pattern.yaml", ["7:14: a.rule: invalid pattern: missing closing parenthesis at pattern offset 12 (after 'project (kes')"]),
        ("bad-version.yaml", ["1:10: unsupported policy format version; this Hieros reads version 1"]),
        ("aliases-not-list.yaml", ["5:14: 'aliases' must be a list"]),
        ("yaml-syntax.yaml", ["7:1: invalid YAML: while scanning a quoted scalar found unexpected end of stream"]),
        ("bad-evidence.yaml", ["9:9: a.rule: an evidence clause is missing required key 'within'"]),
        ("bad-group.yaml", ["8:12: a.rule: the pattern has no group named 'secret'"]),
        ("duplicate-channel.yaml", ["6:15: channel name 'WEB' is already used by channel 'web'"]),
        ("many-errors.yaml", [
            "3:9: Bad_Id: rule id must be lowercase, dotted kebab-case (e.g. 'codename.prefix-form')",
            "9:12: b.rule: unknown level 'nope'; the levels are: public, internal, strategic-secret",
            "12:14: b.rule: invalid pattern: missing terminating ] for character class at pattern offset 2 (after '([')",
            "17:13: c.rule: unknown term list 'missing-list'",
            "18:16: c.rule: unknown validator 'luhnn'; did you mean 'luhn'? (known: \(Checksum.allCases.map(\.rawValue).joined(separator: ", ")), {entropy: N})",
        ]),
    ])
    func invalidFixtureReportsEveryProblemAtItsPlace(_ name: String, _ expected: [String]) {
        let path = Fixtures.path("invalid/\(name)")
        do {
            _ = try PolicyLoader.load(paths: [path])
            Issue.record("\(name) loaded but is invalid")
        } catch {
            let expectedFull = expected.map { "\(path):" + $0.replacingOccurrences(of: "FILE", with: path) }
            #expect(error.diagnostics.map(\.description) == expectedFull)
        }
    }

    @Test func errorsOfSeveralFilesAreAllReported() {
        do {
            _ = try PolicyLoader.load(paths: [Fixtures.path("invalid/unknown-key.yaml"), Fixtures.path("invalid/empty-pattern.yaml")])
            Issue.record("expected errors")
        } catch {
            #expect(error.diagnostics.count == 2)
            #expect(error.diagnostics.map(\.location.path) == [Fixtures.path("invalid/unknown-key.yaml"), Fixtures.path("invalid/empty-pattern.yaml")])
        }
    }

    @Test func missingPathsAndEmptyFoldersAreErrors() {
        #expect(throws: PolicyLoadError.self) { _ = try PolicyLoader.load(paths: ["/nonexistent/policies"]) }
        #expect(Fixtures.diagnostics("") == ["t.yaml:1:1: policy file is empty; it must start with 'version: 1'"])
    }

    @Test func levelsAndChannelsAreDeclaredOnce() {
        let first = PolicySource(path: "a.yaml", contents: "version: 1\nlevels: [low, high]\n")
        let second = PolicySource(path: "b.yaml", contents: "version: 1\nlevels: [low, high]\n")
        do {
            _ = try PolicyLoader.load(sources: [first, second])
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["b.yaml:2:9: levels are already declared in a.yaml; a policy set declares them once"])
        }
    }

    @Test func testSetLoadsWithItsScaleChannelsAndRules() {
        let set = Fixtures.testSet
        #expect(set.scale.levels.map(\.name) == ["public", "internal", "secret"])
        #expect(set.channels.map(\.id) == ["web", "staff"])
        #expect(set.rules.first?.id == "marking.secret")
        #expect(set.rules.first?.location.line == 17)
    }

    @Test func channelsResolveByIdOrAliasAndUnknownNamesFailClosed() {
        let set = Fixtures.testSet
        #expect(set.resolveChannel("SITE").channel.id == "web")
        #expect(set.resolveChannel("staff").isKnown)
        let unknown = set.resolveChannel("tiktok")
        #expect(!unknown.isKnown)
        #expect(unknown.channel.maxLevel.name == "public")
    }

    /// A set of internal rules in `t.yaml`, in order: each `- id:` (the first on line 3, column
    /// 5), a placeholder description and message, then the rule's own YAML lines.
    private func internalRules(_ rules: KeyValuePairs<String, String>) throws -> PolicySet {
        var yaml = "version: 1\nrules:\n"
        for (id, body) in rules {
            yaml += "  - id: \(id)\n    level: internal\n    description: d\n    message: m\n"
            yaml += body.split(separator: "\n").map { "    \($0)\n" }.joined()
        }
        return try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: yaml)])
    }

    @Test func termKeywordsAreDerivedAndNormalised() throws {
        let set = try internalRules(["t.terms": #"terms: ["Dépôt légal", "provisoire(s)", "P&L"]"#])
        #expect(set.rules[0].keywords == ["depot", "p&l", "provisoire"])
    }

    /// The keyword pass folds ASCII letters only: a keyword or term with another cased letter
    /// does not gate its rule (a warning says so for a declared one), so `МОСКВА` is not missed.
    @Test func keywordsWithCasedLettersBeyondASCIIDoNotGateTheirRule() throws {
        let set = try internalRules([
            "t.declared": "pattern: 'москва'\noptions: [caseless]\nkeywords: [москва]",
            "t.terms": "terms: [москва, Kyiv]",
        ])
        #expect(set.rules.map(\.keywords) == [[], []])
        #expect(set.rules[1].spec.window == nil)
        #expect(set.warnings.contains { $0.ruleID == "t.declared" && $0.message.contains("beyond ASCII") })
        #expect(Classifier(policy: set).classify("в МОСКВА").findings.map(\.ruleID) == ["t.declared", "t.terms"])
    }

    /// A repeat count PCRE2 refuses is reported at its place, not a crash of the analysis.
    @Test func hugeRepeatCountsAreReportedNotCrashed() {
        let diagnostics = Fixtures.diagnostics("""
            version: 1
            rules:
              - id: t.huge
                level: internal
                description: d
                message: m
                pattern: 'ab.{9223372036854775807}'
            """)
        #expect(diagnostics.contains { $0.hasPrefix("t.yaml:") && $0.contains("t.huge") })
    }

    @Test func ruleWithoutExamplesIsAWarning() throws {
        let set = try internalRules(["t.bare": "pattern: x"])
        #expect(set.warnings.map(\.description) == ["t.yaml:3:5: t.bare: rule has no examples; 'hieros policy test' cannot check it"])
    }

    @Test func projectConfigurationResolvesPathsAgainstItsFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hieros-config-\(UUID().uuidString)")
        let nested = folder.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "version: 1\npolicies: [\"@bundled\", rules/extra.yaml]\n".write(
            to: folder.appendingPathComponent(".hieros.yaml"), atomically: true, encoding: .utf8)
        let config = try #require(try ProjectConfiguration.discover(from: nested.path))
        #expect(config.policyPaths == ["@bundled", folder.appendingPathComponent("rules/extra.yaml").standardizedFileURL.path])
        #expect(try ProjectConfiguration.discover(from: nested.path + "/../b/./")?.policyPaths == config.policyPaths)
    }

    @Test(arguments: [
        ("/a/b/../c/./d//", "/a/c/d"), ("/", "/"), ("/..", "/"), ("//a", "/a"), ("/a/b/..", "/a"),
    ])
    func projectPathsAreStandardisedAsWritten(_ path: String, _ expected: String) {
        #expect(ProjectConfiguration.standardized(path) == expected)
    }

    @Test func relativeProjectPathsStartAtTheWorkingDirectory() {
        let working = FileManager.default.currentDirectoryPath
        #expect(ProjectConfiguration.standardized("x/./y/..") == working + "/x")
        #expect(ProjectConfiguration.standardized(".") == working)
    }
}

import Foundation

@Suite("Backtracking lint")
struct BacktrackingLintTests {
    private func warnings(_ pattern: String) throws -> [String] {
        let yaml = "version: 1\nrules:\n  - id: t.r\n    level: internal\n    description: d\n    message: m\n    pattern: '\(pattern.replacingOccurrences(of: "'", with: "''"))'\n    examples: {match: [x], no_match: [y]}\n"
        return try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: yaml)]).warnings.map(\.message)
    }

    @Test(arguments: [
        #"[\w.-]{0,50}?(?i:[\w.-]{0,50}?(?:key)(?:[ \t\w.-]{0,20}))"#,  // gitleaks' semi-generic prefix
        "(?:a+)+$",
        #"(\w+\s?)*x"#,
        ".*.*=",
    ])
    func riskyShapesWarn(_ pattern: String) throws {
        let found = try warnings(pattern)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("pattern may backtrack badly") == true)
    }

    /// Commands that only apply a set load it without the lint (start-up time); validate lints.
    @Test func theLintRunsOnlyWhenAskedFor() throws {
        let source = PolicySource(path: "p.yaml", contents: try String(contentsOfFile: Fixtures.path("policies/pathological.yaml"), encoding: .utf8))
        #expect(try PolicyLoader.load(sources: [source], lint: true).warnings.contains { $0.message.hasPrefix("pattern may backtrack badly") })
        #expect(try !PolicyLoader.load(sources: [source], lint: false).warnings.contains { $0.message.hasPrefix("pattern may backtrack badly") })
        let validate = try CLITests.run(["policy", "validate", "--policies", Fixtures.path("policies/pathological.yaml")])
        #expect(validate.status == 0 && validate.stderr.contains("pattern may backtrack badly"))
    }

    @Test(arguments: [
        #"(?<![A-Za-z0-9])MT\d{6}(?![A-Za-z0-9])"#,
        #"[\w.-]{0,50}?key[\w.-]{0,50}"#,   // a literal separates the runs
        #"(?:ab)+c"#,
        #"[a-z]++[a-z]{0,50}"#,             // possessive
        #"(?:\d{3}-)+"#,
        #"(?:-?[A-Z]{4}){3}"#,             // fixed-length items anchor each repetition
    ])
    func ordinaryShapesDoNot(_ pattern: String) throws {
        #expect(try warnings(pattern).isEmpty)
    }
}
