import CPCRE2
#if canImport(Glibc)
import Glibc
#endif

/// One match: the byte ranges of the whole match and of each capture group (nil when unset).
public struct Match: Hashable, Sendable {
    /// Byte ranges indexed by group number; index 0 is the whole match.
    public let groups: [Range<Int>?]

    /// The byte range of the whole match.
    public var range: Range<Int> { groups[0]! }
}

/// Runs one `Pattern` over UTF-8 subjects. Owns PCRE2 match data, a match context with the
/// limits and a JIT stack, so it must not be shared between threads: make one per thread.
public final class Matcher {
    /// The pattern this matcher runs.
    public let pattern: Pattern
    /// The limits applied to every match attempt.
    public let limits: MatchLimits

    private let matchData: OpaquePointer
    private let context: OpaquePointer
    /// The pattern's code, and the JIT stack when it runs JIT-compiled: both set at the first
    /// match, which compiles the pattern if no matcher has yet.
    private var code: OpaquePointer?
    private var jitStack: OpaquePointer?

    /// The largest JIT stack a match may use before failing with a limit error.
    static let jitStackMaxBytes = 4 << 20

    public init(pattern: Pattern, limits: MatchLimits) {
        self.pattern = pattern
        self.limits = limits
        matchData = pcre2_match_data_create_8(UInt32(pattern.captureCount + 1), nil)
        context = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(context, limits.match)
        pcre2_set_depth_limit_8(context, limits.depth)
        pcre2_set_heap_limit_8(context, limits.heapKiB)
    }

