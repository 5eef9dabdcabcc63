import HierosEngine

/// `hieros check --format text`: ALLOW or BLOCK, and what to remove.
public struct CheckTextReporter {
    public let style: TerminalStyle
    public init(style: TerminalStyle) { self.style = style }

    public func render(_ verdict: Verdict, source: String) -> String {
        let resolution = verdict.channel
        let channel = resolution.channel
        var text = ""
        if !resolution.isKnown {
            text += "note: unknown channel '\(resolution.requested)': treated as the most restrictive channel"
                + " ('\(channel.id)', max level \(channel.maxLevel.name))\n"
        }
        let header = verdict.decision == .allow ? style.green("ALLOW") : style.red("BLOCK")
        text += "\(header) \(source) on \(channel.id) (max level \(channel.maxLevel.name)): item is \(verdict.classification.level.name)\n"
        let blocking = verdict.blockingFindings
        if verdict.decision == .block && !blocking.isEmpty {
            text += "\(blocking.count) finding\(blocking.count == 1 ? "" : "s") above \(channel.maxLevel.name):\n"
            for finding in blocking { text += FindingLine.render(finding, style: style) }
        }
        for item in verdict.classification.unverified {
            text += "\(style.red("unverified")): \(item.reason)\n"
        }
        return text
    }
}

/// `hieros check --format json`.
public struct CheckJSONReporter {
    public init() {}

    public func render(_ verdict: Verdict, source: String, suggestion: String? = nil) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.string("source", source)
        json.string("verdict", verdict.decision.rawValue)
        json.beginObject("channel")
        json.string("requested", verdict.channel.requested)
        json.string("id", verdict.channel.channel.id)
        json.bool("known", verdict.channel.isKnown)
        json.string("max_level", verdict.channel.channel.maxLevel.name)
        json.endObject()
        json.string("level", verdict.classification.level.name)
        json.bool("verified", verdict.classification.isVerified)
        json.findings("blocking", verdict.blockingFindings)
        json.findings("findings", verdict.classification.findings)
        json.unverified("unverified", verdict.classification.unverified)
        if let suggestion { json.string("suggestion", suggestion) }
        json.endObject()
        return json.line
    }
}

/// One output line of `hieros classify --jsonl`, in the documented contract:
/// `{"id","level","verdict"(only with a channel),"findings","unverified"(only when not verified)}`.
public enum StreamLineEncoder {
    public static func encode(rawID: String?, classification: Classification, verdict: Verdict?) -> String {
        var json = JSONWriter()
        json.beginObject()
        if let rawID { json.raw("id", rawID) } else { json.null("id") }
        json.string("level", classification.level.name)
        if let verdict { json.string("verdict", verdict.decision.rawValue) }
        json.findings("findings", classification.findings)
        if !classification.isVerified { json.unverified("unverified", classification.unverified) }
        json.endObject()
        return json.line
    }

    /// `{"line":N,"error":"…"}` for an input line that could not be processed.
    public static func encodeError(line: Int, message: String) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.int("line", line)
        json.string("error", message)
        json.endObject()
        return json.line
    }
}
