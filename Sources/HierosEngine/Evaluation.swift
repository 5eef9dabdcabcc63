import HierosPCRE2
import HierosPolicy
import HierosText

/// A match of a `MatchSpec` that passed its validators and evidence, in normalised bytes.
struct SpecMatch {
    /// The whole match: what evidence windows are measured from.
    var whole: Range<Int>
    /// The reported group (possibly narrowed by a validator).
    var reported: Range<Int>
}

/// The result of one rule on one item.
struct RuleOutcome {
    var fired: Bool
    var ranges: [Range<Int>]
    var candidates: [CandidateTrace]
    var distinct: Int?
}

/// Evaluates rules on one normalised item; caches each pattern's matches for the item, so an
/// evidence list shared by several rules is matched once.
struct Evaluation {
    let text: NormalizedText
    unowned let session: ClassificationSession
    let tracing: Bool
    private(set) var cache: [Int: [Match]] = [:]
    /// Accepted matches of evidence matchers, by pattern id, sorted by position.
    var evidenceCache: [Int: [SpecMatch]] = [:]
    /// Runs of ASCII digits, found when a pattern with a digit window first needs them.
    private var digitRuns: [Range<Int>]?
    private var digitOrColonRuns: [Range<Int>]?
    /// Evidence found so far near matches, by pattern id, for long items (see `nearbyEvidence`).
    var nearby: [Int: NearbyEvidence] = [:]

    /// Keyword occurrences, for running windowed patterns only where they can match.
    let hits: KeywordAutomaton.Hits
    /// For a long item, the passes that leave evidence terms out (`DeferredEvidence`).
    let deferred: DeferredEvidence.Automata?
    /// The deferred keywords' occurrences over the whole item, when something needs them all.
    private var deferredHits: KeywordAutomaton.Hits?
    /// The occurrences of chunked evidence literals in each chunk looked at, by chunk number.
    var chunkHits: [Int: KeywordAutomaton.Hits] = [:]

    init(text: NormalizedText, session: ClassificationSession, tracing: Bool, hits: KeywordAutomaton.Hits,
         deferred: DeferredEvidence.Automata? = nil) {
        self.text = text
        self.session = session
        self.tracing = tracing
        self.hits = hits
        self.deferred = deferred
    }

    /// The end offsets of keyword `id`'s recorded occurrences, and which of them were recorded;
    /// nil when it was too frequent to track. A keyword the pass left out, or recorded more
    /// narrowly than the windows of a chunked evidence matcher (`chunked`) need (in a narrower
    /// mode, or before fewer next words), is looked for over the whole item the first time (see
    /// `Classifier.longItemPositional`).
    private mutating func ends(of id: Int, chunked: Bool) -> (ends: ArraySlice<Int>, recorded: KeywordAutomaton.Positions)? {
        // Through `session.classifier` each time: a local copy of the classifier retained and
        // released every array it holds, on every window of every post.
        let positional = session.classifier.positional[id]
        guard let deferred else { return hits.ends[id].map { ($0, positional) } }
        let longItemPositional = session.classifier.longItemPositional[id]
        guard session.classifier.deferredEvidence?.deferred[id] == true || (chunked && session.classifier.longItemRecordsFewer[id])
        else {
            return hits.ends[id].map { ($0, longItemPositional) }
        }
        if deferredHits == nil {
            deferredHits = deferred.chunk.scan(text.bytes)
        }
        return deferred.chunk.ends(of: id, in: deferredHits!).map { ($0, positional) }
    }

    mutating func evaluate(_ rule: Rule) throws(PCRE2Error) -> RuleOutcome {
        var candidates: [CandidateTrace] = []
        let matches = try allowedMatches(rule, trace: &candidates)
        var outcome = RuleOutcome(fired: !matches.isEmpty, ranges: matches.map(\.reported), candidates: candidates)
        if rule.minDistinct > 1 {
            let distinct = Set(matches.map { Array(text.bytes[$0.reported]) }).count
            outcome.distinct = distinct
            if distinct < rule.minDistinct {
                outcome.fired = false
                outcome.ranges = []
            }
        }
        return outcome
    }

