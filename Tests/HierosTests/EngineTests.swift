import HierosEngine
import HierosPolicy
import Testing

@Suite("Classification engine")
struct EngineTests {
    let classifier = Fixtures.testClassifier

    private func ranges(_ marked: String, rule: String) -> (found: [Range<Int>], expected: [Range<Int>]) {
        let text = MarkedText(marked)
        let found = classifier.classify(text.text).findings.filter { $0.ruleID == rule }.map(\.range)
        return (found, text.ranges)
    }

    @Test(arguments: [
        ("⟦TOP SECRET⟧ draft", "marking.secret"),
        ("🇫🇷 é ⟦top_secret⟧", "marking.secret"),
        ("⟦top\u{200B} secret⟧", "marking.secret"),
        ("ask ⟦EM1234⟧ or ⟦EM5678⟧", "id.employee"),
        ("ask ⟦ＥＭ１２３４⟧", "id.employee"),
        ("card ⟦4111-1111-1111-1111⟧.", "card.number"),
        ("⟦FR76 3000 6000 0112 3456 7890 189⟧ BIC", "bank.iban"),
    ])
    func findingsPointAtTheOriginalBytes(_ marked: String, _ rule: String) {
        let result = ranges(marked, rule: rule)
        #expect(result.found == result.expected)
    }

    @Test func levelIsTheHighestFindingAndFindingsAreInPositionOrder() {
        let result = classifier.classify("EM1234 then TOP SECRET")
        #expect(result.level.name == "secret")
        #expect(result.findings.map(\.ruleID) == ["id.employee", "marking.secret"])
        #expect(result.isVerified)
    }

    @Test func nothingFoundIsTheLowestLevel() {
        let result = classifier.classify("A plain sentence.")
        #expect(result.level.name == "public")
        #expect(result.findings.isEmpty)
    }

    @Test func lineAndColumnCountScalarsFromOne() throws {
        let finding = try #require(classifier.classify("first line\nçà EM1234").findings.first)
        #expect(finding.line == 2)
        #expect(finding.column == 4)
        #expect(finding.range == 16..<22)
    }

    @Test func excerptsAreMasked() {
        let findings = classifier.classify("TOP SECRET and EM1234 and card 4111 1111 1111 1111").findings
        #expect(findings.map(\.excerpt) == ["TO******ET", "EM***34", "41**********11"])
        #expect(!findings.contains { $0.excerpt.contains("1111 1111") })
    }

    @Test(arguments: [
        ("draft revenue of 12 bn", true),
        ("Preliminary: 12 EUR of marge.", true),
        ("revenue of 12 bn", false),                                   // no status word
        ("draft 1 2 3 4 5 revenue 12 bn", false),                      // 6 words between
        ("draft 1 2 3 4 revenue 12 bn", true),                        // 5 words between (within 5)
    ])
    func evidenceWindowsCountWords(_ text: String, _ fires: Bool) {
        #expect(classifier.classify(text).findings.contains { $0.ruleID == "finance.draft-figure" } == fires)
    }

    @Test(arguments: [
        ("300 job cuts", true),
        ("job cuts ahead", false),                                     // no number
        ("job cuts of 300 as announced on Monday", false),             // publication signal
        ("job cuts: 40, will be announced on Monday", true),           // negated signal does not count
    ])
    func unlessAndNestedEvidence(_ text: String, _ fires: Bool) {
        #expect(classifier.classify(text).findings.contains { $0.ruleID == "restructuring.cuts" } == fires)
    }

    @Test func minDistinctCountsDistinctMatches() {
        #expect(classifier.classify("AC-0001 AC-0002 AC-0003").level.name == "secret")
        #expect(classifier.classify("AC-0001 AC-0001 AC-0002 AC-0002").findings.isEmpty)
    }

    @Test func validatorsRejectBadChecksums() {
        #expect(classifier.classify("4111 1111 1111 1112").findings.isEmpty)
        #expect(classifier.classify("FR76 3000 6000 0112 3456 7890 188").findings.isEmpty)
    }

    @Test func caseSensitiveRulesRunOnTheNormalisedText() {
        #expect(classifier.classify("ＦＡＬＣＯＮ is ready").level.name == "secret")
        #expect(classifier.classify("Falcon is ready").findings.isEmpty)
    }

    @Test func aRuleThatHitsItsLimitMakesTheItemUnverifiedAndNeverPublic() throws {
        let policy = try PolicyLoader.load(paths: [Fixtures.path("policies/pathological.yaml")])
        let result = Classifier(policy: policy).classify(String(repeating: "a", count: 60) + "!")
        #expect(!result.isVerified)
        #expect(result.level.name == "strategic-secret")
        #expect(result.unverified.first?.ruleID == "redos.nested")
        let verdict = Classifier(policy: policy).verdict(for: result, channel: "anything")
        #expect(verdict.decision == .block)
    }

    @Test func invalidUTF8IsClassifiedAroundAndMarkedUnverified() {
        let bytes: [UInt8] = Array("ok ".utf8) + [0xFF] + Array("\nEM1234".utf8)
        let result = classifier.classify(bytes: bytes)
        #expect(result.findings.map(\.ruleID) == ["id.employee"])
        #expect(!result.isVerified)
        #expect(result.unverified.first?.reason.hasPrefix("input is not valid UTF-8 at 1:4 (byte 3)") == true)
    }

    @Test func verdictsBlockAboveTheChannelAndAllowAtOrBelow() {
        #expect(classifier.check("ask EM1234", channel: "staff").decision == .allow)
        let blocked = classifier.check("ask EM1234 and TOP SECRET", channel: "site")
        #expect(blocked.decision == .block)
        #expect(blocked.blockingFindings.map(\.ruleID) == ["id.employee", "marking.secret"])
        #expect(classifier.check("ask EM1234 and TOP SECRET", channel: "staff").blockingFindings.map(\.ruleID) == ["marking.secret"])
        #expect(classifier.check("hello", channel: "unknown").decision == .allow)
        #expect(classifier.check("ask EM1234", channel: "unknown").decision == .block)
    }

    @Test func explainShowsWhyAMatchWasRejected() throws {
        let (_, traces) = classifier.makeSession().explain(bytes: Array("revenue of 12 bn".utf8))
        let trace = try #require(traces.first { $0.ruleID == "finance.draft-figure" })
        #expect(!trace.fired)
        #expect(trace.candidates.first?.rejectedBy?.contains("evidence #1 require") == true)
    }
}
