import Foundation

/// Reads a descriptor line by line with a bounded buffer, so a stream of millions of lines
/// uses constant memory. Lines are returned without their `\n` (and a trailing `\r`).
public final class LineReader {
    public enum Line: Sendable {
        case text([UInt8])
        /// The line was longer than the limit; its bytes were discarded.
        case tooLong
    }

    private let descriptor: Int32
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var reachedEnd = false
    private var discarding = false
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    public init(descriptor: Int32, maxLineBytes: Int) {
        self.descriptor = descriptor
        self.maxLineBytes = maxLineBytes
    }

    /// Whether `next()` can return without reading: a whole line, or the end, is buffered.
    public var hasBufferedLine: Bool {
        reachedEnd ? start < buffer.count || discarding : buffer[start...].contains(0x0A)
    }

    /// The next line, or nil at the end of the input. Throws when the descriptor fails.
    public func next() throws(InputError) -> Line? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                // A long line that arrived whole is as long as one read in pieces.
                let end = newline > start && buffer[newline - 1] == 0x0D ? newline - 1 : newline
                let tooLong = discarding || end - start > maxLineBytes
                var line = tooLong ? [] : Array(buffer[start..<newline])
                start = newline + 1
                compact()
                if tooLong {
                    discarding = false
                    return .tooLong
                }
                if line.last == 0x0D { line.removeLast() }
                return .text(line)
            }
            // A `\r` at the end of what was read may be half of the line's `\r\n`: not counted.
            if buffer.count - start - (buffer.last == 0x0D ? 1 : 0) > maxLineBytes {
                discarding = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if reachedEnd {
                guard start < buffer.count || discarding else { return nil }
                defer { buffer.removeAll(); start = 0; discarding = false }
                if discarding { return .tooLong }
                var line = Array(buffer[start...])
                if line.last == 0x0D { line.removeLast() }
                return .text(line)
            }
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: "input", reason: String(cString: strerror(errno)))
            }
            if count == 0 { reachedEnd = true } else { buffer.append(contentsOf: chunk[0..<count]) }
        }
    }

    private func compact() {
        if start > 1 << 16 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
