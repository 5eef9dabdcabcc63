import Foundation

/// Buffered writes to a file descriptor. A closed pipe (`hieros … | head`) ends output
/// quietly: further writes are dropped and `isBroken` tells long loops to stop.
final class Output: @unchecked Sendable {
    static let standard = Output(descriptor: STDOUT_FILENO)
    static let error = Output(descriptor: STDERR_FILENO)

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let lock = NSLock()
    private(set) var isBroken = false

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Whether the descriptor is a terminal.
    var isTerminal: Bool { isatty(descriptor) == 1 }

    func write(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        guard !isBroken else { return }
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flushLocked() }
    }

    /// Writes UTF-8 bytes; a large report goes out as it is, not copied into the buffer.
    func write(utf8 bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        guard !isBroken else { return }
        if bytes.count < 1 << 16 {
            buffer.append(contentsOf: bytes)
            if buffer.count >= 1 << 16 { flushLocked() }
            return
        }
        flushLocked()
        writeAll(bytes)
    }

    func flush() {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
    }

    private func flushLocked() {
        writeAll(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count && !isBroken {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                isBroken = true  // EPIPE and friends: the reader is gone
            } else {
                offset += written
            }
        }
    }
}
