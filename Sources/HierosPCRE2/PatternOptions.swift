// HierosPCRE2 is the only module that talks to libpcre2-8. It turns PCRE2's C API into a few
// value types: a compiled `Pattern` (immutable, shareable across threads), a per-thread
// `Matcher` that owns the mutable match data, and `PCRE2Error` with PCRE2's own message.

import CPCRE2

/// Compile options a policy author may choose. UTF mode is always on and not an option.
public struct PatternOptions: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Letters match regardless of case (`PCRE2_CASELESS`).
    public static let caseless = PatternOptions(rawValue: 1 << 0)
    /// `^` and `$` match at line boundaries (`PCRE2_MULTILINE`).
    public static let multiline = PatternOptions(rawValue: 1 << 1)
    /// `.` matches newlines too (`PCRE2_DOTALL`).
    public static let dotall = PatternOptions(rawValue: 1 << 2)
    /// Whitespace and `#` comments in the pattern are ignored (`PCRE2_EXTENDED`).
    public static let extended = PatternOptions(rawValue: 1 << 3)
    /// `\w`, `\d`, `\s`, `\b` and POSIX classes use Unicode properties (`PCRE2_UCP`).
    public static let ucp = PatternOptions(rawValue: 1 << 4)

    /// The option names used in policy files, in a stable order.
    public static let names: [(name: String, option: PatternOptions)] = [
        ("caseless", .caseless), ("multiline", .multiline), ("dotall", .dotall),
        ("extended", .extended), ("ucp", .ucp),
    ]

    var compileFlags: UInt32 {
        // USE_OFFSET_LIMIT lets a scan advance in bounded segments (see `Matcher.allMatches`).
        var flags = UInt32(PCRE2_UTF) | UInt32(PCRE2_MATCH_INVALID_UTF) | UInt32(PCRE2_USE_OFFSET_LIMIT)
        if contains(.caseless) { flags |= UInt32(PCRE2_CASELESS) }
        if contains(.multiline) { flags |= UInt32(PCRE2_MULTILINE) }
        if contains(.dotall) { flags |= UInt32(PCRE2_DOTALL) }
        if contains(.extended) { flags |= UInt32(PCRE2_EXTENDED) }
        if contains(.ucp) { flags |= UInt32(PCRE2_UCP) }
        return flags
    }
}

/// Resource limits applied to every match of a pattern, so that a pathological pattern or
/// input fails with an error instead of stalling a scan.
public struct MatchLimits: Hashable, Sendable {
    /// Maximum calls of PCRE2's internal match function (`pcre2_set_match_limit`).
    public var match: UInt32
    /// Maximum backtracking depth (`pcre2_set_depth_limit`; the interpreter only).
    public var depth: UInt32
    /// Maximum heap for backtracking, in KiB (`pcre2_set_heap_limit`; the interpreter only).
    public var heapKiB: UInt32
    /// Time allowed to scan one MiB of text (at least one MiB is allowed for), in milliseconds.
    /// The match limit bounds one start position; this bounds the sum over all of them, which
    /// is what a pattern that backtracks a little at every position costs.
    public var timeMsPerMiB: UInt32

    public init(match: UInt32, depth: UInt32, heapKiB: UInt32, timeMsPerMiB: UInt32 = 100) {
        self.match = match
        self.depth = depth
        self.heapKiB = heapKiB
        self.timeMsPerMiB = timeMsPerMiB
    }

    /// Generous limits that no sane pattern reaches on a normal document, yet stop a
    /// catastrophic backtrack within a fraction of a second.
    public static let standard = MatchLimits(match: 10_000_000, depth: 1_000_000, heapKiB: 65_536, timeMsPerMiB: 100)
}
