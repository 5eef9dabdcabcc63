@testable import HierosEngine
import HierosPolicy
import HierosText
import Testing

/// In a long item, evidence is looked for near each match only, scan by scan; it must find
/// exactly what one scan of the whole item finds: terms whose separator runs straddle a
/// window's edge, terms overlapping the previous scan's last match, runs of separators too
/// long to bound a match (the whole item is then scanned), `unless` and `side` clauses.
@Suite("Evidence near matches in long items")
struct NearbyEvidenceTests {
    static let yaml = #"""
        version: 1
        rules:
          - id: t.figure
            level: internal
            description: d
            message: m
            pattern: '\d+ ?%'
            evidence:
              - require: {terms: ["flash results", "gross margin", "margin call", "churn"]}
                within: 3
              - unless: {terms: ["as published", "published"]}
                within: 2
                side: after
        """#

    /// A seeded text of words, figures and separators of every length, longer than the size
    /// from which evidence is looked for near matches.
    static func text(seed: UInt64) -> String {
        var generator = SeededGenerator(seed: seed)
        let words = ["flash", "results", "gross", "margin", "call", "churn", "as", "published", "plan", "the", "Q3",
                     "12 %", "7%", "40%", "margin", "gross"]
        let separators = [" ", " ", " ", " ", "  ", "\n", "-", "_", " - ", "\t", " \n\n "]
        let long = [String(repeating: " ", count: 40), String(repeating: "-", count: 200), String(repeating: " ", count: 700)]
        var text = ""
        while text.utf8.count < Evaluation.nearbyEvidenceBytes + 20_000 {
            text += words.randomElement(using: &generator)!
            text += Int.random(in: 0..<400, using: &generator) == 0 ? long.randomElement(using: &generator)!
                : separators.randomElement(using: &generator)!
        }
        return text
    }

    /// `yaml` with a term list whose first word is also an evidence term: `churn` gates a rule
    /// and is a term start there, and is evidence at every word start.
    static let yamlWithChurnTerms = yaml + #"""

