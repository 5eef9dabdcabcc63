import HierosPolicy

/// A finding inside a scanned document: where (the part of the document), its content-based
/// fingerprint (stable when the text moves, different when the matched text changes), and
/// whether something suppressed it.
public struct ScanFinding: Sendable {
    public let finding: Finding
    /// The part of the document (`"slide 3"`, `"attachment a.docx › document"`); nil for a plain file.
    public let part: String?
    /// `RULE:MATCH-HASH:CONTEXT-HASH`: the rule, a hash of the normalised match and a hash of
    /// the text around it on its line. Line numbers are deliberately not part of it.
    public let fingerprint: String
    /// Why the finding does not count, when it does not.
    public let suppression: Suppression?

    public init(finding: Finding, part: String?, fingerprint: String, suppression: Suppression?) {
        self.finding = finding
        self.part = part
        self.fingerprint = fingerprint
        self.suppression = suppression
    }
}

/// Why a finding is accepted.
public struct Suppression: Hashable, Sendable {
    public enum Kind: String, Sendable { case inline, baseline }
    public let kind: Kind
    public let reason: String

    public init(kind: Kind, reason: String) {
        self.kind = kind
        self.reason = reason
    }
}

/// One scanned document.
public struct DocumentResult: Sendable {
    /// The path as the user sees it (relative to the scan root when under it).
    public let path: String
    /// The format it was read as (`text`, `docx`, `eml`…).
    public let format: String
    /// The highest level of its active findings (and of rules that could not run).
    public let level: Level
    /// Findings that count, in (part, line, column) order.
    public let findings: [ScanFinding]
    /// Findings accepted by an inline `hieros:allow` or a baseline entry.
    public let suppressed: [ScanFinding]
    /// What could not be checked in it.
    public let unverified: [Unverified]

    public init(path: String, format: String, level: Level, findings: [ScanFinding], suppressed: [ScanFinding],
                unverified: [Unverified]) {
        self.path = path
        self.format = format
        self.level = level
        self.findings = findings
        self.suppressed = suppressed
        self.unverified = unverified
    }
}

/// A file the scan did not classify, and why. Every file given or found is either a
/// `DocumentResult` or a `FileIssue`: nothing is dropped silently.
public struct FileIssue: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// Deliberately not checked (binary, a format whose tool is missing): reported, not an error.
        case skipped
        /// Could not be checked (unreadable, too large, corrupt): the scan fails closed.
        case error
    }

    public let path: String
    public let kind: Kind
    public let reason: String

    public init(path: String, kind: Kind, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }
}

/// Everything a scan found, in deterministic order, ready for any report format.
public struct ScanReport: Sendable {
    /// Tool name and version, injected so reports stay reproducible in tests.
    public let toolVersion: String
    public let scale: LevelScale
    /// Findings above this level fail the scan.
    public let threshold: Level
    /// Scanned documents, sorted by path.
    public let documents: [DocumentResult]
    /// Files not classified, sorted by path.
    public let issues: [FileIssue]
    /// Baseline entries whose `expires` date has passed: they no longer suppress anything.
    public let expiredBaselineEntries: [String]
    /// Rules in policy order, with what reports need to describe them.
    public let rules: [RuleInfo]

    public init(toolVersion: String, scale: LevelScale, threshold: Level, documents: [DocumentResult],
                issues: [FileIssue], expiredBaselineEntries: [String], rules: [RuleInfo]) {
        self.toolVersion = toolVersion
        self.scale = scale
        self.threshold = threshold
        self.documents = documents.sorted { $0.path < $1.path }
        self.issues = issues.sorted { ($0.path, $0.reason) < ($1.path, $1.reason) }
        self.expiredBaselineEntries = expiredBaselineEntries.sorted()
        self.rules = rules
    }

    /// Active findings above the threshold, with their document.
    public var failing: [(document: DocumentResult, finding: ScanFinding)] {
        documents.flatMap { document in
            document.findings.filter { $0.finding.level > threshold }.map { (document, $0) }
        }
    }

    /// How many active findings of `document` are above the threshold: `failing` counted
    /// without copying a document per finding (ten thousand findings of one large document
    /// made that a noticeable part of writing its report).
    public func failingCount(in document: DocumentResult) -> Int {
        document.findings.reduce(0) { $0 + ($1.finding.level > threshold ? 1 : 0) }
    }

    /// Whether an active finding is above the threshold: whether the scan fails on findings.
    public var hasFailingFindings: Bool { documents.contains { failingCount(in: $0) > 0 } }

    /// Whether something could not be checked: an error file or an unverified document.
    public var hasErrors: Bool {
        issues.contains { $0.kind == .error } || documents.contains { !$0.unverified.isEmpty }
    }

    /// Documents per level (lowest first).
    public var documentsPerLevel: [(level: Level, count: Int)] {
        scale.levels.map { level in (level, documents.filter { $0.level == level }.count) }
    }

    /// Documents per folder and level, folders sorted.
    public var documentsPerFolder: [(folder: String, counts: [Int])] {
        var table: [String: [Int]] = [:]
        for document in documents {
            let folder = document.path.split(separator: "/").dropLast().joined(separator: "/")
            table[folder.isEmpty ? "." : folder, default: Array(repeating: 0, count: scale.levels.count)][document.level.rank] += 1
        }
        return table.keys.sorted().map { ($0, table[$0]!) }
    }

    /// Active findings per rule, most frequent first, then by rule id.
    public var findingsPerRule: [(rule: String, count: Int)] {
        var counts: [String: Int] = [:]
        for document in documents { for item in document.findings { counts[item.finding.ruleID, default: 0] += 1 } }
        return counts.map { ($0.key, $0.value) }.sorted { ($1.count, $0.rule) < ($0.count, $1.rule) }
    }
}

/// What reports need to know about a rule.
public struct RuleInfo: Sendable, Hashable {
    public let id: String
    public let level: Level
    public let description: String
    public let message: String
    public let tags: [String]

    public init(id: String, level: Level, description: String, message: String, tags: [String]) {
        self.id = id
        self.level = level
        self.description = description
        self.message = message
        self.tags = tags
    }

    public init(_ rule: Rule) {
        self.init(id: rule.id, level: rule.level, description: rule.description, message: rule.message, tags: rule.tags)
    }
}
