import Foundation

/// The text of a PDF, through poppler's `pdftotext -layout -enc UTF-8 FILE -`: one part per page
/// ("page N"; pdftotext ends each page with a form feed). The bytes go to a private temporary file that
/// is removed afterwards; pdftotext runs with a time limit and its output counts against the document's
/// budget. Pages that are only images have no text (there is no OCR).
struct PDFText {
    let executable: String
    let context: ExtractionContext

    func parts(of bytes: [UInt8]) throws -> [ExtractedPart] {
        let file = try TemporaryFile(bytes: bytes)
        defer { file.remove() }
        let errors = try TemporaryFile(bytes: [])
        defer { errors.remove() }
        let output = try run(arguments: ["-layout", "-enc", "UTF-8", file.path, "-"], errors: errors)
        var pages = output.split(separator: 0x0C, omittingEmptySubsequences: false)
        if pages.count > 1, pages.last?.isEmpty == true { pages.removeLast() }
        return pages.enumerated().map { ExtractedPart(name: "page \($0.offset + 1)", bytes: Array($0.element)) }
    }

    /// Runs pdftotext and returns its standard output.
    private func run(arguments: [String], errors: TemporaryFile) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        guard let errorHandle = FileHandle(forWritingAtPath: errors.path) else {
            throw ExtractionError.pdf(detail: "cannot create a temporary file")
        }
        defer { try? errorHandle.close() }
        process.standardError = errorHandle
        do {
            try process.run()
        } catch {
            throw ExtractionError.pdf(detail: "cannot run \(executable): \(error.localizedDescription)")
        }
        let watchdog = Watchdog(process: process)
        DispatchQueue.global().asyncAfter(deadline: .now() + context.limits.pdfTimeoutSeconds) { watchdog.fire() }
        defer { watchdog.disarm() }
        var text: [UInt8] = []
        let reader = output.fileHandleForReading
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            do {
                try context.charge(chunk.count, part: "the PDF's text")
            } catch {
                watchdog.kill()
                process.waitUntilExit()
                throw error
            }
            text.append(contentsOf: chunk)
        }
        process.waitUntilExit()
        if watchdog.killedForTime {
            throw ExtractionError.pdf(detail: "gave no answer within \(Int(context.limits.pdfTimeoutSeconds)) seconds")
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw ExtractionError.pdf(detail: failure(status: process.terminationStatus, errors: errors))
        }
        return text
    }

    /// Why pdftotext failed, from its exit status (see pdftotext(1)) and the last line it wrote.
    private func failure(status: Int32, errors: TemporaryFile) -> String {
        let message = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: errors.path))) ?? Data(), as: UTF8.self)
            .split(whereSeparator: \.isNewline).last.map { ": " + $0 } ?? ""
        switch status {
        case 1: return "cannot open the PDF (damaged, or protected by a password)" + message
        case 3: return "the PDF's permissions forbid extracting its text" + message
        default: return "failed with status \(status)" + message
        }
    }

    /// The directories of PATH searched for `name`; the first executable file found.
    static func findExecutable(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.contains("/") { return isExecutable(name) ? name : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = directory + "/" + name
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }

    private static func isExecutable(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}

/// Ends a child process that runs too long. The process is only touched under the lock, and the timer
/// may fire on any thread, hence `@unchecked Sendable`.
private final class Watchdog: @unchecked Sendable {
    private let process: Process
    private let lock = NSLock()
    private var armed = true
    private var killed = false

    init(process: Process) { self.process = process }

    /// The time is up: end the process if it is still running.
    func fire() {
        lock.lock()
        defer { lock.unlock() }
        guard armed, process.isRunning else { return }
        killed = true
        process.terminate()
    }

    /// Ends the process now (not a timeout).
    func kill() {
        lock.lock()
        defer { lock.unlock() }
        if process.isRunning { process.terminate() }
    }

    /// The process has ended: the timer must not touch it any more.
    func disarm() {
        lock.lock()
        defer { lock.unlock() }
        armed = false
    }

    var killedForTime: Bool {
        lock.lock()
        defer { lock.unlock() }
        return killed
    }
}

/// A file only this user can read, in the temporary directory, holding the given bytes.
private struct TemporaryFile {
    let path: String

    init(bytes: [UInt8]) throws {
        var template = Array((NSTemporaryDirectory() + "/hieros-extract-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw ExtractionError.pdf(detail: "cannot create a temporary file: \(String(cString: strerror(errno)))")
        }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                unlink(path)
                throw ExtractionError.pdf(detail: "cannot write a temporary file: \(String(cString: strerror(errno)))")
            }
            written += count
        }
    }

    func remove() { unlink(path) }
}