    private func resolvedCode() throws(PCRE2Error) -> OpaquePointer {
        if let code { return code }
        let compiled = try pattern.compiled()
        if compiled.isJIT {
            jitStack = pcre2_jit_stack_create_8(32 << 10, Self.jitStackMaxBytes, nil)
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack))
        }
        code = compiled.code
        return compiled.code
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }

    /// The first match in `subject[..<end]` that starts at or after `start`, or nil.
    /// Text before `start` is still visible to lookbehinds.
    public func firstMatch(
        in subject: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int? = nil, startingBefore limit: Int? = nil
    ) throws(PCRE2Error) -> Match? {
        let length = end ?? subject.count
        precondition(start >= 0 && start <= length && length <= subject.count, "match range out of bounds")
        let code = try resolvedCode()
        pcre2_set_offset_limit_8(context, limit ?? hieros_pcre2_unset())
        var empty: UInt8 = 0
        let rc = withUnsafePointer(to: &empty) { emptyPointer in
            pcre2_match_8(code, subject.baseAddress ?? emptyPointer, length, start, 0, matchData, context)
        }
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        guard rc >= 0 else { throw .match(code: rc, message: PCRE2Error.message(for: rc)) }
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let unset = hieros_pcre2_unset()
        var groups: [Range<Int>?] = []
        groups.reserveCapacity(pattern.captureCount + 1)
        for group in 0...pattern.captureCount {
            let lower = ovector[2 * group], upper = ovector[2 * group + 1]
            groups.append(lower == unset || group >= Int(rc) && group > 0 ? nil : Int(lower)..<Int(upper))
        }
        return Match(groups: groups)
    }

    /// CPU time of the calling thread: the budget measures the work of the scan itself, so a
    /// busy machine (other processes, other workers) does not make a scan fail.
    static func threadCPUTime() -> Duration { time(of: CLOCK_THREAD_CPUTIME_ID) }

    /// Time on the wall (`CLOCK_MONOTONIC`, read without a system call through the vDSO).
    static func monotonicTime() -> Duration { time(of: CLOCK_MONOTONIC) }

    private static func time(of clock: clockid_t) -> Duration {
        var time = timespec()
        clock_gettime(clock, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// The time budget of one scan (`timeMsPerMiB` of the text scanned), checked between the
    /// PCRE2 calls it makes. Reading the thread's CPU clock is a system call, and a scan can
    /// make millions of calls (one per small window), so:
    /// - the clocks start at the second call: most scans (evidence around one match, a small
    ///   window) make one, which the match limit already bounds;
    /// - then every 16 calls (64 KiB of scanning at most, or 16 matches) the monotonic clock is
    ///   read, which costs no system call. A thread's CPU time never runs ahead of the time on
    ///   the wall, so the CPU clock is read only once the wall clock says the budget may be
    ///   spent: the answer is the same as reading it each time.
    struct TimeBudget {
        private let milliseconds: Int
        private let budget: Duration
        private var calls = 0
        private var beganCPU: Duration = .zero
        private var beganWall: Duration = .zero

        init(limits: MatchLimits, bytes: Int) {
            milliseconds = Int(limits.timeMsPerMiB) * max(1, bytes >> 20)
            budget = .milliseconds(milliseconds)
        }

        /// Counts one call about to be made; throws `.timeBudget` when the calls since the
        /// clocks started have taken more than the budget of the thread's CPU time.
        mutating func beforeCall() throws(PCRE2Error) {
            calls += 1
            if calls == 2 {
                beganCPU = Matcher.threadCPUTime()
                beganWall = Matcher.monotonicTime()
            }
            guard calls % 16 == 0, Matcher.monotonicTime() - beganWall > budget,
                  Matcher.threadCPUTime() - beganCPU > budget else { return }
            throw .timeBudget(milliseconds: milliseconds)
        }
    }

    /// Bytes a scan advances between two checks of its time budget.
    static let segmentBytes = 4096

    /// Every non-overlapping, non-empty match in `subject[start..<end]`, in order.
    ///
    /// The scan advances in segments: each PCRE2 call may only start a match within the next
    /// segment (`pcre2_set_offset_limit`), and the time budget is checked between calls, so a
    /// pattern that backtracks at every position fails with `.timeBudget` instead of stalling.
    public func allMatches(
        in subject: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil
    ) throws(PCRE2Error) -> [Match] {
        let length = end ?? subject.count
        var budget = TimeBudget(limits: limits, bytes: length - start)
        var matches: [Match] = []
        var offset = start
        while offset <= length {
            try budget.beforeCall()
            let segmentEnd = min(offset + Self.segmentBytes, length)
            guard let match = try firstMatch(in: subject, from: offset, to: length, startingBefore: segmentEnd) else {
                guard segmentEnd < length else { break }
                offset = Self.nextScalarStart(in: subject, after: segmentEnd, limit: length)
                continue
            }
            let range = match.range
            if range.isEmpty {
                offset = Self.nextScalarStart(in: subject, after: range.lowerBound, limit: length)
            } else {
                matches.append(match)
                offset = range.upperBound
            }
        }
        return matches
    }

    /// Every non-overlapping, non-empty match that starts within one of `windows` (sorted,
    /// disjoint ranges of start offsets), in order. The whole subject stays visible to the
    /// pattern, so lookarounds and matches that run past a window behave as in a full scan.
    public func matches(
        in subject: UnsafeBufferPointer<UInt8>, startingIn windows: [Range<Int>]
    ) throws(PCRE2Error) -> [Match] {
        var budget = TimeBudget(limits: limits, bytes: subject.count)  // per MiB of the text, as for a full scan
        var matches: [Match] = []
        var offset = 0
        for window in windows {
            offset = max(offset, window.lowerBound)
            while offset < window.upperBound {
                try budget.beforeCall()
                // Segments keep the budget checks frequent when keywords are dense and windows merge.
                let segmentEnd = min(window.upperBound, offset + Self.segmentBytes)
                guard let match = try firstMatch(in: subject, from: offset, startingBefore: segmentEnd) else {
                    guard segmentEnd < window.upperBound else { break }
                    offset = Self.nextScalarStart(in: subject, after: segmentEnd - 1, limit: subject.count)
                    continue
                }
                let range = match.range
                if range.isEmpty {
                    offset = Self.nextScalarStart(in: subject, after: range.lowerBound, limit: subject.count)
                } else {
                    matches.append(match)
                    offset = range.upperBound
                }
            }
        }
        return matches
    }

    /// The start of the next UTF-8 scalar after `offset` (or `offset + 1` inside invalid bytes).
    static func nextScalarStart(in subject: UnsafeBufferPointer<UInt8>, after offset: Int, limit: Int) -> Int {
        var next = offset + 1
        while next < limit, subject[next] & 0xC0 == 0x80, next - offset < 4 { next += 1 }
        return next
    }
}
