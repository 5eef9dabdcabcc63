// HierosEval measures a policy set against labelled corpora: confusion matrix, per-level
// precision and recall, over-classification, and how many leaks the gate would have blocked.
// Pure: labelled outcomes in, numbers out; reading and printing belong to other modules.

import HierosEngine
import HierosPolicy

/// One labelled corpus item after classification.
public struct EvaluatedItem: Sendable {
    public let id: String
    /// Where the item is, e.g. `corpora/codenames.jsonl:14`.
    public let origin: String
    public let expected: Level
    public let predicted: Level
    /// The verdict, when the item names a channel.
    public let verdict: Verdict?
    public let verified: Bool

    public init(id: String, origin: String, expected: Level, predicted: Level, verdict: Verdict?, verified: Bool) {
        self.id = id
        self.origin = origin
        self.expected = expected
        self.predicted = predicted
        self.verdict = verdict
        self.verified = verified
    }

    /// The item exceeds its channel by its label: the gate must block it.
    public var isLeak: Bool {
        guard let verdict else { return false }
        return expected > verdict.channel.channel.maxLevel
    }
}

/// Metrics over a set of evaluated items.
public struct EvaluationSummary: Sendable {
    public let scale: LevelScale
    public let items: [EvaluatedItem]
    /// `confusion[expected.rank][predicted.rank]`.
    public let confusion: [[Int]]

    public init(scale: LevelScale, items: [EvaluatedItem]) {
        self.scale = scale
        self.items = items
        var matrix = Array(repeating: Array(repeating: 0, count: scale.levels.count), count: scale.levels.count)
        for item in items { matrix[item.expected.rank][item.predicted.rank] += 1 }
        confusion = matrix
    }

    public func support(_ level: Level) -> Int { confusion[level.rank].reduce(0, +) }

    /// Of the items labelled `level`, the share classified `level`; nil without such items.
    public func recall(_ level: Level) -> Double? {
        let total = support(level)
        return total == 0 ? nil : Double(confusion[level.rank][level.rank]) / Double(total)
    }

    /// Of the items classified `level`, the share labelled `level`; nil when none was.
    public func precision(_ level: Level) -> Double? {
        let predicted = confusion.reduce(0) { $0 + $1[level.rank] }
        return predicted == 0 ? nil : Double(confusion[level.rank][level.rank]) / Double(predicted)
    }

    /// Of the items labelled `level`, the share classified above it.
    public func overclassified(_ level: Level) -> Double? {
        let total = support(level)
        guard total > 0 else { return nil }
        let above = confusion[level.rank].enumerated().filter { $0.offset > level.rank }.reduce(0) { $0 + $1.element }
        return Double(above) / Double(total)
    }

    /// Items whose label exceeds their channel.
    public var leaks: [EvaluatedItem] { items.filter(\.isLeak) }

    /// Of the leaks, the share the gate blocked; nil when the corpus has none.
    public var blockedLeakRate: Double? {
        let leaks = leaks
        guard !leaks.isEmpty else { return nil }
        return Double(leaks.filter { $0.verdict?.decision == .block }.count) / Double(leaks.count)
    }

    /// Items classified at another level than their label, in corpus order.
    public var misclassified: [EvaluatedItem] { items.filter { $0.expected != $0.predicted } }

    public var accuracy: Double? {
        items.isEmpty ? nil : Double(items.count - misclassified.count) / Double(items.count)
    }
}

/// A threshold that makes `hieros eval` a CI check.
public struct EvaluationFloor: Hashable, Sendable, CustomStringConvertible {
    public enum Metric: String, Sendable, CaseIterable {
        case minRecall = "min-recall"
        case minPrecision = "min-precision"
        case maxOverclassified = "max-overclassified"
        case minBlockedLeaks = "min-blocked-leaks"
    }

    public let metric: Metric
    /// The level the floor applies to (nil for `min-blocked-leaks`).
    public let level: String?
    public let value: Double

    public init(metric: Metric, level: String?, value: Double) {
        self.metric = metric
        self.level = level
        self.value = value
    }

    public var description: String {
        "--\(metric.rawValue) " + (level.map { "\($0)=" } ?? "") + "\(value)"
    }

    /// Nil when the floor holds; otherwise what failed. A floor on a level the corpus lacks fails.
    public func failure(in summary: EvaluationSummary) -> String? {
        let measured: Double?
        if metric == .minBlockedLeaks {
            measured = summary.blockedLeakRate
        } else {
            guard let name = level, let level = summary.scale.level(named: name) else {
                return "\(self): unknown level '\(level ?? "")'"
            }
            switch metric {
            case .minRecall: measured = summary.recall(level)
            case .minPrecision: measured = summary.precision(level)
            case .maxOverclassified: measured = summary.overclassified(level)
            case .minBlockedLeaks: measured = nil
            }
        }
        guard let measured else { return "\(self): not measurable on this corpus (no items)" }
        let holds = metric == .maxOverclassified ? measured <= value : measured >= value
        return holds ? nil : "\(self): measured \(measured)"
    }
}
