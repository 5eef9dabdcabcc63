import HierosEngine
import HierosPolicy

/// `hieros scan --format sarif`: a SARIF 2.1.0 log with one run, for GitHub code scanning
/// and other SARIF viewers.
///
/// - `tool.driver.rules`: one reporting descriptor per rule that has a result (active or
///   suppressed), in policy order; `defaultConfiguration.level` is `error` above the
///   threshold, `note` for the lowest level and `warning` between.
/// - results: `ruleId`, `ruleIndex`, `level`, `message.text` (the rule's message, the masked
///   excerpt, the level and, for a document part, the part), one location (the path relative
///   to `%SRCROOT%`, percent-encoded; `startLine`/`startColumn` with columns in Unicode
///   scalars, stated by `run.columnKind`; a logical location named after the part when the
///   finding is inside one, whose lines are then the part's lines), `partialFingerprints`
///   `{"hieros/v1": fingerprint}` (the nth identical finding in the same file gets `#n`
///   appended so that GitHub keeps them apart), and `suppressions` (`inSource` for an inline
///   `hieros:allow`, `external` for a baseline entry, with the reason as justification).
/// - `invocations[0]`: `executionSuccessful` is false when a file could not be checked or a
///   document is unverified; skipped files, errors, unverified documents and expired
///   baseline entries are `toolExecutionNotifications`, described in `driver.notifications`.
///
/// GitHub code scanning does not honour `suppressions` (it is outside GitHub's SARIF subset):
/// it opens an alert for a suppressed result too. For an upload to GitHub, render with
/// `includeSuppressed: false`, or dismiss those alerts with an action that reads
/// `suppressions`. Other viewers (VS Code's SARIF viewer, the SARIF web component) hide them.
///
/// The output is indented JSON, keys in a fixed order.
public struct ScanSARIFReporter {
    /// The `$schema` GitHub and most viewers recognise.
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    /// `tool.driver.informationUri`, when the caller has one (the project's home page).
    public let informationURI: String?
    /// Whether suppressed findings are results (with `suppressions`), or left out.
    public let includeSuppressed: Bool

    public init(informationURI: String? = nil, includeSuppressed: Bool = true) {
        self.informationURI = informationURI
        self.includeSuppressed = includeSuppressed
    }

    /// The notification descriptors of `tool.driver.notifications`, in this order.
    enum Notification: String, CaseIterable {
        case skipped = "hieros/file-skipped"
        case error = "hieros/file-error"
        case unverified = "hieros/unverified"
        case expiredBaseline = "hieros/baseline-entry-expired"

        var description: String {
            switch self {
            case .skipped: "A file was deliberately not checked (binary, or a format whose extractor is missing)."
            case .error: "A file could not be checked (unreadable, too large or corrupt): the scan fails closed."
            case .unverified: "Part of a document could not be checked (invalid UTF-8 or a rule hit a PCRE2 limit)."
            case .expiredBaseline: "A baseline entry has expired and no longer suppresses anything."
            }
        }

        var index: Int { Self.allCases.firstIndex(of: self)! }
    }

