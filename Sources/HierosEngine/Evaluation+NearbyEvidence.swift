import HierosPCRE2
import HierosPolicy

/// Evidence near a match. In a long document, evidence terms (`revenue`, `margin`) occur
/// thousands of times while the matches they are evidence for (amounts) are few: scanning for
/// them over the whole item was a fifth of a large scan. Near each match is enough, and gives
/// exactly what the whole scan gives.
extension Evaluation {
    /// Items at least this long look for evidence near each match rather than over the whole
    /// item (a post: one scan is cheaper than several).
    static let nearbyEvidenceBytes = 64 << 10

    /// The evidence of one pattern scanned so far: its start windows, which of them have been
    /// scanned, and the accepted matches found in those, sorted.
    struct NearbyEvidence {
        let windows: [Range<Int>]
        var scanned: [Bool]
        var accepted: [SpecMatch]
    }

    /// The accepted matches of `spec`, sorted: all of them, or at least all of those that end
    /// after `low` and start before `high`.
    mutating func evidence(_ spec: MatchSpec, from low: Int, to high: Int) throws(PCRE2Error) -> [SpecMatch] {
        let patternID = spec.patternID
        if let cached = evidenceCache[patternID] { return cached }
        // Near the match only when each match is known to be short, and what it reports is what
        // it matched (not a group, possibly in a lookaround, nor a validator's narrowing).
        if text.bytes.count >= Self.nearbyEvidenceBytes, cache[patternID] == nil, let bound = spec.lengthBound,
           spec.group == 0, spec.validators.isEmpty {
            if nearby[patternID] == nil, let windows = startWindows(of: spec) {
                nearby[patternID] = NearbyEvidence(windows: windows, scanned: Array(repeating: false, count: windows.count),
                                                   accepted: [])
            }
            if nearby[patternID] != nil, let found = try nearbyEvidence(spec, bound: bound, from: low, to: high) {
                return found
            }
        }
        var ignored: [CandidateTrace] = []
        let evidence = try accepted(spec, trace: &ignored).sorted { $0.reported.lowerBound < $1.reported.lowerBound }
        evidenceCache[patternID] = evidence
        return evidence
    }

    /// Scans the start windows of `spec` that a match ending after `low` and starting before
    /// `high` can start in, unless scanned before, and returns what all the scans so far found;
    /// nil when separator runs near `low` are too long to bound a match there.
    ///
    /// Exact: a full scan's matches. A scan carries only where its last match ended from one
    /// window to the next, and a match cannot span more than `reach(before:)` bytes up to a
    /// point; so a scan begun at a window far enough from the one before finds there what a
    /// full scan finds. Each scan begins at such a window, and keeps the matches of the
    /// windows not scanned before.
    private mutating func nearbyEvidence(_ spec: MatchSpec, bound: LengthBound, from low: Int,
                                         to high: Int) throws(PCRE2Error) -> [SpecMatch]? {
        let patternID = spec.patternID
        let windows = nearby[patternID]!.windows
        guard let span = reach(before: low, bound: bound) else { return nil }
        var first = firstIndex(in: windows) { $0.upperBound > low - span }
        let end = firstIndex(in: windows) { $0.lowerBound >= high }
        guard first < end, nearby[patternID]!.scanned[first..<end].contains(false) else { return nearby[patternID]!.accepted }
        // Back to a window no match of the one before can reach; after a window without
        // matches, a scan resumes at most a character (4 bytes) on.
        while first > 0 {
            let start = windows[first].lowerBound, previous = windows[first - 1].upperBound
            if start >= previous + 4, let span = reach(before: start, bound: bound), start - span >= previous { break }
            first -= 1
        }
        let matcher = session.matcher(for: patternID)
        let scanned = Array(windows[first..<end])
        let found = try text.bytes.withUnsafeBufferPointer { buffer throws(PCRE2Error) in
            try matcher.matches(in: buffer, startingIn: scanned)
        }
        var fresh: [Match] = []
        var index = first
        for match in found {
            while windows[index].upperBound <= match.range.lowerBound { index += 1 }
            if !nearby[patternID]!.scanned[index] { fresh.append(match) }
        }
        var ignored: [CandidateTrace] = []
        let accepted = try accepted(spec, among: fresh, trace: &ignored)
        // Taken out of the dictionary while changed, so that its arrays are not copied.
        var state = nearby.removeValue(forKey: patternID)!
        for index in first..<end { state.scanned[index] = true }
        state.accepted = Self.mergedByStart(state.accepted, accepted)
        nearby[patternID] = state
        return state.accepted
    }

    /// Two lists of matches sorted by start, as one: each scan adds a few to many.
    static func mergedByStart(_ first: [SpecMatch], _ second: [SpecMatch]) -> [SpecMatch] {
        guard !second.isEmpty else { return first }
        var merged: [SpecMatch] = []
        merged.reserveCapacity(first.count + second.count)
        var i = 0, j = 0
        while i < first.count || j < second.count {
            if j == second.count || (i < first.count && first[i].reported.lowerBound < second[j].reported.lowerBound) {
                merged.append(first[i])
                i += 1
            } else {
                merged.append(second[j])
                j += 1
            }
        }
        return merged
    }

    /// Bytes before `offset` that a match ending at or after `offset` may start further back
    /// than: one more than the longest a match can span over the text just before `offset`.
    /// Nil when that text has separator runs too long to say (see `nearbyReach`).
    ///
    /// A match from further back would cover all `reach` bytes, and more than it can: the
    /// words in it are at most `bound.fixed` bytes, its separator runs at most
    /// `bound.separatorRuns`, each no longer than the longest run in those bytes.
    private func reach(before offset: Int, bound: LengthBound) -> Int? {
        let bytes = text.bytes
        var longest = 0, current = 0
        for index in max(0, offset - Self.nearbyReach)..<offset {
            current = LengthBound.isSeparator(bytes[index]) ? current + 1 : 0
            longest = max(longest, current)
        }
        let reach = bound.bytes(longestRun: longest) + 1
        return reach <= Self.nearbyReach ? reach : nil
    }

    /// How far back `reach(before:)` looks.
    static let nearbyReach = 512
}
