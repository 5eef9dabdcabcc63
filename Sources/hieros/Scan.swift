import ArgumentParser
import Foundation
import HierosEngine
import HierosPolicy
import HierosReports
import HierosScan

extension Hieros {
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan",
            abstract: "Scan folders, files or a git change: the compliance batch scan and the content gate.",
            discussion: """
                Without --staged, --commit-msg or --range, walks each PATH (default: the current folder) on all cores, \
                honouring .gitignore and .hierosignore, --include and --exclude; document formats (docx, pptx, xlsx, eml, html, \
                pdf with pdftotext) are read as text. Every file is either scanned or reported with the reason.
                Findings above the threshold fail the scan. The threshold is --fail-level, else the max_level of the nearest \
                .hieros.yaml, else the lowest level. Excerpts are always masked.
                Exit 0 nothing above the threshold, 1 findings above it, 2 something could not be read or checked.
                """)

        @OptionGroup var policy: PolicyOptions

        @Flag(help: "Check what is staged (git's index), only the lines the commit adds or changes.")
        var staged = false
        @Flag(help: "With --staged or --range: check whole files, not only added lines.")
        var allLines = false
        @Option(help: ArgumentHelp("Check a commit message file (lines starting with # are git's comments).", valueName: "file"))
        var commitMsg: String?
        @Option(help: ArgumentHelp("Check what a range of commits adds (e.g. origin/main..HEAD).", valueName: "a..b"))
        var range: String?

        @Option(help: ArgumentHelp("Fail on findings above this level.", valueName: "level"))
        var failLevel: String?
        @Option(help: ArgumentHelp("Only scan files matching this glob (repeatable).", valueName: "glob"))
        var include: [String] = []
        @Option(help: ArgumentHelp("Skip files and folders matching this glob (repeatable).", valueName: "glob"))
        var exclude: [String] = []
        @Flag(help: "Do not honour .gitignore and .hierosignore files.")
        var noIgnore = false
        @Option(help: "Largest file scanned, in bytes; larger files are reported as errors, never silently skipped.")
        var maxSize: Int = 100 * 1024 * 1024
        @Option(help: "Worker threads (default: one per core).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Report format: text, json, jsonl, sarif, csv, junit or html.")
        var format: ScanReportFormat = .text
        @Option(help: ArgumentHelp("Write the report to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?
        @Option(help: "Colour: auto, always or never.")
        var color: ColorChoice = .auto
        @Option(help: ArgumentHelp("Accepted findings: those in this baseline do not fail the scan.", valueName: "file"))
        var baseline: String?
        @Option(help: ArgumentHelp("Write every current finding to this baseline file (keeping reasons, owners and expiry of known entries).",
                                   valueName: "file"))
        var writeBaseline: String?

        @Argument(help: "Files and folders to scan (default: the current folder).")
        var paths: [String] = []

        func validate() throws {
            let modes = [staged, commitMsg != nil, range != nil].filter { $0 }.count
            if modes > 1 { throw ValidationError("--staged, --commit-msg and --range are exclusive") }
            if modes == 1 && !paths.isEmpty { throw ValidationError("give paths only for a folder scan, not with --staged, --commit-msg or --range") }
            if allLines && !(staged || range != nil) { throw ValidationError("--all-lines goes with --staged or --range") }
            if maxSize <= 0 || jobs <= 0 { throw ValidationError("--max-size and --jobs must be positive") }
        }

        func run() throws {
            let set = try policy.load()
            let classifier = Classifier(policy: set)
            let threshold = try resolveThreshold(set)
            var previous: Baseline?
            if let baseline {
                do { previous = try Baseline.load(path: baseline) } catch {
                    Output.error.write("error: \(error)\n")
                    throw Status.error
                }
            }
            let today = Baseline.today()
            let scanner = DocumentScanner(classifier: classifier, maxBytes: maxSize, baseline: previous, today: today,
                                          workers: jobs)
            let (documents, issues) = try collect(scanner)
            let report = ScanReport(
                toolVersion: Hieros.version, scale: set.scale, threshold: threshold, documents: documents, issues: issues,
                expiredBaselineEntries: previous?.expiredEntries(today: today) ?? [], rules: set.rules.map(RuleInfo.init))
            try emit(report)
            if let writeBaseline {
                try writeAtomically(Baseline.accepting(report, previous: previous).serialized(), to: writeBaseline)
                Output.error.write("wrote \(writeBaseline)\n")
            }
            if report.hasErrors { throw Status.error }
            if report.hasFailingFindings && writeBaseline == nil { throw Status.blocked }
        }

        private func resolveThreshold(_ set: PolicySet) throws -> Level {
            var name = failLevel
            if name == nil {
                do { name = try ProjectConfiguration.discover()?.maxLevel } catch {
                    Output.error.write("error: \(error)\n")
                    throw Status.error
                }
            }
            guard let name else { return set.scale.lowest }
            guard let level = set.scale.level(named: name) else {
                Output.error.write("error: unknown level '\(name)'; the levels are: \(set.scale.levels.map(\.name).joined(separator: ", "))\n")
                throw Status.error
            }
            return level
        }

        private func collect(_ scanner: DocumentScanner) throws -> ([DocumentResult], [FileIssue]) {
            if staged || range != nil {
                do { return scanner.scan(try gitSources()) } catch {
                    Output.error.write("error: \(error)\n")
                    throw Status.error
                }
            }
            if let commitMsg {
                guard let data = FileManager.default.contents(atPath: commitMsg) else {
                    Output.error.write("error: \(commitMsg): cannot read commit message\n")
                    throw Status.error
                }
                let message = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    .prefix { !$0.hasPrefix("# ------------------------ >8 ------------------------") }
                    .map { $0.hasPrefix("#") ? "" : String($0) }.joined(separator: "\n")
                return scanner.scan([TextSource(displayPath: commitMsg, bytes: Array(message.utf8), addedLines: nil)])
            }
            let walker: FileWalker
            do { walker = try FileWalker(options: WalkOptions(include: include, exclude: exclude, honoursGitignore: !noIgnore)) } catch {
                Output.error.write("error: \(error)\n")
                throw Status.error
            }
            let (files, walkIssues) = walker.walk(paths.isEmpty ? ["."] : paths)
            let progress = Progress(total: files.count, enabled: Output.error.isTerminal)
            let (documents, issues) = scanner.scan(files) { bytes in progress.advance(bytes: bytes) }
            progress.finish()
            return (documents, walkIssues + issues)
        }

        /// What the change adds: staged content, or the content at the end of a range.
        private func gitSources() throws(ScanError) -> [TextSource] {
            let git = Git(directory: FileManager.default.currentDirectoryPath)
            var sources: [TextSource] = []
            if staged {
                for path in try git.stagedFiles() {
                    let added = allLines ? nil : try git.stagedAddedLines(path)
                    sources.append(TextSource(displayPath: path, bytes: try git.stagedContent(path), addedLines: added))
                }
            } else if let range {
                let end = range.components(separatedBy: "..").last.flatMap { $0.isEmpty ? nil : $0 } ?? "HEAD"
                for path in try git.rangeFiles(range) {
                    let added = allLines ? nil : try git.rangeAddedLines(range, path: path)
                    sources.append(TextSource(displayPath: path, bytes: try git.content(path, at: end), addedLines: added))
                }
            }
            return sources
        }

        private func emit(_ report: ScanReport) throws {
            let style: TerminalStyle
            switch color {
            case .always: style = TerminalStyle(colors: true)
            case .never: style = .plain
            case .auto:
                style = TerminalStyle(colors: output == nil && Output.standard.isTerminal && !Environment.isSet("NO_COLOR"))
            }
            let text = format.renderUTF8(report, style: style)
            if let output { try writeAtomically(text, to: output) } else { Output.standard.write(utf8: text) }
        }

        /// Writes through a temporary file in the same folder and renames it, so a crash never
        /// leaves half a report.
        private func writeAtomically(_ text: String, to path: String) throws { try writeAtomically(Array(text.utf8), to: path) }

        private func writeAtomically(_ text: [UInt8], to path: String) throws {
            do {
                try Data(text).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                Output.error.write("error: cannot write \(path): \(error.localizedDescription)\n")
                throw Status.error
            }
        }
    }
}

extension ScanReportFormat: ExpressibleByArgument {}

/// `files, MB, rate, ETA` on standard error, only on a terminal.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let enabled: Bool
    private let lock = NSLock()
    private var done = 0
    private var bytes = 0
    private let began = Date()
    private var lastDraw = Date.distantPast

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func advance(bytes count: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        done += 1
        bytes += count
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.2 || done == total else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(began), 0.001)
        let megabytes = Double(bytes) / 1_048_576
        let rate = megabytes / elapsed
        let remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let line = String(format: "\r%d/%d files, %.1f MB, %.1f MB/s, ETA %.0fs   ", done, total, megabytes, rate, remaining)
        Output.error.write(line)
        Output.error.flush()
    }

    func finish() {
        guard enabled, done > 0 else { return }
        Output.error.write("\r\u{1B}[K")
        Output.error.flush()
    }
}
