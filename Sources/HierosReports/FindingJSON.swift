import HierosEngine

extension JSONWriter {
    /// A finding, in the stable shape shared by every JSON output:
    /// `{"rule","level","tags","start","end","line","column","excerpt","message"}`.
    public mutating func finding(_ finding: Finding) {
        beginObject()
        findingMembers(finding)
        endObject()
    }

    /// The members of `finding(_:)`, for objects that extend it (a scan's findings).
    mutating func findingMembers(_ finding: Finding) {
        string("rule", finding.ruleID)
        string("level", finding.level.name)
        strings("tags", finding.tags)
        int("start", finding.range.lowerBound)
        int("end", finding.range.upperBound)
        int("line", finding.line)
        int("column", finding.column)
        string("excerpt", finding.excerpt)
        string("message", finding.message)
    }

    public mutating func findings(_ key: String, _ findings: [Finding]) {
        beginArray(key)
        for item in findings { finding(item) }
        endArray()
    }

    /// `[{"rule": id or null, "reason": …}]`.
    public mutating func unverified(_ key: String, _ items: [Unverified]) {
        beginArray(key)
        for item in items {
            beginObject()
            if let rule = item.ruleID { string("rule", rule) } else { null("rule") }
            string("reason", item.reason)
            endObject()
        }
        endArray()
    }
}
