import HierosPolicy
import HierosText
import Synchronization

/// Evidence literals that a long item's keyword pass leaves out.
///
/// Evidence terms (`revenue`, `margin`, `in principle`) are the most frequent keywords of
/// corporate prose, and only the few stretches near a match (an amount) need them. In an item
/// of `Evaluation.nearbyEvidenceBytes` or more, evidence is looked for near each match anyway
/// (`nearbyEvidence`); there, the keywords that only evidence term lists use are left out of
/// the pass over the whole item, and looked for in the chunks around each match instead. Were
/// they kept, recording and sorting their occurrences was two fifths of a large scan.
final class DeferredEvidence: Sendable {
    /// By keyword id: left out of a long item's pass.
    let deferred: [Bool]
    /// Pattern ids of the evidence matchers whose windows come from chunks (`chunkable`).
    let chunked: Set<Int>
    /// By keyword id: what the pass over a chunk looks for: every literal of a chunked matcher.
    private let nearby: [Bool]
    private let keywords: [String]
    /// What the classifier's pass records, by keyword id (the chunks record the same).
    private let positional: [KeywordAutomaton.Positions]
    private let nextWords: [NextWord]
    /// Built on the first long item: a check of one post never needs them.
    private let built = Mutex<Automata?>(nil)

    /// The pass over a long item (all keywords but the deferred ones), and the pass over a chunk.
    struct Automata: Sendable {
        let item: KeywordAutomaton
        let chunk: ChunkPass
    }

    /// The pass over a chunk near a match (or over a whole item, for deferred keywords needed
    /// everywhere): an automaton of the chunked matchers' literals alone, with ids of its own.
    /// A scan costs arrays and loops per keyword of its automaton: over the ids of every
    /// keyword of the policy, a 1 KiB chunk cost four times its bytes' walk.
    struct ChunkPass: Sendable {
        let automaton: KeywordAutomaton
        /// By keyword id of the classifier: its id in `automaton`, or -1.
        let local: [Int]
        private let positional: [KeywordAutomaton.Positions]
        private let nextWords: [NextWord]

        init(keywords: [String], nearby: [Bool], positional: [KeywordAutomaton.Positions], nextWords: [NextWord]) {
            let ids = keywords.indices.filter { nearby[$0] }
            automaton = KeywordAutomaton(keywords: ids.map { keywords[$0] })
            var local = Array(repeating: -1, count: keywords.count)
            for (index, id) in ids.enumerated() { local[id] = index }
            self.local = local
            self.positional = ids.map { positional[$0] }
            self.nextWords = ids.map { nextWords[$0] }
        }

        /// The occurrences in `bytes[range]` (all of it by default), recorded as the classifier's
        /// pass records them.
        func scan(_ bytes: [UInt8], in range: Range<Int>? = nil) -> KeywordAutomaton.Hits {
            automaton.scan(bytes, in: range, positional: positional, nextWords: nextWords)
        }

        /// The recorded end offsets of keyword `id` (of the classifier) in `hits` of this pass.
        func ends(of id: Int, in hits: KeywordAutomaton.Hits) -> ArraySlice<Int>? {
            local[id] < 0 ? nil : hits.ends[local[id]]
        }
    }

    /// Nil when no keyword can be left out.
    init?(policy: PolicySet, keywords: [String], ids: [String: Int], positional: [KeywordAutomaton.Positions],
          nextWords: [NextWord]) {
        var needed = Set(policy.rules.flatMap(\.keywords).compactMap { ids[$0] })
        var chunked: Set<Int> = []
        var nearby = Array(repeating: false, count: keywords.count)
        func visit(_ spec: MatchSpec, isEvidence: Bool) {
            if let window = spec.window {
                let literals = window.literals.compactMap { ids[$0] }
                if isEvidence && Self.chunkable(spec) {
                    chunked.insert(spec.patternID)
                    for id in literals { nearby[id] = true }
                } else {
                    needed.formUnion(literals)
                    needed.formUnion(window.openers.compactMap { ids[$0] })
                }
            }
            for clause in spec.evidence { visit(clause.matcher, isEvidence: true) }
        }
        for rule in policy.rules { visit(rule.spec, isEvidence: false) }
        // Every literal of a chunkable window starts words, so what is left is recorded at word
        // starts only: a literal some window needs at every occurrence is `needed`.
        let deferred = keywords.indices.map { nearby[$0] && !needed.contains($0) }
        guard deferred.contains(true) else { return nil }
        self.deferred = deferred
        self.chunked = chunked
        self.nearby = nearby
        self.keywords = keywords
        self.positional = positional
        self.nextWords = nextWords
    }

    /// Whether the windows of an evidence matcher can be found chunk by chunk near matches:
    /// it is looked for near matches at all (`canLookNearby`), and each of its windows is the
    /// one byte where a term starts a word with an ASCII letter or digit, so that two windows
    /// never touch and a chunk's windows are those of the terms that start in it.
    static func chunkable(_ spec: MatchSpec) -> Bool {
        guard canLookNearby(spec), let window = spec.window, window.lead == 0, window.startsWord, window.openers.isEmpty,
              window.leadBytes == nil, spec.digitWindow == nil, spec.digitOrColonWindow == nil else { return false }
        return window.literals.allSatisfy { $0.utf8.first.map(ByteScan.isASCIIAlphanumeric) ?? false }
    }

    /// Whether evidence of `spec` in a long item is looked for near each match: each match is
    /// known to be short, and what it reports is what it matched (not a group, possibly in a
    /// lookaround, nor a validator's narrowing).
    static func canLookNearby(_ spec: MatchSpec) -> Bool {
        spec.lengthBound != nil && spec.group == 0 && spec.validators.isEmpty
    }

    var automata: Automata {
        built.withLock { built in
            if let built { return built }
            let automata = Automata(item: KeywordAutomaton(keywords: keywords, including: deferred.map { !$0 }),
                                    chunk: ChunkPass(keywords: keywords, nearby: nearby, positional: positional,
                                                     nextWords: nextWords))
            built = automata
            return automata
        }
    }
}
