import Foundation
import HierosEngine
import HierosExtract
import HierosPolicy
import HierosSources

/// Where a scanned text came from when it is not a file on disk (git's index, a commit).
public struct TextSource: Sendable {
    public let displayPath: String
    public let bytes: [UInt8]
    /// Lines (1-based) the change adds; nil: every line counts. Only applied to plain text.
    public let addedLines: Set<Int>?

    public init(displayPath: String, bytes: [UInt8], addedLines: Set<Int>?) {
        self.displayPath = displayPath
        self.bytes = bytes
        self.addedLines = addedLines
    }
}

/// Classifies documents on every core: each worker has its own classification session, and
/// only findings are kept, so memory grows with the number of workers and findings, not with
/// the size of the tree.
public struct DocumentScanner: Sendable {
    public let classifier: Classifier
    public let extractor: DocumentExtractor
    public let maxBytes: Int
    public let baseline: Baseline?
    /// Today (YYYY-MM-DD), for baseline expiry; injected for reproducible tests.
    public let today: String
    /// Whether `hieros:allow` markers suppress findings (repositories: yes; posts: never).
    public let honoursInlineSuppressions: Bool
    public let workers: Int
    /// Parts of documents that were deliberately not read (an image attached to a mail…).
    let skippedParts = IssueList()

    public init(classifier: Classifier, extractor: DocumentExtractor = DocumentExtractor(), maxBytes: Int,
                baseline: Baseline?, today: String, honoursInlineSuppressions: Bool = true,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.classifier = classifier
        self.extractor = extractor
        self.maxBytes = maxBytes
        self.baseline = baseline
        self.today = today
        self.honoursInlineSuppressions = honoursInlineSuppressions
        self.workers = max(1, workers)
    }

    /// Plain-text files at least this large are scanned in pieces on every core.
    public static let largeFileBytes = 16 << 20

    /// Scans files; `progress` is called (from any thread) after each file with its size.
    public func scan(_ files: [FileTask], progress: (@Sendable (Int) -> Void)? = nil) -> ([DocumentResult], [FileIssue]) {
        var small: [FileTask] = [], large: [(FileTask, Int)] = []
        for task in files {
            if let size = plainTextSize(task), size >= Self.largeFileBytes, size <= maxBytes { large.append((task, size)) } else { small.append(task) }
        }
        var (documents, issues) = scanWhole(small, progress: progress)
        for (task, size) in large {
            switch LargeFileScanner(scanner: self).scan(task, size: size) {
            case .success(let document): documents.append(document)
            case .failure(let issue): issues.append(issue)
            }
            progress?(size)
        }
        return (documents, issues)
    }

    /// The size of a file that reads as plain text (by its name, and no NUL byte at its start).
    private func plainTextSize(_ task: FileTask) -> Int? {
        var info = stat()
        guard stat(task.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) >= Self.largeFileBytes,
              let handle = FileHandle(forReadingAtPath: task.path) else { return nil }
        defer { try? handle.close() }
        let head = Array((try? handle.read(upToCount: 8192)) ?? Data())
        guard let format = extractor.format(path: task.path, bytes: head),
              [.text, .markdown, .csv, .json].contains(format) else { return nil }
        return Int(info.st_size)
    }

    private func scanWhole(_ files: [FileTask], progress: (@Sendable (Int) -> Void)?) -> ([DocumentResult], [FileIssue]) {
        let reader = InputReader(maxBytes: maxBytes)
        return parallel(files.count) { session, index in
            let task = files[index]
            let bytes: [UInt8]
            switch Result(catching: { () throws(InputError) in try reader.read(task.path) }) {
            case .success(let read): bytes = read
            case .failure(let error):
                progress?(0)
                let reason: String
                if case .tooLarge(_, let limit) = error {
                    reason = "larger than --max-size (\(limit) bytes): not checked"
                } else {
                    reason = error.description.replacingOccurrences(of: "\(task.path): ", with: "")
                }
                return .failure(FileIssue(path: task.displayPath, kind: .error, reason: reason))
            }
            progress?(bytes.count)
            return scanDocument(TextSource(displayPath: task.displayPath, bytes: bytes, addedLines: nil), session: session)
        }
    }

