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
        /// All the windows; or, for a chunked matcher, those of the chunks looked at so far.
        var windows: [Range<Int>]
        var scanned: [Bool]
        var accepted: [SpecMatch]
        /// For a chunked matcher (`DeferredEvidence`), which chunks' windows are known.
        var chunks: [Bool]?
    }

    /// The length of a chunk of a long item looked for deferred evidence terms at once.
    static let evidenceChunk = 1024

    /// The accepted matches of `spec`, sorted: all of them, or at least all of those that end
    /// after `low` and start before `high`.
    mutating func evidence(_ spec: MatchSpec, from low: Int, to high: Int) throws(PCRE2Error) -> [SpecMatch] {
        let patternID = spec.patternID
        if let cached = evidenceCache[patternID] { return cached }
        if text.bytes.count >= Self.nearbyEvidenceBytes, cache[patternID] == nil, DeferredEvidence.canLookNearby(spec),
           let bound = spec.lengthBound {
            if nearby[patternID] == nil {
                if deferred != nil, session.classifier.deferredEvidence?.chunked.contains(patternID) == true {
                    let chunks = (text.bytes.count + Self.evidenceChunk - 1) / Self.evidenceChunk
                    nearby[patternID] = NearbyEvidence(windows: [], scanned: [], accepted: [],
                                                       chunks: Array(repeating: false, count: chunks))
                } else if let windows = startWindows(of: spec) {
                    nearby[patternID] = NearbyEvidence(windows: windows, scanned: Array(repeating: false, count: windows.count),
                                                       accepted: [], chunks: nil)
                }
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
        guard let span = reach(before: low, bound: bound) else { return nil }
        let chunked = nearby[patternID]!.chunks != nil
        if chunked { reveal(spec, from: low - span, to: high) }
        var windows = nearby[patternID]!.windows
        var first = firstIndex(in: windows) { $0.upperBound > low - span }
        let last = firstIndex(in: windows) { $0.lowerBound >= high }
        guard first < last, nearby[patternID]!.scanned[first..<last].contains(false) else { return nearby[patternID]!.accepted }
        // Back to a window no match of the one before can reach; after a window without
        // matches, a scan resumes at most a character (4 bytes) on.
        if chunked {
            first = chunkedWalkBack(spec, bound: bound, from: windows[first].lowerBound)
            windows = nearby[patternID]!.windows
        } else {
            while first > 0 {
                let start = windows[first].lowerBound, previous = windows[first - 1].upperBound
                if start >= previous + 4, let span = reach(before: start, bound: bound), start - span >= previous { break }
                first -= 1
            }
        }
        let end = firstIndex(in: windows) { $0.lowerBound >= high }
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

    /// The walk back of `nearbyEvidence` over a chunked matcher's windows, revealing chunks on
    /// the way: from the window that starts at `start` back to a window no match of the window
    /// before it can reach, or to the first window; returns that window's index.
    ///
    /// The same windows as a walk over all of them: a walk stops at a window when the one before
    /// ends at least `max(4, reach)` bytes earlier, so only a window starting in those bytes (a
    /// window is one byte) can take it further back, and those bytes' chunks are revealed.
    private mutating func chunkedWalkBack(_ spec: MatchSpec, bound: LengthBound, from start: Int) -> Int {
        let patternID = spec.patternID
        var start = start
        while true {
            if let span = reach(before: start, bound: bound) {
                let need = max(4, span)
                reveal(spec, from: start - need, to: start)
                let windows = nearby[patternID]!.windows
                let index = firstIndex(in: windows) { $0.lowerBound >= start }
                guard index > 0, windows[index - 1].upperBound > start - need else { return index }
                start = windows[index - 1].lowerBound
            } else if let previous = revealPrevious(spec, before: start) {
                // Nothing bounds a match here: on to the window before, however far.
                start = previous
            } else {
                return firstIndex(in: nearby[patternID]!.windows) { $0.lowerBound >= start }
            }
        }
    }

    /// The start of the window of chunked `spec` before `start`, revealing chunks back from the
    /// one holding `start` until one holds it; nil when there is none.
    private mutating func revealPrevious(_ spec: MatchSpec, before start: Int) -> Int? {
        var chunk = start / Self.evidenceChunk
        while true {
            reveal(spec, from: chunk * Self.evidenceChunk, to: chunk * Self.evidenceChunk + 1)
            let windows = nearby[spec.patternID]!.windows
            let index = firstIndex(in: windows) { $0.lowerBound >= start }
            if index > 0, windows[index - 1].lowerBound >= chunk * Self.evidenceChunk { return windows[index - 1].lowerBound }
            if chunk == 0 { return nil }
            chunk -= 1
        }
    }

    /// Makes known the windows of chunked `spec` that start in `lower..<upper`: those of every
    /// chunk it overlaps.
    private mutating func reveal(_ spec: MatchSpec, from lower: Int, to upper: Int) {
        let lower = max(0, lower), upper = min(upper, text.bytes.count)
        guard lower < upper else { return }
        for chunk in (lower / Self.evidenceChunk)...((upper - 1) / Self.evidenceChunk)
        where !nearby[spec.patternID]!.chunks![chunk] {
            addWindows(spec, chunk: chunk)
        }
    }

    /// Adds the windows of chunked `spec` that start in chunk number `chunk`, from a pass over
    /// the chunk for the literals of every chunked matcher (shared by them).
    private mutating func addWindows(_ spec: MatchSpec, chunk: Int) {
        let patternID = spec.patternID
        let lower = chunk * Self.evidenceChunk, upper = min(text.bytes.count, lower + Self.evidenceChunk)
        let pass = deferred!.chunk  // chunked matchers are only looked for with the long item's passes
        if chunkHits[chunk] == nil {
            // On to where the last term starting in the chunk ends.
            let end = min(text.bytes.count, upper + pass.automaton.longestKeyword - 1)
            chunkHits[chunk] = pass.scan(text.bytes, in: lower..<end)
        }
        let ids = session.classifier.windowLiterals[patternID]!  // a chunked matcher has a window
        // A chunk is far shorter than the cap on recorded occurrences: all are recorded.
        let ends = ids.map { pass.ends(of: $0, in: chunkHits[chunk]!)! }
        let windows = literalWindows(spec.window!, ids: ids, ends: ends, recorded: ids.map { session.classifier.positional[$0] },
                                     total: ends.reduce(0) { $0 + $1.count })
            .filter { $0.lowerBound < upper }
        var state = nearby.removeValue(forKey: patternID)!
        let at = firstIndex(in: state.windows) { $0.lowerBound >= lower }
        state.windows.insert(contentsOf: windows, at: at)
        state.scanned.insert(contentsOf: repeatElement(false, count: windows.count), at: at)
        state.chunks![chunk] = true
        nearby[patternID] = state
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