          - id: t.churn
            level: internal
            description: d
            message: m
            terms: [churn forecast]
        """#

    @Test(arguments: [(1, false), (2, false), (3, false), (4, false), (1, true), (2, true), (3, true)] as [(UInt64, Bool)])
    func nearbyEvidenceFindsWhatAWholeScanFinds(_ seed: UInt64, _ churnTerms: Bool) throws {
        let yaml = churnTerms ? Self.yamlWithChurnTerms : Self.yaml
        let set = try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: yaml)])
        #expect(set.rules[0].spec.evidence.allSatisfy { $0.matcher.lengthBound != nil })
        let text = Array(Self.text(seed: seed).utf8)
        let (nearby, nearbyTrace) = Classifier(policy: set).makeSession().explain(bytes: text)
        let (whole, wholeTrace) = Classifier(policy: set, normalizer: TextNormalizer(), usesWindows: false)
            .makeSession().explain(bytes: text)
        #expect(nearby.findings.count > 20)
        #expect(nearby.findings.map(\.range) == whole.findings.map(\.range))
        #expect(nearby.unverified.isEmpty && whole.unverified.isEmpty)
        let candidates = nearbyTrace.flatMap(\.candidates), expected = wholeTrace.flatMap(\.candidates)
        #expect(candidates.count > nearby.findings.count, "some figures lack evidence")
        #expect(candidates.map(\.evidence) == expected.map(\.evidence))
        #expect(candidates.map(\.rejectedBy) == expected.map(\.rejectedBy))
    }

    /// Evidence adjacent to a figure (`within: 0`), deep in a long item: a term begun before
    /// the figure's window (its separator run straddles the window's edge, however long), and
    /// a term overlapping an earlier match, which a whole scan never finds.
    @Test(arguments: [
        ("margin call 12%", true),
        ("gross margin call 12%", false),                                      // found: "gross margin"
        ("gross" + String(repeating: " ", count: 100) + "margin 12%", true),
        ("gross" + String(repeating: " ", count: 600) + "margin 12%", true),   // too long to bound: whole scan
        ("gross   margin   call 12%", false),  // "margin" is in the figure's window, "gross" is not
        ("gross margin" + String(repeating: " ", count: 100) + "call 12%", false),
    ])
    func evidenceAcrossWindowEdges(_ passage: String, _ fires: Bool) throws {
        let yaml = #"""
            version: 1
            rules:
              - id: t.adjacent
                level: internal
                description: d
                message: m
                pattern: '\d+ ?%'
                evidence:
                  - require: {terms: ["gross margin", "margin call"]}
                    within: 0
            """#
        let set = try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: yaml)])
        let filler = String(repeating: "lorem ipsum dolor ", count: Evaluation.nearbyEvidenceBytes / 18 + 1)
        let text = filler + "5% " + filler + passage + " " + filler
        let nearby = Classifier(policy: set).classify(text)
        let whole = Classifier(policy: set, normalizer: TextNormalizer(), usesWindows: false).classify(text)
        #expect(whole.findings.count == (fires ? 1 : 0))
        #expect(nearby.findings.map(\.range) == whole.findings.map(\.range))
    }

    /// A literal recorded at term starts by both passes, but before fewer next words in the long
    /// item's (`margin` starts `margin call`, evidence, and `margin forecast`, a rule): where a
    /// separator run too long to bound a match makes the evidence matcher's windows come from
    /// the whole item, they must hold the occurrences before `call` too.
    @Test func aLiteralRecordedBeforeFewerNextWordsIsLookedForAgain() throws {
        let yaml = #"""
            version: 1
            rules:
              - id: t.adjacent
                level: internal
                description: d
                message: m
                pattern: '\d+ ?%'
                evidence:
                  - require: {terms: ["gross margin", "margin call"]}
                    within: 0
              - id: t.forecast
                level: internal
                description: d
                message: m
                terms: [margin forecast]
            """#
        let set = try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: yaml)])
        let classifier = Classifier(policy: set)
        let margin = try #require(classifier.keywords.keywords.firstIndex(of: "margin"))
        #expect(classifier.positional[margin] == .termStarts && classifier.longItemPositional[margin] == .termStarts)
        #expect(classifier.longItemRecordsFewer[margin])
        let filler = String(repeating: "the plan was read aloud. ", count: 3000)
        let text = Array((filler + String(repeating: " ", count: 600) + "margin call 12% " + filler).utf8)
        let windowed = classifier.makeSession().classify(bytes: text)
        let whole = Classifier(policy: set, normalizer: TextNormalizer(), usesWindows: false).makeSession().classify(bytes: text)
        #expect(windowed.findings.map(\.ruleID) == ["t.adjacent"])
        #expect(windowed.findings.map(\.range) == whole.findings.map(\.range))
    }

    /// The evidence terms here are used by nothing else: a long item's pass leaves them out,
    /// and their windows come from the chunks near each figure (which the tests above check
    /// against a whole scan); a keyword that also gates a rule stays in the pass.
    @Test func evidenceOnlyTermsAreLeftToTheChunks() throws {
        let set = try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: Self.yamlWithChurnTerms)])
        let classifier = Classifier(policy: set)
        let deferred = try #require(classifier.deferredEvidence)
        let names = Dictionary(uniqueKeysWithValues: classifier.keywords.keywords.enumerated().map { ($1, $0) })
        for term in ["flash", "gross", "margin", "as", "published"] { #expect(deferred.deferred[names[term]!], "\(term)") }
        #expect(!deferred.deferred[names["churn"]!])
        #expect(deferred.chunked == Set(set.rules[0].spec.evidence.map(\.matcher.patternID)))
        let automata = deferred.automata
        let text = Array("gross margin churn 5%".utf8)
        let item = automata.item.scan(text, positional: classifier.positional, nextWords: classifier.nextWords)
        #expect(item.found[names["churn"]!] && !item.found[names["margin"]!])
        let chunk = automata.chunk.scan(text)
        #expect(chunk.found[automata.chunk.local[names["margin"]!]])
        // The chunks' automaton holds the evidence literals alone.
        #expect(automata.chunk.automaton.keywords.sorted() == ["as", "churn", "flash", "gross", "margin", "published"])
        // The evidence list needs `churn` at every word start, the term list only before
        // `forecast`: a long item's pass records only those, and the chunks the others.
        #expect(classifier.positional[names["churn"]!] == .wordStarts)
        #expect(classifier.longItemPositional[names["churn"]!] == .termStarts)
        // Without windows (the reference the tests compare with), nothing is left out.
        #expect(Classifier(policy: set, normalizer: TextNormalizer(), usesWindows: false).deferredEvidence == nil)
    }

    /// Term lists have a length bound: their words, and one separator run between two words.
    @Test func termListsAreBounded() throws {
        let set = try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: Self.yaml)])
        let bounds = set.rules[0].spec.evidence.map(\.matcher.lengthBound)
        // "gross margin" and "as published" with a final `s` on the last word: 12 bytes.
        #expect(bounds == [LengthBound(fixed: 12, separatorRuns: 1), LengthBound(fixed: 12, separatorRuns: 1)])
        #expect(bounds[0]?.bytes(longestRun: 3) == 15)
    }
}
