import HierosEngine
import HierosPolicy
import Testing

@Suite("Packs, includes and allow entries")
struct PackTests {
    @Test func includeDisablesOverridesAndAllows() throws {
        let policy = try PolicyLoader.load(paths: [Fixtures.path("packs/demo-pack.yaml"), Fixtures.path("packs/includes-demo.yaml")])
        #expect(policy.rules.map(\.id) == ["demo.key"])
        #expect(policy.rules[0].level.name == "internal")
        #expect(policy.rules[0].pack == "demo")
        let result = Classifier(policy: policy).classify("key=abc\nkey=changeme2\nkey=EXAMPLE1\nkey=zzz fixture\nother\n")
        #expect(result.findings.map(\.range) == [4..<7])
    }

    @Test func aPackThatIsNotIncludedIsInert() throws {
        let policy = try PolicyLoader.load(paths: [Fixtures.path("packs/demo-pack.yaml")])
        #expect(policy.rules.isEmpty)
    }

    @Test func fallbackPacksAreAvailableToIncludes() throws {
        let pack = try PolicyLoader.sources(at: [Fixtures.path("packs/demo-pack.yaml")])
        let set = try PolicyLoader.sources(at: [Fixtures.path("packs/includes-demo.yaml")])
        #expect(try PolicyLoader.load(sources: set, packs: pack).rules.map(\.id) == ["demo.key"])
    }

    @Test func conflictsAreReportedAtLoadTime() {
        let bad = Fixtures.path("packs/bad-includes.yaml")
        do {
            _ = try PolicyLoader.load(paths: [Fixtures.path("packs/demo-pack.yaml"), bad])
            Issue.record("expected errors")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "\(bad):4:15: demo.missing: 'disable' names no rule of pack 'demo'",
                "\(bad):5:14: demo.other: unknown level 'nope'",
                "\(bad):6:5: pack 'demo' is already included at \(bad):3:5",
                "\(bad):7:5: unknown pack 'nothere'; available packs: demo",
            ])
        }
    }

    @Test func packsCannotDeclareSetLevelKeys() {
        let diagnostics = Fixtures.diagnostics("version: 1\npack: p\nlevels: [a, b]\n")
        #expect(diagnostics == ["t.yaml:2:7: pack 'p' declares 'levels'; a pack holds rules and term lists only"])
    }
}

@Suite("Allow entries")
struct AllowEntryTests {
    private func classify(_ yaml: String, _ text: String, defaults: String? = nil) throws -> [String] {
        var sources = [PolicySource(path: "r.yaml", contents: yaml)]
        if let defaults { sources.append(PolicySource(path: "d.yaml", contents: defaults)) }
        return Classifier(policy: try PolicyLoader.load(sources: sources)).classify(text).findings.map(\.excerpt)
    }

    static let rule = """
        version: 1
        rules:
          - id: t.key
            level: internal
            description: d
            message: m
            pattern: 'key=(\\w+)'
            options: []
            group: 1
            allow:
              - pattern: '^TEST'
                target: secret
        """

    /// The target is matched as its own text: `^` is the start of the secret, not of the item.
    @Test func anchorsApplyToTheTarget() throws {
        #expect(try classify(Self.rule, "config: key=TEST1 and key=prod9") == ["pr***d9"])
    }

    /// An allow pattern reads like its rule's pattern: `options: []` stays case-sensitive even
    /// when the set's defaults are caseless.
    @Test func allowPatternsTakeTheRuleOptions() throws {
        let defaults = "version: 1\ndefaults:\n  options: [caseless, ucp]\n"
        #expect(try classify(Self.rule, "key=test1", defaults: defaults) == ["te***t1"])
    }
}
