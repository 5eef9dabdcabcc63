// HierosSources reads what users give Hieros: files, standard input, and JSON Lines streams.
// It reports every input it cannot read with the reason; it never skips one silently.

import Foundation

/// Why an input could not be read.
public enum InputError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(path: String)
    case isDirectory(path: String)
    case unreadable(path: String, reason: String)
    case tooLarge(path: String, limit: Int)

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file"
        case .isDirectory(let path): return "\(path): is a directory (give files, or use '-' for standard input)"
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .tooLarge(let path, let limit):
            return "\(path): input is larger than the limit of \(limit) bytes; raise --max-bytes to check it"
        }
    }
}

/// Reads whole inputs with a size limit, so a huge input fails clearly instead of exhausting memory.
public struct InputReader: Sendable {
    /// The largest input accepted, in bytes.
    public let maxBytes: Int

    /// The display name of standard input.
    public static let standardInputName = "<stdin>"

    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    /// The bytes of `path`, or of standard input when `path` is `-`.
    public func read(_ path: String) throws(InputError) -> [UInt8] {
        if path == "-" { return try read(descriptor: STDIN_FILENO, name: Self.standardInputName) }
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        return try read(descriptor: descriptor, name: path)
    }

    /// Reads a descriptor to its end (or past the limit, which is an error).
    public func read(descriptor: Int32, name: String) throws(InputError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: name, reason: String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= maxBytes else { throw .tooLarge(path: name, limit: maxBytes) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
