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
}

/// Why an item could not be fully checked.
public struct Unverified: Hashable, Sendable {
    /// The rule that failed, or nil for a problem of the input itself.
    public let ruleID: String?
    /// What went wrong, for the user.
    public let reason: String
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

    /// True when every rule ran to completion on valid input.
    public var isVerified: Bool { unverified.isEmpty }
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
