import Foundation
import HierosEngine
import HierosPolicy
import Testing

/// The credentials and personal-data packs measured against the test cases gitleaks and
/// Presidio use for their own detectors (../shared/peer-suites, see its README). Each peer
/// family mapped to pack rules (ConformanceSupport.swift) must hold its floor: recall on the
/// positives (gitleaks: at least one finding of a mapped rule; Presidio: exactly the expected
/// findings at the expected UTF-8 spans) and false-positive rate on the negatives. The table,
/// the out-of-scope cases and the disputed cases are printed on every run.
@Suite("Pack conformance with gitleaks' and Presidio's own test cases")
struct ConformanceTests {
    static func fraction(_ part: Int, _ whole: Int) -> Double { Double(part) / Double(whole) }

    /// Families below the targets (recall 0.95, false positives 0.05), at what they measure, and why.
    static let floors: [String: ConformanceFloor] = [
        "gitleaks/gcp": ConformanceFloor(
            minRecall: fraction(1, 2), maxFalsePositiveRate: fraction(15, 20),
            reason: """
                15 negatives are well-formed API keys that gitleaks suppresses with a hard-coded list of \
                published keys, which we do not copy; the positive "type": "service_account" alone is not \
                a key (our rule needs the private_key fields of the key file)
                """),
        "gitleaks/hashicorp": ConformanceFloor(
            minRecall: fraction(2, 3),
            reason: "password = \"rootpasswd\" (a .tf sample) contains 'passwd', one of the placeholder stopwords"),
        "gitleaks/mailchimp": ConformanceFloor(
            maxFalsePositiveRate: fraction(1, 1),
            reason: "the one negative is a well-formed key that gitleaks' own comment calls a false negative of gitleaks"),
        "gitleaks/nuget": ConformanceFloor(
            maxFalsePositiveRate: fraction(2, 5),
            reason: "the two negatives are the sample passwords of Microsoft's NuGet documentation, which we do not list"),
        "presidio/CA_SIN": ConformanceFloor(
            minRecall: fraction(7, 9),
            reason: "a bare 9-digit number passing Luhn (one in ten does) counts only next to SIN/NAS/social insurance"),
        "presidio/EMAIL_ADDRESS": ConformanceFloor(
            minRecall: fraction(3, 6),
            reason: "info@presidio.site is a role mailbox: not personal data, allowed by the rule (3 cases)"),
        "presidio/IP_ADDRESS": ConformanceFloor(
            minRecall: fraction(71, 86),
            reason: """
                loopback and unspecified addresses (::, ::1, 127.0.0.1, 0.0.0.0, and their /prefix and \
                ::ffff: forms, 14 cases) identify nobody and are allowed; 192.168.1.1.1 is not an address
                """),
        "presidio/PHONE_NUMBER": ConformanceFloor(
            minRecall: fraction(17, 19),
            reason: """
                a bare 11-digit Chinese mobile number (no +, no separator) and 91-415-555-0132 (reported \
                from 415, as a North American number) need libphonenumber's per-region plans
                """),
        "presidio/US_SSN": ConformanceFloor(
            minRecall: fraction(4, 6),
            reason: "an SSN without separators (078051121, 078-051121) counts only next to SSN/social security"),
    ]

    @Test func peerSuitesHoldTheirFloors() throws {
        try #require(FileManager.default.fileExists(atPath: PeerSuites.folder.path),
                     "peer suites not found at \(PeerSuites.folder.path) (CI checks shared/ out beside the repository)")
        let clock = ContinuousClock()
        let start = clock.now
        let gitleaks = try PeerSuites.load("gitleaks-cases.jsonl", as: PeerSuites.GitleaksCase.self)
        let presidio = try PeerSuites.load("presidio-cases.jsonl", as: PeerSuites.PresidioCase.self)
        let report = ConformanceReport.run(gitleaks: gitleaks, presidio: presidio, classifier: PackFixtures.classifier)
        print(report.table(floors: Self.floors))
        print("\(gitleaks.count + presidio.count) cases in \(clock.now - start)")