    /// The report as a SARIF 2.1.0 log.
    public func render(_ report: ScanReport) -> String {
        let rules = reportedRules(report)
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        var json = JSONWriter()
        json.beginObject()
        json.string("$schema", Self.schemaURI)
        json.string("version", "2.1.0")
        json.beginArray("runs")
        json.beginObject()

        json.beginObject("tool")
        json.beginObject("driver")
        json.string("name", "hieros")
        json.string("version", report.toolVersion)
        if let informationURI { json.string("informationUri", informationURI) }
        json.beginArray("rules")
        for rule in rules { descriptor(rule, report: report, into: &json) }
        json.endArray()
        json.beginArray("notifications")
        for notification in Notification.allCases {
            json.beginObject()
            json.string("id", notification.rawValue)
            json.beginObject("shortDescription")
            json.string("text", notification.description)
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endObject()

        json.beginArray("invocations")
        json.beginObject()
        json.bool("executionSuccessful", !report.hasErrors)
        json.beginArray("toolExecutionNotifications")
        for issue in report.issues {
            notification(issue.kind == .error ? .error : .skipped, level: issue.kind == .error ? "error" : "note",
                         text: "\(issue.kind.rawValue): \(issue.reason)", path: issue.path, into: &json)
        }
        for document in report.documents {
            for item in document.unverified {
                notification(.unverified, level: "error", text: "unverified: \(item.reason)", path: document.path, into: &json)
            }
        }
        for entry in report.expiredBaselineEntries {
            notification(.expiredBaseline, level: "warning", text: "expired baseline entry: \(entry)", path: nil, into: &json)
        }
        json.endArray()
        json.endObject()
        json.endArray()

        json.string("columnKind", "unicodeCodePoints")
        json.beginArray("results")
        for document in report.documents {
            var occurrences: [String: Int] = [:]
            for entry in ScanOrder.entries(document) where includeSuppressed || !entry.isSuppressed {
                occurrences[entry.item.fingerprint, default: 0] += 1
                let occurrence = occurrences[entry.item.fingerprint]!
                result(entry, path: document.path, ruleIndex: ruleIndex[entry.finding.ruleID]!,
                       occurrence: occurrence, report: report, into: &json)
            }
        }
        json.endArray()
        json.beginObject("properties")
        json.string("hieros/threshold", report.threshold.name)
        json.strings("hieros/levels", report.scale.levels.map(\.name))
        json.endObject()

        json.endObject()
        json.endArray()
        json.endObject()
        return JSONIndenter.indent(json.output) + "\n"
    }

    /// The rules that have a result: the policy's, in policy order, then any other rule id a
    /// finding names (described from the finding), by id.
    private func reportedRules(_ report: ScanReport) -> [RuleInfo] {
        var found: [String: Finding] = [:]
        for document in report.documents {
            for item in document.findings + (includeSuppressed ? document.suppressed : [])
            where found[item.finding.ruleID] == nil {
                found[item.finding.ruleID] = item.finding
            }
        }
        let known = report.rules.filter { found[$0.id] != nil }
        let knownIDs = Set(known.map(\.id))
        let others = found.keys.filter { !knownIDs.contains($0) }.sorted().map { id in
            let finding = found[id]!
            return RuleInfo(id: id, level: finding.level, description: "", message: finding.message, tags: finding.tags)
        }
        return known + others
    }

    private func descriptor(_ rule: RuleInfo, report: ScanReport, into json: inout JSONWriter) {
        let description = rule.description.isEmpty ? rule.message : rule.description
        json.beginObject()
        json.string("id", rule.id)
        json.string("name", Self.pascalCase(rule.id))
        json.beginObject("shortDescription")
        json.string("text", Self.firstSentence(description))
        json.endObject()
        json.beginObject("fullDescription")
        json.string("text", description)
        json.endObject()
        json.beginObject("help")
        json.string("text", rule.message)
        json.endObject()
        json.beginObject("defaultConfiguration")
        json.string("level", ScanSeverity(rule.level, in: report).rawValue)
        json.endObject()
        json.beginObject("properties")
        json.strings("tags", rule.tags)
        json.string("hieros/level", rule.level.name)
        json.endObject()
        json.endObject()
    }

    private func result(_ entry: ScanEntry, path: String, ruleIndex: Int, occurrence: Int, report: ScanReport,
                        into json: inout JSONWriter) {
        let finding = entry.finding
        var text = "\(finding.message) Masked match: \"\(finding.excerpt)\" (\(finding.level.name))"
        if let part = entry.item.part { text += ", in part \"\(part)\" at \(finding.line):\(finding.column)" }
        json.beginObject()
        json.string("ruleId", finding.ruleID)
        json.int("ruleIndex", ruleIndex)
        json.string("level", ScanSeverity(finding.level, in: report).rawValue)
        json.beginObject("message")
        json.string("text", text + ".")
        json.endObject()
        json.beginArray("locations")
        json.beginObject()
        json.beginObject("physicalLocation")
        artifactLocation(path, into: &json)
        json.beginObject("region")
        json.int("startLine", finding.line)
        json.int("startColumn", finding.column)
        json.endObject()
        json.endObject()
        if let part = entry.item.part {
            json.beginArray("logicalLocations")
            json.beginObject()
            json.string("name", part)
            json.string("fullyQualifiedName", "\(path) › \(part)")
            json.endObject()
            json.endArray()
        }
        json.endObject()
        json.endArray()
        json.beginObject("partialFingerprints")
        json.string("hieros/v1", entry.item.fingerprint + (occurrence > 1 ? "#\(occurrence)" : ""))
        json.endObject()
        if entry.isSuppressed, let suppression = entry.item.suppression {
            json.beginArray("suppressions")
            json.beginObject()
            json.string("kind", suppression.kind == .inline ? "inSource" : "external")
            json.string("status", "accepted")
            json.string("justification", suppression.reason)
            json.endObject()
            json.endArray()
        }
        json.beginObject("properties")
        json.string("hieros/level", finding.level.name)
        if let part = entry.item.part { json.string("hieros/part", part) }
        json.endObject()
        json.endObject()
    }

    private func notification(_ kind: Notification, level: String, text: String, path: String?, into json: inout JSONWriter) {
        json.beginObject()
        json.beginObject("descriptor")
        json.string("id", kind.rawValue)
        json.int("index", kind.index)
        json.endObject()
        json.string("level", level)
        json.beginObject("message")
        json.string("text", text)
        json.endObject()
        if let path {
            json.beginArray("locations")
            json.beginObject()
            json.beginObject("physicalLocation")
            artifactLocation(path, into: &json)
            json.endObject()
            json.endObject()
            json.endArray()
        }
        json.endObject()
    }

    /// A relative path as a percent-encoded URI relative to `%SRCROOT%` (the scan root); an
    /// absolute path (a file outside the root) as a `file://` URI.
    private func artifactLocation(_ path: String, into json: inout JSONWriter) {
        json.beginObject("artifactLocation")
        if path.hasPrefix("/") {
            json.string("uri", "file://" + Self.percentEncoded(path))
        } else {
            var relative = Substring(path)
            while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
            json.string("uri", Self.percentEncoded(String(relative)))
            json.string("uriBaseId", "%SRCROOT%")
        }
        json.endObject()
    }

    /// Percent-encodes a path for a URI (RFC 3986): unreserved characters, sub-delimiters,
    /// `:`, `@` and `/` stay; everything else, non-ASCII included, becomes `%XX` of its UTF-8
    /// bytes. A `:` in the first segment is encoded too, so that it cannot read as a scheme.
    static func percentEncoded(_ path: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=@/".utf8)
        var result = ""
        var inFirstSegment = true
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") { inFirstSegment = false }
            if allowed.contains(byte) || (byte == UInt8(ascii: ":") && !inFirstSegment) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    /// `codename.suffix-form` → `CodenameSuffixForm`: SARIF's `name` is an identifier.
    static func pascalCase(_ id: String) -> String {
        id.split { !($0.isLetter || $0.isNumber) }.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// The first sentence of a description (up to the first `. `), for `shortDescription`.
    static func firstSentence(_ text: String) -> String {
        guard let range = text.firstRange(of: ". ") else { return text }
        return String(text[..<range.lowerBound]) + "."
    }
}
