import HierosEngine
import HierosPolicy
import Testing

@Suite("Bundled policies")
struct BundledPolicyTests {
    @Test func bundledPoliciesLoad() {
        #expect(!Fixtures.bundledSet.rules.isEmpty)
        #expect(Fixtures.bundledSet.scale.levels.map(\.name) == ["public", "internal", "strategic-secret"])
    }

    /// Every rule's own examples, once plainly and once behind a multi-byte prefix.
    @Test(arguments: Fixtures.bundledSet.rules.map(\.id))
    func ruleExamplesHold(_ ruleID: String) {
        let failures = ExampleRunner(classifier: Fixtures.bundledClassifier).run().filter { $0.ruleID == ruleID }
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    @Test func everyRuleHasMatchAndNoMatchExamples() {
        for rule in Fixtures.bundledSet.rules {
            #expect(!rule.examples.match.isEmpty && !rule.examples.noMatch.isEmpty, "\(rule.id) lacks examples")
        }
    }

    /// The channels of the standard's section 9, with their aliases and maxima.
    @Test(arguments: [
        ("x", "public"), ("twitter", "public"), ("linkedin", "public"), ("facebook", "public"),
        ("instagram", "public"), ("pinterest", "public"), ("youtube", "public"), ("blog", "public"),
        ("corporate-blog", "public"), ("press", "public"), ("newsroom", "public"), ("hive", "internal"),
        ("intranet", "internal"), ("all-staff-email", "internal"), ("all-staff", "internal"),
        ("board-portal", "strategic-secret"), ("comex-room", "strategic-secret"),
    ])
    func channelsOfTheStandard(_ name: String, _ maximum: String) {
        let resolution = Fixtures.bundledSet.resolveChannel(name)
        #expect(resolution.isKnown)
        #expect(resolution.channel.maxLevel.name == maximum)
    }
}

@Suite("Bundled policy messages")
struct BundledMessageTests {
    /// A message is printed into hook output and CI logs: it must not itself leak (e.g. by
    /// quoting a codename as its example), so every message must classify as public.
    @Test(arguments: Fixtures.bundledSet.rules.map(\.id))
    func messagesArePublishable(_ ruleID: String) throws {
        let rule = try #require(Fixtures.bundledSet.rule(id: ruleID))
        let result = Fixtures.bundledClassifier.classify(rule.message)
        #expect(result.level.name == "public", "message triggers \(result.findings.map(\.ruleID))")
    }
}

@Suite("Documented example policies")
struct DocumentedExampleTests {
    /// The policies the README walks through must keep working.
    @Test(arguments: ["docs/examples/payroll.yaml"])
    func examplesHold(_ path: String) throws {
        let policy = try PolicyLoader.load(paths: [Fixtures.packageRoot.appendingPathComponent(path).path])
        let failures = ExampleRunner(classifier: Classifier(policy: policy)).run()
        #expect(failures.isEmpty, "\(failures.map(\.description))")
        #expect(ExampleRunner(classifier: Classifier(policy: policy)).exampleCount == 4)
    }
}
