import HierosEngine

/// `hieros scan --format json`: one object,
/// `{"tool":{"name","version"},"threshold","summary":{…},"documents":[…],"issues":[…],"expired_baseline_entries":[…]}`.
///
/// `summary` is `{"documents","per_level":{level: count},"per_folder":[{"folder","per_level"}],
/// "per_rule":[{"rule","count"}],"failing","findings","suppressed","skipped","errors","unverified"}`
/// (levels in scale order, folders by name, rules most frequent first). Every document is
/// listed, clean ones too: `{"path","format","level","findings","suppressed","unverified"}`,
/// each finding in the shared Finding shape plus `"part"` (null for a plain file) and
/// `"fingerprint"`, a suppressed one also with `"suppression":{"kind":"inline|baseline","reason"}`.
public struct ScanJSONReporter {
    public init() {}

    /// The report as one JSON object and a newline.
    public func render(_ report: ScanReport) -> String { String(decoding: renderUTF8(report), as: UTF8.self) }

    /// `render` as UTF-8 bytes.
    public func renderUTF8(_ report: ScanReport) -> [UInt8] {
        let totals = ScanTotals(report)
        var json = JSONWriter()
        json.beginObject()
        json.beginObject("tool")
        json.string("name", "hieros")
        json.string("version", report.toolVersion)
        json.endObject()
        json.string("threshold", report.threshold.name)

        json.beginObject("summary")
        json.int("documents", totals.documents)
        json.beginObject("per_level")
        for (level, count) in report.documentsPerLevel { json.int(level.name, count) }
        json.endObject()
        json.beginArray("per_folder")
        for (folder, counts) in report.documentsPerFolder {
            json.beginObject()
            json.string("folder", folder)
            json.beginObject("per_level")
            for (level, count) in zip(report.scale.levels, counts) { json.int(level.name, count) }
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.beginArray("per_rule")
        for (rule, count) in report.findingsPerRule {
            json.beginObject()
            json.string("rule", rule)
            json.int("count", count)
            json.endObject()
        }
        json.endArray()
        json.int("failing", totals.failingFindings)
        json.int("findings", totals.activeFindings)
        json.int("suppressed", totals.suppressed)
        json.int("skipped", totals.skipped)
        json.int("errors", totals.errors)
        json.int("unverified", totals.unverifiedDocuments)
        json.endObject()

        json.beginArray("documents")
        // A finding takes about 400 bytes: reserved at once, a large report is not copied as it grows.
        json.reserveCapacity(512 * (totals.activeFindings + totals.suppressed))
        for document in report.documents {
            json.beginObject()
            json.scanDocumentMembers(document)
            json.endObject()
        }
        json.endArray()
        json.beginArray("issues")
        for issue in report.issues {
            json.beginObject()
            json.string("path", issue.path)
            json.string("kind", issue.kind.rawValue)
            json.string("reason", issue.reason)
            json.endObject()
        }
        json.endArray()
        json.strings("expired_baseline_entries", report.expiredBaselineEntries)
        json.endObject()
        return json.finishLine()
    }
}

/// `hieros scan --format jsonl`: one line per document,
/// `{"path","format","level","findings":[…],"suppressed":[…],"unverified":[…]}` (the
/// documents of `ScanJSONReporter`, in path order), then one line per file that was not
/// classified, `{"path","issue":"skipped|error","reason"}`. A consumer tells the two apart by
/// the `issue` key. The summary and expired baseline entries are only in the other formats.
public struct ScanJSONLinesReporter {
    public init() {}

    /// The report as JSON Lines.
    public func render(_ report: ScanReport) -> String { String(decoding: renderUTF8(report), as: UTF8.self) }

    /// `render` as UTF-8 bytes.
    public func renderUTF8(_ report: ScanReport) -> [UInt8] {
        var text: [UInt8] = []
        for document in report.documents {
            var json = JSONWriter()
            json.beginObject()
            json.scanDocumentMembers(document)
            json.endObject()
            text += json.finishLine()
        }
        for issue in report.issues {
            var json = JSONWriter()
            json.beginObject()
            json.string("path", issue.path)
            json.string("issue", issue.kind.rawValue)
            json.string("reason", issue.reason)
            json.endObject()
            text += json.finishLine()
        }
        return text
    }
}

extension JSONWriter {
    /// The members of a scanned document: `"path","format","level","findings","suppressed","unverified"`.
    mutating func scanDocumentMembers(_ document: DocumentResult) {
        string("path", document.path)
        string("format", document.format)
        string("level", document.level.name)
        beginArray("findings")
        for item in ScanOrder.sorted(document.findings) { scanFinding(item) }
        endArray()
        beginArray("suppressed")
        for item in ScanOrder.sorted(document.suppressed) { scanFinding(item) }
        endArray()
        unverified("unverified", document.unverified)
    }

    /// A finding of a scan: the shared Finding object (written by `finding(_:)`, so the two
    /// shapes cannot drift) extended with `"part"`, `"fingerprint"` and, when suppressed,
    /// `"suppression":{"kind","reason"}`.
    mutating func scanFinding(_ item: ScanFinding) {
        beginObject()
        findingMembers(item.finding)
        if let part = item.part { string("part", part) } else { null("part") }
        string("fingerprint", item.fingerprint)
        if let suppression = item.suppression {
            beginObject("suppression")
            string("kind", suppression.kind.rawValue)
            string("reason", suppression.reason)
            endObject()
        }
        endObject()
    }
}
