import HierosEngine
import HierosEval

/// `hieros eval` as text: confusion matrix, per-level metrics, leaks, misclassified items.
public struct EvaluationTextReporter {
    public let style: TerminalStyle
    public init(style: TerminalStyle) { self.style = style }

    public func render(_ summary: EvaluationSummary, failures: [String]) -> String {
        let levels = summary.scale.levels
        let width = max(18, (levels.map(\.name.count).max() ?? 0) + 2)
        var text = "\(summary.items.count) items; accuracy \(Self.rate(summary.accuracy))\n\n"
        text += "confusion matrix (rows: expected, columns: classified)\n"
        text += Self.pad("", width) + levels.map { Self.lpad($0.name, width) }.joined() + "\n"
        for level in levels {
            let cells = summary.confusion[level.rank].map { Self.lpad(String($0), width) }.joined()
            text += Self.pad(level.name, width) + cells + "\n"
        }
        text += "\n" + Self.pad("level", width) + Self.lpad("items", 8) + Self.lpad("precision", 11)
        text += Self.lpad("recall", 9) + Self.lpad("over", 8) + "\n"
        for level in levels {
            var row = Self.pad(level.name, width) + Self.lpad(String(summary.support(level)), 8)
            row += Self.lpad(Self.rate(summary.precision(level)), 11) + Self.lpad(Self.rate(summary.recall(level)), 9)
            row += Self.lpad(Self.rate(summary.overclassified(level)), 8)
            text += row + "\n"
        }
        let leaks = summary.leaks
        let blocked = leaks.filter { $0.verdict?.decision == .block }.count
        text += "\nleaks to a channel: \(leaks.count), blocked \(blocked) (\(Self.rate(summary.blockedLeakRate)))\n"
        let unverified = summary.items.filter { !$0.verified }
        if !unverified.isEmpty { text += "unverified items: \(unverified.map(\.id).joined(separator: ", "))\n" }
        let wrong = summary.misclassified
        text += "\nmisclassified: \(wrong.count)\n"
        for item in wrong {
            text += "  \(item.id)  expected \(item.expected.name), classified \(item.predicted.name)  (\(item.origin))\n"
        }
        if failures.isEmpty {
            text += "\nfloors: " + style.green("ok") + "\n"
        } else {
            text += "\nfloors: " + style.red("FAILED") + "\n" + failures.map { "  \($0)\n" }.joined()
        }
        return text
    }

    static func pad(_ text: String, _ count: Int) -> String {
        text + String(repeating: " ", count: max(0, count - text.count))
    }

    static func lpad(_ text: String, _ count: Int) -> String {
        String(repeating: " ", count: max(0, count - text.count)) + text
    }

    /// A ratio with three decimals ("0.983"), or "-" when not measurable.
    static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

/// `hieros eval --format json`.
public struct EvaluationJSONReporter {
    public init() {}

    public func render(_ summary: EvaluationSummary, failures: [String]) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.int("items", summary.items.count)
        if let accuracy = summary.accuracy { json.double("accuracy", accuracy) } else { json.null("accuracy") }
        json.strings("levels", summary.scale.levels.map(\.name))
        json.beginArray("confusion")
        for row in summary.confusion {
            json.beginArray()
            for count in row { json.rawElement(String(count)) }
            json.endArray()
        }
        json.endArray()
        json.beginObject("per_level")
        for level in summary.scale.levels {
            json.beginObject(level.name)
            json.int("items", summary.support(level))
            optional(&json, "precision", summary.precision(level))
            optional(&json, "recall", summary.recall(level))
            optional(&json, "overclassified", summary.overclassified(level))
            json.endObject()
        }
        json.endObject()
        json.int("leaks", summary.leaks.count)
        optional(&json, "blocked_leak_rate", summary.blockedLeakRate)
        json.beginArray("misclassified")
        for item in summary.misclassified {
            json.beginObject()
            json.string("id", item.id)
            json.string("origin", item.origin)
            json.string("expected", item.expected.name)
            json.string("classified", item.predicted.name)
            json.endObject()
        }
        json.endArray()
        json.strings("floor_failures", failures)
        json.endObject()
        return json.line
    }

    private func optional(_ json: inout JSONWriter, _ key: String, _ value: Double?) {
        if let value { json.double(key, value) } else { json.null(key) }
    }
}

