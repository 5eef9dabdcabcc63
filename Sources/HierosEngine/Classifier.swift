import HierosPolicy
import HierosText

/// Classifies items against a policy set. Immutable and `Sendable`: share one per process.
public struct Classifier: Sendable {
    /// The policy set applied.
    public let policy: PolicySet
    /// The normalisation applied to items before matching.
    public let normalizer: TextNormalizer
    /// Every keyword of every rule, in one automaton.
    let keywords: KeywordAutomaton
    /// For each rule (in policy order), the ids of its keywords; empty: the rule always runs.
    let ruleKeywords: [[Int]]
    /// For each pattern with a window (main or evidence, by pattern id), its window literals' ids.
    let windowLiterals: [Int: [Int]]
    /// For each pattern whose window has openers (by pattern id), the openers' ids.
    let windowOpeners: [Int: [Int]]
    /// Which keyword ids are window literals, whose positions the scan records: only where a
    /// word starts when every window that uses the literal wants only those.
    let positional: [KeywordAutomaton.Positions]
    /// For each keyword id recorded at `.termStarts`, what must follow it (the union over the
    /// term windows that use it); unused for the others.
    let nextWords: [NextWord]
    /// `positional` and `nextWords` for the pass over a long item, which leaves the windows of
    /// chunked evidence matchers to the chunks near matches (`DeferredEvidence`): a literal
    /// that a term list needs only before its term's next word, but that an evidence list
    /// needs at every word start (`board` of *board minutes* and of the deal-context words),
    /// is recorded there only before a next word. Recording every `board` and `offre` of a
    /// long item was a fifth of its recorded occurrences, for windows nothing used.
    let longItemPositional: [KeywordAutomaton.Positions]
    let longItemNextWords: [NextWord]
    /// By keyword id: whether the long item's pass records fewer occurrences than `positional`
    /// and `nextWords` ask for (a narrower mode, or at term starts before fewer next words).
    let longItemRecordsFewer: [Bool]
    /// The keywords a long item's pass leaves to the chunks near matches (nil: none, or no
    /// windows).
    let deferredEvidence: DeferredEvidence?
    /// Whether patterns run only in windows around their literals or digits (off: over the
    /// whole item, which the tests use to show that windows change nothing).
    let usesWindows: Bool

    public init(policy: PolicySet, normalizer: TextNormalizer = TextNormalizer()) {
        self.init(policy: policy, normalizer: normalizer, usesWindows: true)
    }

    init(policy: PolicySet, normalizer: TextNormalizer, usesWindows: Bool) {
        self.policy = policy
        self.normalizer = normalizer
        self.usesWindows = usesWindows
        var windowed: [(Int, MatchWindow)] = []
        func collect(_ spec: MatchSpec) {
            if let window = spec.window { windowed.append((spec.patternID, window)) }
            for clause in spec.evidence { collect(clause.matcher) }
        }
        for rule in policy.rules { collect(rule.spec) }
        let all = Array(Set(policy.rules.flatMap(\.keywords) + windowed.flatMap { $0.1.literals + $0.1.openers })).sorted()
        let ids = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
        keywords = KeywordAutomaton(keywords: all)
        ruleKeywords = policy.rules.map { $0.keywords.compactMap { ids[$0] } }
        windowLiterals = Dictionary(windowed.map { ($0.0, $0.1.literals.compactMap { ids[$0] }) }, uniquingKeysWith: { first, _ in first })
        windowOpeners = Dictionary(windowed.filter { !$0.1.openers.isEmpty }.map { ($0.0, $0.1.openers.compactMap { ids[$0] }) },
                                   uniquingKeysWith: { first, _ in first })
        (positional, nextWords) = Self.recorded(windowed.map(\.1), ids: ids)
        let deferredEvidence = usesWindows ? DeferredEvidence(policy: policy, keywords: all, ids: ids, positional: positional,
                                                                 nextWords: nextWords) : nil
        self.deferredEvidence = deferredEvidence
        if let chunked = deferredEvidence?.chunked {
            (longItemPositional, longItemNextWords) = Self.recorded(windowed.filter { !chunked.contains($0.0) }.map(\.1), ids: ids)
        } else {
            (longItemPositional, longItemNextWords) = (positional, nextWords)
        }
        longItemRecordsFewer = all.indices.map { [positional, nextWords, longItemPositional, longItemNextWords] id in
            longItemPositional[id] != positional[id] || (positional[id] == .termStarts && longItemNextWords[id] != nextWords[id])
        }
    }

    /// Which occurrences of each keyword a pass records for `windows`, and for those recorded
    /// at term starts, what must follow them (the union over the term windows that use them).
    private static func recorded(_ windows: [MatchWindow], ids: [String: Int])
        -> (positional: [KeywordAutomaton.Positions], nextWords: [NextWord]) {
        var positional = Array(repeating: KeywordAutomaton.Positions.none, count: ids.count)
        // What follows each literal, while every term window that uses it knows.
        var next = Array(repeating: NextWord?.none, count: ids.count)
        var nextKnown = Array(repeating: true, count: ids.count)
        for window in windows {
            for (index, literal) in window.literals.enumerated() {
                guard let id = ids[literal] else { continue }
                let known = window.nextWords.isEmpty ? nil : window.nextWords[index]
                if let known, nextKnown[id] { next[id] = next[id].map(known.union) ?? known } else { nextKnown[id] = false }
                if positional[id] != .all { positional[id] = window.startsWord ? .wordStarts : .all }
            }
            for id in window.openers.compactMap({ ids[$0] }) { positional[id] = .all }
        }
        for id in positional.indices where positional[id] == .wordStarts && nextKnown[id] && next[id] != nil {
            positional[id] = .termStarts
        }
        return (positional, next.map { $0 ?? NextWord(between: ByteSet(), starts: ByteSet()) })
    }

    /// A session for one thread; reuse it for many items to avoid reallocating match data.
    public func makeSession() -> ClassificationSession { ClassificationSession(classifier: self) }

    /// Classifies a string (convenience for one item; use a session for many).
    public func classify(_ text: String) -> Classification { makeSession().classify(text) }

    /// Classifies raw bytes, which may be invalid UTF-8 (the item is then unverified).
    public func classify(bytes: [UInt8]) -> Classification { makeSession().classify(bytes: bytes) }

    /// The pre-publication verdict of an already classified item on `channel`.
    public func verdict(for classification: Classification, channel: String) -> Verdict {
        let resolution = policy.resolveChannel(channel)
        let exceeds = classification.level > resolution.channel.maxLevel
        let decision: Verdict.Decision = exceeds || !classification.isVerified ? .block : .allow
        return Verdict(decision: decision, channel: resolution, classification: classification)
    }

    /// Classifies `text` and decides whether it may be published on `channel`.
    public func check(_ text: String, channel: String) -> Verdict {
        verdict(for: classify(text), channel: channel)
    }
}