    /// Whether an allow entry of the rule drops `match` (a known fixture, an example domain…).
    private func isAllowed(_ match: SpecMatch, by allow: [AllowRule]) throws(PCRE2Error) -> Bool {
        for entry in allow {
            switch entry {
            case .stopwords(let words):
                let reported = String(decoding: text.bytes[match.reported], as: UTF8.self).lowercased()
                if words.contains(where: reported.contains) { return true }
            case .pattern(let patternID, let target):
                let range: Range<Int>
                switch target {
                case .secret: range = match.reported
                case .match: range = match.whole
                case .line: range = lineRange(around: match.whole)
                }
                // The target is matched as a text of its own, so `^` and `$` anchor to it.
                let matcher = session.matcher(for: patternID)
                let found = try text.bytes.withUnsafeBufferPointer { buffer throws(PCRE2Error) in
                    try matcher.firstMatch(in: UnsafeBufferPointer(rebasing: buffer[range]), from: 0)
                }
                if found != nil { return true }
            }
        }
        return false
    }

    private func lineRange(around range: Range<Int>) -> Range<Int> {
        let bytes = text.bytes
        var start = range.lowerBound, end = range.upperBound
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        return start..<end
    }

    /// A rule's accepted matches less those its allow entries drop.
    private mutating func allowedMatches(_ rule: Rule, trace: inout [CandidateTrace]) throws(PCRE2Error) -> [SpecMatch] {
        let matches = try accepted(rule.spec, trace: &trace)
        guard !rule.allow.isEmpty else { return matches }
        var kept: [SpecMatch] = []
        for match in matches where try !isAllowed(match, by: rule.allow) { kept.append(match) }
        return kept
    }

    /// The accepted matches of a `min_distinct` rule with their distinct keys (normalised
    /// text), for counting over a whole document that is classified in pieces.
    mutating func countCandidates(_ rule: Rule) throws(PCRE2Error) -> [(Range<Int>, String)] {
        var ignored: [CandidateTrace] = []
        let matches = try allowedMatches(rule, trace: &ignored)
        return matches.map { ($0.reported, String(decoding: text.bytes[$0.reported], as: UTF8.self)) }
    }

    /// Where the matches of `spec` can start (sorted, disjoint), or nil: anywhere.
    mutating func startWindows(of spec: MatchSpec) -> [Range<Int>]? {
        guard session.classifier.usesWindows else { return nil }
        // Every match starts in both kinds of window: where both are known, only in both.
        // Literal windows are sorted, which costs more than it saves when the literals are
        // far more frequent than runs of digits (an IBAN's 80 two-letter country codes: it,
        // is, at, no…): then the digits alone are used.
        var windows: [Range<Int>]?
        var digits: [Range<Int>]?
        if let lead = spec.digitWindow {
            digits = digitStartWindows(lead: lead, colons: false)
        } else if let lead = spec.digitOrColonWindow {
            digits = digitStartWindows(lead: lead, colons: true)
        }
        if let window = spec.window {
            windows = startWindows(spec.patternID, window: window, atMost: digits.map { 4 * $0.count } ?? Int.max)
        }
        if let digits { windows = windows.map { Self.intersection($0, digits) } ?? digits }
        return windows
    }

    private mutating func rawMatches(_ spec: MatchSpec) throws(PCRE2Error) -> [Match] {
        let patternID = spec.patternID
        if let cached = cache[patternID] { return cached }
        let windows = startWindows(of: spec)
        if windows?.isEmpty == true {
            cache[patternID] = []
            return []
        }
        let matcher = session.matcher(for: patternID)
        let found = try text.bytes.withUnsafeBufferPointer { buffer throws(PCRE2Error) in
            if let windows { return try matcher.matches(in: buffer, startingIn: windows) }
            return try matcher.allMatches(in: buffer)
        }
        cache[patternID] = found
        return found
    }

    /// The offsets where a match can start: at most `lead` bytes before each occurrence of a
    /// literal every match holds, and no further back than the run of bytes that can precede
    /// the literal (`leadBytes`); with openers, only where one of them starts in those windows.
    /// Nil when a literal was too frequent to track, or when the literals occur more than
    /// `atMost` times (then other windows are cheaper than sorting these).
    private mutating func startWindows(_ patternID: Int, window: MatchWindow, atMost: Int) -> [Range<Int>]? {
        guard let ids = session.classifier.windowLiterals[patternID] else { return nil }
        let chunked = session.classifier.deferredEvidence?.chunked.contains(patternID) == true
        var total = 0
        var ends: [ArraySlice<Int>] = [], recorded: [KeywordAutomaton.Positions] = []
        for id in ids {
            guard let found = self.ends(of: id, chunked: chunked) else { return nil }
            total += found.ends.count
            ends.append(found.ends)
            recorded.append(found.recorded)
        }
        guard total <= atMost else { return nil }
        if let closer = window.closer { return closerWindows(closer, lead: window.lead, ids: ids, ends: ends) }
        let merged = literalWindows(window, ids: ids, ends: ends, recorded: recorded, total: total)
        guard let openers = session.classifier.windowOpeners[patternID] else { return merged }
        return narrowed(merged, to: openers) ?? merged
    }

