import HierosPolicy

/// Runs every rule's own examples (the contract of `hieros policy test`).
///
/// Each `match` example must make its rule fire, and fire again at the same places when the
/// text is put behind a multi-byte prefix (so byte/character offset bugs show); each
/// `no_match` example must not make its rule fire.
public struct ExampleRunner: Sendable {
    /// Put before every example for the second run: flags, accents and a CJK character give
    /// 1- to 4-byte UTF-8 sequences.
    public static let prefix = "🇫🇷 Ünïcödé 漢字 — "

    /// One example that did not behave as declared.
    public struct Failure: Hashable, Sendable, CustomStringConvertible {
        public let ruleID: String
        public let location: SourceLocation
        public let kind: String
        public let example: String
        public let detail: String

        public var description: String {
            "\(location): \(ruleID): \(kind) example failed: \(detail)\n    example: \(example.debugDescription)"
        }
    }

    public let classifier: Classifier

    public init(classifier: Classifier) { self.classifier = classifier }

    /// All failures, in rule order. Empty when every example behaves.
    public func run() -> [Failure] {
        let session = classifier.makeSession()
        var failures: [Failure] = []
        for rule in classifier.policy.rules {
            for example in rule.examples.match {
                failures += checkMatch(example, rule: rule, session: session)
            }
            for example in rule.examples.noMatch {
                let found = session.classify(example).findings.filter { $0.ruleID == rule.id }
                if let first = found.first {
                    failures.append(Failure(ruleID: rule.id, location: rule.location, kind: "no_match", example: example,
                                            detail: "rule fired at \(first.line):\(first.column) on \"\(first.excerpt)\""))
                }
            }
        }
        return failures
    }

    /// The number of examples in the policy set.
    public var exampleCount: Int {
        classifier.policy.rules.reduce(0) { $0 + $1.examples.match.count + $1.examples.noMatch.count }
    }

    private func checkMatch(_ example: String, rule: Rule, session: ClassificationSession) -> [Failure] {
        func failure(_ detail: String) -> Failure {
            Failure(ruleID: rule.id, location: rule.location, kind: "match", example: example, detail: detail)
        }
        let plain = session.classify(example)
        let found = plain.findings.filter { $0.ruleID == rule.id }
        guard !found.isEmpty else {
            let unverified = plain.unverified.map(\.reason).joined(separator: "; ")
            return [failure(unverified.isEmpty ? "rule did not fire" : "rule could not run: \(unverified)")]
        }
        let shift = Self.prefix.utf8.count
        let prefixed = session.classify(Self.prefix + example).findings.filter { $0.ruleID == rule.id }
        let expected = found.map { ($0.range.lowerBound + shift)..<($0.range.upperBound + shift) }
        guard prefixed.map(\.range) == expected else {
            return [failure("behind a multi-byte prefix the rule fired at \(prefixed.map(\.range)) instead of \(expected)")]
        }
        let prefixColumns = Self.prefix.unicodeScalars.count
        for (plainFinding, shifted) in zip(found, prefixed) where plainFinding.line == 1 {
            if shifted.column != plainFinding.column + prefixColumns {
                return [failure("behind a multi-byte prefix the column is \(shifted.column), expected \(plainFinding.column + prefixColumns)")]
            }
        }
        return []
    }
}
