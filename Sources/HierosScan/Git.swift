import Foundation

/// The few git plumbing commands the content gate needs. Every failure is an error: a gate
/// that could not ask git what is staged must not pass.
public struct Git: Sendable {
    /// The repository's work tree (or any folder inside it).
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Runs `git ARGS` and returns its standard output; throws with its standard error.
    public func run(_ arguments: [String]) throws(ScanError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw .git(command: arguments.joined(separator: " "), message: "cannot run git: \(error)")
        }
        let collected = ErrorCollector(errors.fileHandleForReading)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = collected.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw .git(command: arguments.joined(separator: " "), message: message.isEmpty ? "exit \(process.terminationStatus)" : message)
        }
        return Array(data)
    }

    /// Files the index changes against HEAD (added, copied, modified, renamed), NUL-separated by git.
    public func stagedFiles() throws(ScanError) -> [String] {
        let output = try run(["diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z", "--no-renames"])
        return output.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The staged content of `path` (the index, not the working tree).
    public func stagedContent(_ path: String) throws(ScanError) -> [UInt8] {
        try run(["show", ":" + path])
    }

    /// Lines the index adds or changes in `path`, 1-based, from a zero-context diff.
    public func stagedAddedLines(_ path: String) throws(ScanError) -> Set<Int> {
        Self.addedLines(inDiff: try run(["diff", "--cached", "--unified=0", "--no-color", "--no-ext-diff", "--", path]))
    }

    /// Files a range adds or changes, with their content at the range's end.
    public func rangeFiles(_ range: String) throws(ScanError) -> [String] {
        let output = try run(["diff", "--name-only", "--diff-filter=ACMR", "-z", "--no-renames", range])
        return output.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    public func content(_ path: String, at revision: String) throws(ScanError) -> [UInt8] {
        try run(["show", "\(revision):\(path)"])
    }

    public func rangeAddedLines(_ range: String, path: String) throws(ScanError) -> Set<Int> {
        Self.addedLines(inDiff: try run(["diff", "--unified=0", "--no-color", "--no-ext-diff", range, "--", path]))
    }

    /// The new-side line numbers of `@@ -a,b +c,d @@` hunks.
    static func addedLines(inDiff diff: [UInt8]) -> Set<Int> {
        var lines = Set<Int>()
        for line in diff.split(separator: 0x0A) where line.starts(with: Array("@@ ".utf8)) {
            let text = String(decoding: line, as: UTF8.self)
            guard let plus = text.split(separator: " ").first(where: { $0.hasPrefix("+") }) else { continue }
            let numbers = plus.dropFirst().split(separator: ",").compactMap { Int($0) }
            guard let start = numbers.first else { continue }
            let count = numbers.count > 1 ? numbers[1] : 1
            if count > 0 { lines.formUnion(start..<(start + count)) }
        }
        return lines
    }

    /// The folder git runs hooks from (honours `core.hooksPath`).
    public func hooksDirectory() throws(ScanError) -> String {
        let output = String(decoding: try run(["rev-parse", "--git-path", "hooks"]), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return output.hasPrefix("/") ? output : directory + "/" + output
    }
}

/// Reads a pipe to its end on another thread, so a chatty stderr cannot block the process.
private final class ErrorCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    var text: String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
