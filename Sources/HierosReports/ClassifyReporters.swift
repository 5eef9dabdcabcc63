import HierosEngine

/// The result of classifying one named input, or why it could not be read.
public struct InputResult: Sendable {
    public let source: String
    public let outcome: Result<Classification, InputFailure>

    public init(source: String, outcome: Result<Classification, InputFailure>) {
        self.source = source
        self.outcome = outcome
    }
}

/// An input that could not be classified.
public struct InputFailure: Error, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
}

/// `hieros classify --format text`.
public struct ClassifyTextReporter {
    public let style: TerminalStyle
    public init(style: TerminalStyle) { self.style = style }

    public func render(_ results: [InputResult]) -> String {
        results.map(render).joined()
    }

    func render(_ result: InputResult) -> String {
        switch result.outcome {
        case .failure(let failure):
            return "\(result.source): \(style.red("error")): \(failure.message)\n"
        case .success(let classification):
            let count = classification.findings.count
            var text = "\(style.bold(result.source)): \(classification.level.name)"
            text += count == 0 ? " (no findings)\n" : " (\(count) finding\(count == 1 ? "" : "s"))\n"
            for finding in classification.findings { text += FindingLine.render(finding, style: style) }
            for item in classification.unverified { text += "  \(style.red("unverified")): \(item.reason)\n" }
            return text
        }
    }
}

/// One finding as an indented text block: position, level, rule, excerpt, then the message.
enum FindingLine {
    static func render(_ finding: Finding, style: TerminalStyle) -> String {
        let tags = finding.tags.isEmpty ? "" : " [\(finding.tags.joined(separator: ", "))]"
        return "  \(finding.line):\(finding.column)  \(style.yellow(finding.level.name))  \(finding.ruleID)\(tags)  \"\(finding.excerpt)\"\n"
            + "      \(style.dim(finding.message))\n"
    }
}

/// `hieros classify --format json`: `{"results":[{"source","level","verified","findings","unverified"} | {"source","error"}]}`.
public struct ClassifyJSONReporter {
    public init() {}

    public func render(_ results: [InputResult]) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.beginArray("results")
        for result in results {
            json.beginObject()
            json.string("source", result.source)
            switch result.outcome {
            case .failure(let failure):
                json.string("error", failure.message)
            case .success(let classification):
                json.string("level", classification.level.name)
                json.bool("verified", classification.isVerified)
                json.findings("findings", classification.findings)
                json.unverified("unverified", classification.unverified)
            }
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.line
    }
}
