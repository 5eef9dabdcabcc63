import HierosEngine

/// `hieros explain`: for every rule whose keywords occur, each candidate match and what
/// became of it, so a policy author can debug a miss or a false positive from this alone.
public struct ExplainTextReporter {
    public let style: TerminalStyle
    public init(style: TerminalStyle) { self.style = style }

    public func render(source: String, classification: Classification, traces: [RuleTrace],
                       position: (Int) -> (line: Int, column: Int)) -> String {
        var text = "\(style.bold(source)): \(classification.level.name)\n"
        if traces.isEmpty { text += "  no rule's keywords occur in this item\n" }
        // A rule without keywords always runs; it is worth showing only when its pattern matched.
        let shown = traces.filter { !($0.keywords.isEmpty && $0.candidates.isEmpty && $0.failure == nil) }
        if !traces.isEmpty && shown.isEmpty { text += "  no rule matched anything in this item\n" }
        for trace in shown {
            let status = trace.failure != nil ? style.red("FAILED") : trace.fired ? style.red("FIRED") : style.dim("did not fire")
            let keywords = trace.keywords.isEmpty ? "no keywords (always runs)" : "keywords: " + trace.keywords.joined(separator: ", ")
            text += "\n  \(trace.ruleID): \(status)  (\(keywords))\n"
            if let failure = trace.failure { text += "    \(failure)\n" }
            if trace.candidates.isEmpty && trace.failure == nil { text += "    the pattern did not match\n" }
            for candidate in trace.candidates {
                let place = position(candidate.range.lowerBound)
                let verdict = candidate.rejectedBy.map { "rejected: \($0)" } ?? "accepted"
                text += "    \(place.line):\(place.column) \"\(candidate.excerpt)\" \(verdict)\n"
                if let window = candidate.window {
                    let from = position(window.range.lowerBound), to = position(window.range.upperBound)
                    text += "      window: \(from.line):\(from.column) to \(to.line):\(to.column) (\(window.words) words either side)\n"
                }
                for note in candidate.evidence { text += "      \(note)\n" }
            }
            if let distinct = trace.distinct {
                text += "    distinct accepted matches: \(distinct) (the rule needs \(trace.minDistinct))\n"
            }
        }
        return text
    }
}