    /// Scans texts that are already in memory (git's index, commit messages).
    public func scan(_ sources: [TextSource]) -> ([DocumentResult], [FileIssue]) {
        parallel(sources.count) { session, index in scanDocument(sources[index], session: session) }
    }

    private func parallel(
        _ count: Int, _ body: @Sendable (ClassificationSession, Int) -> Result<DocumentResult, FileIssue>
    ) -> ([DocumentResult], [FileIssue]) {
        let results = classifier.map(count, workers: workers, body)
        var documents: [DocumentResult] = [], issues: [FileIssue] = skippedParts.drain()
        for result in results {
            switch result {
            case .success(let document): documents.append(document)
            case .failure(let issue): issues.append(issue)
            }
        }
        return (documents, issues)
    }

    func scanDocument(_ source: TextSource, session: ClassificationSession) -> Result<DocumentResult, FileIssue> {
        let parts: [ExtractedPart]
        let format = extractor.format(path: source.displayPath, bytes: source.bytes)
        switch extractor.extract(path: source.displayPath, bytes: source.bytes) {
        case .skipped(let reason): return .failure(FileIssue(path: source.displayPath, kind: .skipped, reason: reason))
        case .failed(let reason): return .failure(FileIssue(path: source.displayPath, kind: .error, reason: reason))
        case .parts(let extracted): parts = extracted
        }
        var findings: [ScanFinding] = [], unverified: [Unverified] = []
        for part in parts {
            if let reason = part.skippedReason {
                skippedParts.add(FileIssue(path: source.displayPath + " › " + (part.name ?? "part"), kind: .skipped, reason: reason))
                continue
            }
            let classification = session.classify(bytes: part.bytes)
            findings += scanFindings(classification.findings, part: part.name, bytes: part.bytes,
                                     addedLines: part.name == nil ? source.addedLines : nil)
            unverified += classification.unverified.map { item in
                Unverified(ruleID: item.ruleID, reason: (part.name.map { "\($0): " } ?? "") + item.reason)
            }
        }
        return .success(document(source.displayPath, format: format?.rawValue ?? "text", findings: findings, unverified: unverified))
    }

    /// Findings of one text, with fingerprints and suppressions (inline markers, baseline),
    /// keeping only those on `addedLines` when given.
    func scanFindings(_ findings: [Finding], part: String?, bytes: [UInt8], addedLines: Set<Int>?) -> [ScanFinding] {
        findings.compactMap { finding in
            if let addedLines, !addedLines.contains(finding.line) { return nil }
            let fingerprint = Fingerprint.make(rule: finding.ruleID, bytes: bytes, range: finding.range)
            var suppression: Suppression?
            if honoursInlineSuppressions, let reason = InlineSuppression.reason(for: finding.ruleID, at: finding.range, in: bytes) {
                suppression = Suppression(kind: .inline, reason: reason)
            } else if let accepted = baseline?.suppression(for: fingerprint, today: today) {
                suppression = accepted
            }
            return ScanFinding(finding: finding, part: part, fingerprint: fingerprint, suppression: suppression)
        }
    }

    /// A document's result: active and suppressed findings apart, its level from what counts.
    func document(_ path: String, format: String, findings: [ScanFinding], unverified: [Unverified]) -> DocumentResult {
        var level = classifier.policy.scale.lowest
        for item in findings where item.suppression == nil { level = max(level, item.finding.level) }
        for item in unverified {
            if let ruleID = item.ruleID, let rule = classifier.policy.rule(id: ruleID) { level = max(level, rule.level) }
        }
        return DocumentResult(path: path, format: format, level: level,
                              findings: findings.filter { $0.suppression == nil },
                              suppressed: findings.filter { $0.suppression != nil }, unverified: unverified)
    }
}

/// Issues collected by workers while they scan.
final class IssueList: @unchecked Sendable {
    private var items: [FileIssue] = []
    private let lock = NSLock()

    func add(_ issue: FileIssue) {
        lock.lock()
        items.append(issue)
        lock.unlock()
    }

    func drain() -> [FileIssue] {
        lock.lock()
        defer { items.removeAll(); lock.unlock() }
        return items
    }
}

extension FileIssue: Error {}
