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

    /// Bytes kept before a write to the descriptor; a text at least this long goes out at once.
    private static let bufferLimit = 1 << 16

    func write(_ text: String) { write(utf8: text.utf8) }

    /// Writes UTF-8 bytes; a large report goes out as it is, not copied into the buffer.
    func write(utf8 bytes: some Collection<UInt8>) {
        lock.lock()
        defer { lock.unlock() }
        guard !isBroken else { return }
        if bytes.count >= Self.bufferLimit {
            flushLocked()
            if bytes.withContiguousStorageIfAvailable({ writeAll(UnsafeRawBufferPointer($0)) }) == nil {
                Array(bytes).withUnsafeBytes { writeAll($0) }
            }
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferLimit { flushLocked() }
    }

    func flush() {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
    }

    private func flushLocked() {
        buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count && !isBroken {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                isBroken = true  // EPIPE and friends: the reader is gone
            } else {
                offset += written
            }
        }
    }
}
