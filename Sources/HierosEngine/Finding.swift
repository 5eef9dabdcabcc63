// HierosEngine turns an item into a `Classification`: it normalises the text, runs the rules
// whose keywords occur, applies validators, evidence windows and counts, and reports findings
// at their original positions with masked excerpts. No I/O, no printing; one `Classifier`
// is shared by all threads and each thread classifies through its own `ClassificationSession`.

import HierosPolicy

/// One place where a rule fired.
public struct Finding: Hashable, Sendable {
    /// The rule that fired.
    public let ruleID: String
    /// The rule's level.
    public let level: Level
    /// The rule's tags (e.g. the standard's rule ids).
    public let tags: [String]
    /// The rule's message for the author.
    public let message: String
    /// UTF-8 byte range in the original item.
    public let range: Range<Int>
    /// 1-based line of the start.
    public let line: Int
    /// 1-based column of the start, counted in Unicode scalars.
    public let column: Int
    /// The matched text with its middle masked, so a report never repeats a secret.
    public let excerpt: String

    public init(ruleID: String, level: Level, tags: [String], message: String, range: Range<Int>, line: Int, column: Int,
                excerpt: String) {
        self.ruleID = ruleID
        self.level = level
        self.tags = tags
        self.message = message
        self.range = range
        self.line = line
        self.column = column
        self.excerpt = excerpt
    }

    /// The same finding in a larger text that starts `bytes` bytes and `lines` lines earlier.
    public func shifted(bytes: Int, lines: Int) -> Finding {
        Finding(ruleID: ruleID, level: level, tags: tags, message: message,
                range: (range.lowerBound + bytes)..<(range.upperBound + bytes), line: line + lines, column: column,
                excerpt: excerpt)
    }
}

/// Why an item could not be fully checked.
public struct Unverified: Hashable, Sendable {
    /// The rule that failed, or nil for a problem of the input itself.
    public let ruleID: String?
    /// What went wrong, for the user.
    public let reason: String

    public init(ruleID: String?, reason: String) {
        self.ruleID = ruleID
        self.reason = reason
    }
}

/// The outcome of classifying one item.
public struct Classification: Sendable {
    /// The highest level found (the lowest level when nothing fired). When the item is
    /// unverified, at least the level of every rule that could not run.
    public let level: Level
    /// Findings in position order.
    public let findings: [Finding]
    /// Reasons the item could not be fully checked; empty when it was.
    public let unverified: [Unverified]
    /// Matches of `min_distinct` rules left for the caller to count, when the item is a piece
    /// of a larger document (`ClassificationSession.classifyPiece`); empty otherwise.
    public let deferred: [DeferredMatch]

    public init(level: Level, findings: [Finding], unverified: [Unverified], deferred: [DeferredMatch] = []) {
        self.level = level
        self.findings = findings
        self.unverified = unverified
        self.deferred = deferred
    }

    /// True when every rule ran to completion on valid input.
    public var isVerified: Bool { unverified.isEmpty }
}

/// A match of a rule that fires only with enough distinct matches in the whole document.
public struct DeferredMatch: Sendable {
    public let finding: Finding
    /// What makes two matches the same (the normalised matched text).
    public let key: String
    /// The rule's `min_distinct`.
    public let minDistinct: Int
}

/// The pre-publication decision for an item on a channel (standard section 9).
public struct Verdict: Sendable {
    public enum Decision: String, Sendable { case allow, block }

    /// `block` when the item exceeds the channel or could not be fully checked (fail closed).
    public let decision: Decision
    /// The channel applied.
    public let channel: ChannelResolution
    /// The item's classification.
    public let classification: Classification

    /// The findings above the channel's maximum level: what must go before publication.
    public var blockingFindings: [Finding] {
        classification.findings.filter { $0.level > channel.channel.maxLevel }
    }
}