    /// The start windows around the occurrences `ends` of a window's literals `ids` (one list
    /// per literal, holding the occurrences `recorded` says), sorted and merged.
    func literalWindows(_ window: MatchWindow, ids: [Int], ends: [ArraySlice<Int>], recorded: [KeywordAutomaton.Positions],
                        total: Int) -> [Range<Int>] {
        var windows: [Range<Int>] = []
        windows.reserveCapacity(total)
        let bytes = text.bytes
        for (index, id) in ids.enumerated() {
            let length = session.classifier.keywords.keywords[id].utf8.count
            // The scan kept only word starts (followed by a term's next word) already, unless
            // another window needs more of them.
            let recorded = recorded[index]
            let gluedToo = window.startsWord && recorded == .all
            let next = recorded == .termStarts || window.nextWords.isEmpty ? nil : window.nextWords[index]
            // The last occurrence's start and where its window began: a walk back that reaches it
            // stops there, so that each byte is walked over once per literal, however long a run
            // of lead bytes (a window with no bound but its lead bytes' runs).
            var previous = (start: -1, lower: 0)
            for end in ends[index] {
                let start = end - length
                if gluedToo, start > 0, ByteScan.isASCIIAlphanumeric(bytes[start - 1]) { continue }
                if let next, !bytes.withUnsafeBufferPointer({ next.admits($0, after: end) }) { continue }
                var lower = max(0, start - window.lead)
                if let leadBytes = window.leadBytes {
                    var first = start
                    while first > lower, leadBytes.contains(bytes[first - 1]) {
                        first -= 1
                        if first == previous.start {
                            first = max(previous.lower, lower)
                            break
                        }
                    }
                    previous = (start, first)
                    lower = first
                }
                windows.append(lower..<(start + 1))
            }
        }
        windows.sort { $0.lowerBound < $1.lowerBound }
        return Self.merged(windows)
    }

    /// The start windows of a pattern whose literal comes after a closer and a gap: from each
    /// occurrence `ends` of its literals `ids`, back over the run of gap bytes before it (its
    /// whole run, see `LeadCloser`), to a closer that ends where the run begins; then at most
    /// `reach` bytes back, and no further than `lead` before the occurrence.
    func closerWindows(_ closer: LeadCloser, lead: Int, ids: [Int], ends: [ArraySlice<Int>]) -> [Range<Int>] {
        var windows: [Range<Int>] = []
        text.bytes.withUnsafeBufferPointer { bytes in
            for (index, id) in ids.enumerated() {
                let length = session.classifier.keywords.keywords[id].utf8.count
                for end in ends[index] {
                    let start = end - length
                    var gapStart = start
                    // One byte past the longest gap is enough to know the run is too long.
                    while gapStart > 0, start - gapStart <= closer.gapMaximum, closer.gap.contains(bytes[gapStart - 1]) { gapStart -= 1 }
                    guard gapStart < start, start - gapStart <= closer.gapMaximum else { continue }
                    let lower = max(gapStart - min(closer.reach, gapStart), start - min(lead, start))
                    for word in closer.closers where Self.endsWithCaseless(bytes, at: gapStart, word) {
                        let upper = gapStart - word.utf8.count + 1
                        if lower < upper { windows.append(lower..<upper) }
                    }
                }
            }
        }
        windows.sort { $0.lowerBound < $1.lowerBound }
        return Self.merged(windows)
    }

    /// Whether the bytes just before `offset` are `word` (lowercase ASCII), in either case.
    static func endsWithCaseless(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ word: String) -> Bool {
        let count = word.utf8.count
        guard offset >= count else { return false }
        var index = offset - count
        for byte in word.utf8 {
            let found = bytes[index]
            guard found == byte || ((0x41...0x5A).contains(found) && found | 0x20 == byte) else { return false }
            index += 1
        }
        return true
    }

    /// The offsets in `windows` (sorted, disjoint) where one of the opener keywords `ids`
    /// starts, as one-byte windows; nil when an opener was too frequent to track. Each opener's
    /// occurrences are in order, so each is walked once beside the windows.
    private mutating func narrowed(_ windows: [Range<Int>], to ids: [Int]) -> [Range<Int>]? {
        var starts: [Int] = []
        for id in ids {
            guard let ends = self.ends(of: id, chunked: false)?.ends else { return nil }
            let length = session.classifier.keywords.keywords[id].utf8.count
            var index = 0
            for end in ends {
                let start = end - length
                while index < windows.count, windows[index].upperBound <= start { index += 1 }
                guard index < windows.count else { break }
                if windows[index].lowerBound <= start { starts.append(start) }
            }
        }
        starts.sort()
        return Self.merged(starts.map { $0..<($0 + 1) })
    }