        let counted = report.scores.values.reduce(0) { $0 + $1.positives + $1.negatives }
        #expect(counted + report.outOfScope.values.reduce(0, +) + report.disputed.values.reduce(0, +)
                == gitleaks.count + presidio.count, "every case is scored, out of scope or disputed")
        for (key, score) in report.scores.sorted(by: { $0.key < $1.key }) {
            let floor = Self.floors[key] ?? ConformanceFloor()
            if let recall = score.recall, let minimum = floor.minRecall {
                #expect(recall >= minimum - 1e-9, """
                    \(key): recall \(recall) below \(minimum). Misses:
                    \(score.misses.joined(separator: "\n"))
                    """)
            }
            if let rate = score.falsePositiveRate, let maximum = floor.maxFalsePositiveRate {
                #expect(rate <= maximum + 1e-9, """
                    \(key): false-positive rate \(rate) above \(maximum). False alarms:
                    \(score.falseAlarms.joined(separator: "\n"))
                    """)
            }
        }
        for key in Self.floors.keys {
            #expect(report.scores[key] != nil, "floor for \(key), a family that no longer exists")
        }
    }

    @Test func mappedRulesExistInThePacks() {
        let ids = Set(PackFixtures.policy.rules.map(\.id))
        let mapped = Set(ConformanceMapping.gitleaks.values.joined()).union(ConformanceMapping.presidio.values.joined())
        #expect(mapped.subtracting(ids).isEmpty, "unknown rules in the mapping: \(mapped.subtracting(ids).sorted())")
    }
}

@Suite("Credentials and personal-data packs")
struct PackRuleTests {
    /// Every rule's own examples, once plainly and once behind a multi-byte prefix.
    @Test func examplesHold() {
        let failures = ExampleRunner(classifier: PackFixtures.classifier).run()
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    @Test func everyRuleIsDocumentedAndHasThreeExamplesEachWay() {
        let rules = PackFixtures.policy.rules
        #expect(rules.count > 60)
        for rule in rules {
            let pack = rule.pack ?? "-"
            #expect(["credentials", "personal-data"].contains(pack), "\(rule.id) comes from \(pack)")
            #expect(rule.id.hasPrefix(pack + "."), "\(rule.id) is not named after its pack")
            #expect(rule.examples.match.count >= 3 && rule.examples.noMatch.count >= 3, "\(rule.id) lacks examples")
            #expect(!rule.description.isEmpty && !rule.message.isEmpty, "\(rule.id) lacks a description or a message")
        }
    }

    /// Messages end up in hook output and CI logs: they must not themselves hold a secret or a
    /// personal datum.
    @Test func messagesArePublishable() {
        for rule in PackFixtures.policy.rules {
            let findings = PackFixtures.classifier.classify(rule.message).findings
            #expect(findings.isEmpty, "\(rule.id)'s message triggers \(findings.map(\.ruleID))")
        }
    }

    @Test func thePacksAreNotPartOfTheBundledSet() {
        #expect(!Fixtures.bundledSet.rules.contains { $0.pack != nil })
    }
}

@Suite("The documented pack example")
struct DocumentedPackExampleTests {
    static let path = Fixtures.packageRoot.appendingPathComponent("docs/examples/packs.yaml").path

    static func load() throws -> PolicySet {
        try PolicyLoader.load(sources: PolicyLoader.sources(at: [path]), packs: PackFixtures.packSources)
    }

    @Test func itsRulesAndExamplesHold() throws {
        let classifier = Classifier(policy: try Self.load())
        let failures = ExampleRunner(classifier: classifier).run()
        #expect(failures.isEmpty, "\(failures.map(\.description).joined(separator: "\n"))")
    }

    @Test func itsDisableOverrideAndAllowEntriesApply() throws {
        let policy = try Self.load()
        let classifier = Classifier(policy: policy)
        // disable
        #expect(policy.rule(id: "personal-data.url-username") == nil)
        #expect(policy.rule(id: "personal-data.email-address") != nil)
        // level override
        #expect(policy.rule(id: "personal-data.us-ssn")?.level.name == "strategic-secret")
        #expect(classifier.classify("SSN 536-22-8415").level.name == "strategic-secret")
        // allow entries: documentation addresses and the developer portal's sandbox keys
        #expect(classifier.classify("ping 192.0.2.10 or 2001:db8::7").findings.isEmpty)
        #expect(classifier.classify("ping 10.20.30.40").findings.map(\.ruleID) == ["personal-data.ip-address"])
        #expect(classifier.classify("api_key = mrd_sandbox_Q8x2LmZ4tWcB8nKd").findings.isEmpty)
        #expect(classifier.classify("api_key = mrd_live_Q8x2LmZ4tWcB8nKd").findings.map(\.ruleID)
                == ["credentials.secret-assignment"])
    }
}
