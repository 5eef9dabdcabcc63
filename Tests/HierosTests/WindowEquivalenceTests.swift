import Foundation
@testable import HierosEngine
import HierosPolicy
import HierosText
import Testing

/// Windows (around literals, around digits) are a speed-up only: with them and without them,
/// every item of the corpora and all of them joined into one large text classify the same.
@Suite("Prefilter windows")
struct WindowEquivalenceTests {
    static let windowed = Fixtures.bundledClassifier
    static let whole = Classifier(policy: Fixtures.bundledSet, normalizer: TextNormalizer(), usesWindows: false)

    /// The texts of every corpus item.
    static func corpusTexts() throws -> [String] {
        let directory = Fixtures.packageRoot.appendingPathComponent("corpora")
        var texts: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".jsonl") {
            let contents = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for line in contents.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let text = object?["text"] as? String { texts.append(text) }
            }
        }
        return texts
    }

    private func summary(_ classification: Classification) -> [String] {
        classification.findings.map { "\($0.ruleID)@\($0.range)" } + classification.unverified.map(\.reason)
    }

    @Test func everyCorpusItemClassifiesTheSame() throws {
        let texts = try Self.corpusTexts()
        #expect(texts.count > 1000)
        let windowed = Self.windowed.makeSession(), whole = Self.whole.makeSession()
        for text in texts {
            #expect(summary(windowed.classify(text)) == summary(whole.classify(text)), "\(text.prefix(80))")
        }
    }

    /// The packs' rules (credentials, personal data) on the corpora and the peer suites' texts.
    @Test func thePacksClassifyTheSame() throws {
        let whole = Classifier(policy: PackFixtures.policy, normalizer: TextNormalizer(), usesWindows: false).makeSession()
        let windowed = PackFixtures.classifier.makeSession()
        var texts = try Self.corpusTexts()
        texts += ((try? PeerSuites.load("gitleaks-cases.jsonl", as: PeerSuites.GitleaksCase.self)) ?? []).map(\.text)
        texts += ((try? PeerSuites.load("presidio-cases.jsonl", as: PeerSuites.PresidioCase.self)) ?? []).map(\.text)
        for text in texts {
            #expect(summary(windowed.classify(text)) == summary(whole.classify(text)), "\(text.prefix(80))")
        }
        let joined = texts.joined(separator: "\n\n")
        #expect(summary(windowed.classify(joined)) == summary(whole.classify(joined)))
    }

    /// Literal and digit windows are both supersets of where a match can start; a pattern
    /// with both is tried only in their intersection.
    @Test func windowListsIntersect() {
        #expect(Evaluation.intersection([0..<5, 8..<12, 20..<30], [3..<9, 11..<21, 25..<26, 29..<40])
                == [3..<5, 8..<9, 11..<12, 20..<21, 25..<26, 29..<30])
        #expect(Evaluation.intersection([0..<5], []) == [])
        #expect(Evaluation.intersection([0..<5], [5..<9]) == [])
        #expect(Evaluation.intersection([0..<100], [10..<20, 30..<40]) == [10..<20, 30..<40])
    }

    @Test func theCorporaJoinedClassifyTheSame() throws {
        let joined = try Self.corpusTexts().joined(separator: "\n\n")
        let windowed = Self.windowed.classify(joined), whole = Self.whole.classify(joined)
        #expect(windowed.findings.count > 500)
        #expect(summary(windowed) == summary(whole))
    }
}