    /// Ranges sorted by lower bound, with the overlapping and touching ones joined.
    static func merged(_ sorted: [Range<Int>]) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for window in sorted where !window.isEmpty {
            if let last = merged.last, window.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, window.upperBound)
            } else {
                merged.append(window)
            }
        }
        return merged
    }

    /// The offsets in both lists of sorted, disjoint ranges.
    static func intersection(_ first: [Range<Int>], _ second: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = 0, j = 0
        while i < first.count, j < second.count {
            let lower = max(first[i].lowerBound, second[j].lowerBound), upper = min(first[i].upperBound, second[j].upperBound)
            if lower < upper { result.append(lower..<upper) }
            if first[i].upperBound < second[j].upperBound { i += 1 } else { j += 1 }
        }
        return result
    }

    /// The offsets where a match whose first digit (or colon) is at most `lead` bytes after its
    /// start can start: from `lead` bytes before a run of them to the run's end.
    private mutating func digitStartWindows(lead: Int, colons: Bool) -> [Range<Int>] {
        let runs = (colons ? digitOrColonRuns : digitRuns) ?? Self.digitRuns(in: text.bytes, colons: colons)
        if colons { digitOrColonRuns = runs } else { digitRuns = runs }
        return Self.merged(runs.map { max(0, $0.lowerBound - lead)..<$0.upperBound })
    }

    /// The maximal runs of ASCII digits (and colons, with `colons`), in order.
    static func digitRuns(in bytes: [UInt8], colons: Bool = false) -> [Range<Int>] {
        // `:` is 0x3A, next to the digits, and among the digit-like bytes the skip flags.
        let span: UInt8 = colons ? 11 : 10
        var runs: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            let count = buffer.count
            while index < count {
                // Sixteen bytes at a time through prose without digits, unchecked.
                if let base = buffer.baseAddress {
                    let raw = UnsafeRawPointer(base)
                    while index &+ 16 <= count,
                          ByteScan.digitLikeBytes(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                            | ByteScan.digitLikeBytes(raw.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self)) == 0 {
                        index &+= 16
                    }
                }
                if index == count { break }
                if index + 8 <= count {
                    // Straight to the first digit-like byte of the word (the flags are exact per
                    // byte): amounts and dates are frequent, and stepping a byte at a time up to
                    // each was most of this pass.
                    let flags = ByteScan.digitLikeBytes(ByteScan.word(buffer, at: index))
                    guard flags != 0 else {
                        index += 8
                        continue
                    }
                    index += flags.trailingZeroBitCount / 8
                }
                guard buffer[index] &- 0x30 < span else { index += 1; continue }
                let start = index
                while index < count, buffer[index] &- 0x30 < span { index += 1 }
                runs.append(start..<index)
            }
        }
        return runs
    }

    /// Matches of `spec` that pass its validators and evidence clauses.
    mutating func accepted(_ spec: MatchSpec, trace: inout [CandidateTrace]) throws(PCRE2Error) -> [SpecMatch] {
        try accepted(spec, among: rawMatches(spec), trace: &trace)
    }

    /// Those of `matches` (of `spec`'s pattern) that pass its validators and evidence clauses.
    mutating func accepted(_ spec: MatchSpec, among matches: [Match],
                           trace: inout [CandidateTrace]) throws(PCRE2Error) -> [SpecMatch] {
        var result: [SpecMatch] = []
        for match in matches {
            guard let group = match.groups[spec.group], !group.isEmpty else { continue }
            var candidate = SpecMatch(whole: match.range, reported: group)
            var rejection: String?
            for validator in spec.validators {
                guard let narrowed = ValidatorRunner.accept(validator, bytes: text.bytes, range: candidate.reported) else {
                    rejection = "validator \(validator) failed"
                    break
                }
                candidate.reported = narrowed
            }
            var evidenceNotes: [String] = []
            if rejection == nil {
                for (index, clause) in spec.evidence.enumerated() {
                    let near = try nearEvidence(clause, around: candidate.whole)
                    let note = "evidence #\(index + 1) \(clause.kind.rawValue) [\(clause.matcher.summary)] within \(clause.within) words \(clause.side.rawValue)"
                    if tracing {
                        let seen = near.map { Excerpt.masked(text.bytes[$0.reported]) }
                        evidenceNotes.append(note + (seen.isEmpty ? ": none in window" : ": found " + seen.joined(separator: ", ")))
                    }
                    if clause.kind == .require && near.isEmpty { rejection = note + ": not found"; break }
                    if clause.kind == .unless && !near.isEmpty { rejection = note + ": present"; break }
                }
            }
            if tracing {
                trace.append(CandidateTrace(range: text.originalRange(candidate.reported),
                                            excerpt: Excerpt.masked(text.bytes[candidate.reported]),
                                            window: window(around: candidate.whole, spec: spec),
                                            evidence: evidenceNotes, rejectedBy: rejection))
            }
            if rejection == nil { result.append(candidate) }
        }
        return result
    }

    /// The accepted evidence of `clause` within its window around `main`. Evidence is matched
    /// once per item; the window is two byte limits, found by binary search in the sorted
    /// evidence, so the cost per candidate does not grow with the number of evidence matches.
    private mutating func nearEvidence(_ clause: EvidenceClause, around main: Range<Int>) throws(PCRE2Error) -> [SpecMatch] {
        let back = WordWindow.backwardLimit(in: text.bytes, before: main.lowerBound, words: clause.within)
        let forward = WordWindow.forwardLimit(in: text.bytes, after: main.upperBound, words: clause.within)
        let low = min(back, main.lowerBound), high = max(forward, main.upperBound)
        let evidence = try evidence(clause.matcher, from: low, to: high)
        guard !evidence.isEmpty else { return [] }
        // Evidence starting before `high` and ending after `low`; matches do not overlap, so
        // both bounds are monotonic in the sorted list.
        let end = firstIndex(in: evidence) { $0.reported.lowerBound >= high }
        let start = firstIndex(in: evidence) { $0.reported.upperBound > low }
        guard start < end else { return [] }
        return evidence[start..<end].filter { item in
            let range = item.reported
            switch clause.side {
            case .before: return range.lowerBound < main.lowerBound
            case .after: return range.lowerBound > main.lowerBound || range == main
            case .either: return true
            }
        }
    }

    /// The first index whose element satisfies a predicate that is false then true along the list.
    func firstIndex<Element>(in items: [Element], where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = items.count
        while low < high {
            let mid = (low + high) / 2
            if predicate(items[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// The original range of the widest evidence window around `main`, and its width in words.
    private func window(around main: Range<Int>, spec: MatchSpec) -> EvidenceWindow? {
        guard let widest = spec.evidence.map(\.within).max() else { return nil }
        let start = WordWindow.backwardLimit(in: text.bytes, before: main.lowerBound, words: widest)
        let end = WordWindow.forwardLimit(in: text.bytes, after: main.upperBound, words: widest)
        return EvidenceWindow(range: text.originalRange(start..<max(start, end)), words: widest)
    }

    func trace(_ rule: Rule, keywords: [String], outcome: RuleOutcome) -> RuleTrace {
        RuleTrace(ruleID: rule.id, keywords: keywords, candidates: outcome.candidates, distinct: outcome.distinct,
                  minDistinct: rule.minDistinct, fired: outcome.fired, failure: nil)
    }
}

/// Why a rule did or did not fire on an item (for `hieros explain`).
public struct RuleTrace: Sendable {
    public let ruleID: String
    /// The rule's keywords found in the item (empty for a rule without keywords).
    public let keywords: [String]
    /// Every match of the rule's pattern, accepted or not.
    public let candidates: [CandidateTrace]
    /// Number of distinct accepted matches, for rules with `min_distinct`.
    public let distinct: Int?
    /// The rule's `min_distinct` (1 when it has none).
    public let minDistinct: Int
    public let fired: Bool
    /// Set when the rule could not run to completion.
    public let failure: String?
}

/// One match of a rule's pattern and what became of it.
public struct CandidateTrace: Sendable {
    /// Original byte range of the reported text.
    public let range: Range<Int>
    /// Masked text.
    public let excerpt: String
    /// The widest evidence window looked at, when the rule has evidence.
    public let window: EvidenceWindow?
    /// What each evidence clause found.
    public let evidence: [String]
    /// Nil when the match was accepted; otherwise why it was not.
    public let rejectedBy: String?
}

/// The stretch of an item an evidence clause looked at.
public struct EvidenceWindow: Sendable {
    /// Original byte range.
    public let range: Range<Int>
    /// Words allowed either side of the match.
    public let words: Int
}
