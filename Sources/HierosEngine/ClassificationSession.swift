import HierosPCRE2
import HierosPolicy
import HierosText

/// Classifies items on one thread, keeping one PCRE2 matcher per pattern between items.
/// Not thread-safe: make one session per thread from a shared `Classifier`.
public final class ClassificationSession {
    /// The classifier this session runs.
    public let classifier: Classifier
    private var matchers: [Matcher?]

    init(classifier: Classifier) {
        self.classifier = classifier
        matchers = Array(repeating: nil, count: classifier.policy.patterns.count)
    }

    /// Classifies a string.
    public func classify(_ text: String) -> Classification { classify(bytes: Array(text.utf8)) }

    /// Classifies raw bytes. Invalid UTF-8 is matched around (PCRE2 `MATCH_INVALID_UTF`) and
    /// makes the item unverified, since the undecodable part could not be checked.
    public func classify(bytes: [UInt8]) -> Classification {
        run(bytes: bytes, tracing: false, deferringCounts: false).classification
    }

    /// Classifies one piece of a larger document: rules with `min_distinct` do not decide
    /// here; their accepted matches come back in `Classification.deferred`, to be counted over
    /// the whole document (see `DeferredMatch`). With it comes the piece's line index, which
    /// placing its findings needed (and built here for a piece without any): the caller counts
    /// the piece's lines from it rather than passing over the piece once more.
    public func classifyPiece(bytes: [UInt8]) -> (classification: Classification, lines: LineIndex) {
        let run = run(bytes: bytes, tracing: false, deferringCounts: true)
        return (run.classification, run.lines ?? LineIndex(bytes))
    }

    /// Classifies and explains: for every rule whose keywords occur, what matched and why it
    /// did or did not fire.
    public func explain(bytes: [UInt8]) -> (Classification, [RuleTrace]) {
        let run = run(bytes: bytes, tracing: true, deferringCounts: false)
        return (run.classification, run.traces)
    }

    /// The classification, the rule traces when `tracing`, and the line index of `bytes` when
    /// one was needed (built at most once: it is a pass over the whole item).
    private func run(bytes: [UInt8], tracing: Bool, deferringCounts: Bool)
        -> (classification: Classification, traces: [RuleTrace], lines: LineIndex?) {
        let policy = classifier.policy
        let text = classifier.normalizer.normalize(bytes)
        // A long item's pass leaves out the evidence terms, looked for near matches only.
        let automata = text.bytes.count >= Evaluation.nearbyEvidenceBytes ? classifier.deferredEvidence?.automata : nil
        let hits = automata.map { $0.item.scan(text.bytes, positional: classifier.longItemPositional,
                                               nextWords: classifier.longItemNextWords) }
            ?? classifier.keywords.scan(text.bytes, positional: classifier.positional, nextWords: classifier.nextWords)
        var evaluation = Evaluation(text: text, session: self, tracing: tracing, hits: hits, deferred: automata)
        var unverified: [Unverified] = []
        var level = policy.scale.lowest
        var found: [(order: Int, range: Range<Int>, rule: Rule)] = []
        var deferred: [(order: Int, range: Range<Int>, rule: Rule, key: String)] = []
        var traces: [RuleTrace] = []
        let keywordFound = hits.found
        for order in policy.rules.indices {
            // Most rules of a short item stop here: test their keywords before copying the rule.
            let ids = classifier.ruleKeywords[order]
            guard ids.isEmpty || ids.contains(where: { keywordFound[$0] }) else { continue }
            let rule = policy.rules[order]
            // The keywords found, for explanations only.
            let present = tracing ? ids.filter { keywordFound[$0] }.map { classifier.keywords.keywords[$0] } : []
            do {
                if deferringCounts && rule.minDistinct > 1 {
                    for (range, key) in try evaluation.countCandidates(rule) { deferred.append((order, range, rule, key)) }
                    continue
                }
                let outcome = try evaluation.evaluate(rule)
                if outcome.fired {
                    level = max(level, rule.level)
                    found += outcome.ranges.map { (order, $0, rule) }
                }
                if tracing { traces.append(evaluation.trace(rule, keywords: present, outcome: outcome)) }
            } catch {
                level = max(level, rule.level)
                let reason = error.isLimit
                    ? "rule \(rule.id) hit a PCRE2 resource limit (\(error.description)); the item could not be fully checked"
                    : "rule \(rule.id) failed while matching: \(error.description)"
                unverified.append(Unverified(ruleID: rule.id, reason: reason))
                if tracing { traces.append(RuleTrace(ruleID: rule.id, keywords: present, candidates: [], distinct: nil,
                                                     minDistinct: rule.minDistinct, fired: false, failure: reason)) }
            }
        }
        var lineIndex: LineIndex?
        func lines() -> LineIndex {
            if let lineIndex { return lineIndex }
            let built = LineIndex(bytes)
            lineIndex = built
            return built
        }
        if let offset = text.firstInvalidUTF8Offset {
            let position = lines().position(of: offset)
            unverified.insert(Unverified(ruleID: nil, reason:
                "input is not valid UTF-8 at \(position.line):\(position.column) (byte \(offset)); the invalid bytes could not be checked"),
                at: 0)
        }
        let findings = found.isEmpty ? [] : makeFindings(found, text: text, lines: lines())
        var pending: [DeferredMatch] = []
        if !deferred.isEmpty {
            let keys = Dictionary(deferred.map { ("\($0.rule.id)@\(text.originalRange($0.range))", ($0.key, $0.rule.minDistinct)) },
                                  uniquingKeysWith: { first, _ in first })
            for finding in makeFindings(deferred.map { ($0.order, $0.range, $0.rule) }, text: text, lines: lines()) {
                let (key, minimum) = keys["\(finding.ruleID)@\(finding.range)"] ?? (finding.excerpt, 1)
                pending.append(DeferredMatch(finding: finding, key: key, minDistinct: minimum))
            }
        }
        return (Classification(level: level, findings: findings, unverified: unverified, deferred: pending), traces, lineIndex)
    }

    private func makeFindings(_ found: [(order: Int, range: Range<Int>, rule: Rule)], text: NormalizedText,
                              lines: LineIndex) -> [Finding] {
        let sorted = found
            .map { (order: $0.order, range: text.originalRange($0.range), rule: $0.rule) }
            .sorted { ($0.range.lowerBound, $0.range.upperBound, $0.order) < ($1.range.lowerBound, $1.range.upperBound, $1.order) }
        // Sorted by range, then rule: a rule's findings of one range are neighbours.
        return sorted.indices
            .filter { $0 == 0 || (sorted[$0 - 1].order, sorted[$0 - 1].range) != (sorted[$0].order, sorted[$0].range) }
            .map { index in
                let item = sorted[index]
                let position = lines.position(of: item.range.lowerBound)
                return Finding(ruleID: item.rule.id, level: item.rule.level, tags: item.rule.tags, message: item.rule.message,
                               range: item.range, line: position.line, column: position.column,
                               excerpt: Excerpt.masked(text.original[item.range]))
            }
    }

    func matcher(for patternID: Int) -> Matcher {
        if let matcher = matchers[patternID] { return matcher }
        let compiled = classifier.policy.patterns[patternID]
        let matcher = Matcher(pattern: compiled.pattern, limits: compiled.limits)
        matchers[patternID] = matcher
        return matcher
    }
}

