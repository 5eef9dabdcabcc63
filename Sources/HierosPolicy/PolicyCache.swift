import Crypto
import Foundation
import HierosPCRE2
import HierosSources

/// Compiled policy sets on disk, so that a one-post `check` does not read YAML and analyse
/// every pattern on each run (most of its start-up).
///
/// An entry is keyed by the SHA-256 of everything the compiled set depends on: the format,
/// the identity of the program that compiled it (version and executable), the version of the
/// PCRE2 library (linked dynamically, so it can change under the same program), and the path and
/// bytes of every policy file and pack (the path only of those built into the program, whose
/// bytes the program's identity covers). Any change to one of them is a different key, so an
/// entry is never stale; entries of old keys are simply never read again. An entry that
/// cannot be read or decoded, or whose recorded key differs, is a miss. Entries are in the
/// binary form of CacheCoding.swift; patterns are stored as source, options and group count,
/// and compiled again on first use: a one-post check runs few of them. Writes are atomic
/// (a temporary file renamed into place), so a reader never sees half an entry.
///
/// The directory must be as trusted as the binary: an entry written by someone else could
/// change what is classified. The CLI keeps it in the user's cache folder with mode 0700.
public struct PolicyCache: Sendable {
    /// The folder where entries are kept.
    public let path: String
    /// What compiled the entries: changes when the program does.
    public let identity: String

    static let format = "hieros-policy-cache-14"

    /// Reading goes through `path` and InputReader: Foundation's URL and Data were a fair part
    /// of a one-post check (their first use, not the work). Writing, once per policy change,
    /// uses the URL.
    public init(path: String, identity: String) {
        self.path = path
        self.identity = identity
    }

    public init(directory: URL, identity: String) { self.init(path: directory.path, identity: identity) }

    public var directory: URL { URL(fileURLWithPath: path, isDirectory: true) }

    /// The key of a set loaded from `sources` with `packs` available.
    public func key(sources: [PolicySource], packs: [PolicySource]) -> String {
        var hasher = SHA256()
        func add(_ text: String) {
            var text = text
            hasher.update(data: Array("\(text.utf8.count)\0".utf8))
            text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        add(Self.format)
        add(identity)
        add(Pattern.libraryVersion)
        for (kind, list) in [("source", sources), ("pack", packs)] {
            for source in list {
                add(source.isBuiltIn ? kind + " built in" : kind)
                add(source.path)
                if !source.isBuiltIn { add(source.contents) }
            }
        }
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: hasher.finalize().flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }

    static let fileExtension = "policies"

    private func entryName(_ key: String) -> String { key + "." + Self.fileExtension }

    // `isDirectory:` everywhere: without it, URL asks the file system whether a path is a folder.
    private func url(for key: String) -> URL { directory.appendingPathComponent(entryName(key), isDirectory: false) }

    /// Entries kept; writing one more removes the least recently written (each rebuild of the
    /// program makes new keys, and old entries would otherwise pile up).
    static let capacity = 16

    /// Whether the directory can be trusted: owned by this user and writable by no one else
    /// (as ssh requires of its own files). Otherwise the cache is neither read nor written.
    var isTrusted: Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return true }  // created by `write`, mode 0700
        return info.st_uid == geteuid() && info.st_mode & 0o022 == 0
    }

    /// The set stored under `key`, or nil when there is none that can be used.
    public func read(key: String) -> PolicySet? {
        guard isTrusted, let bytes = try? InputReader(maxBytes: Self.maximumEntryBytes).read(path + "/" + entryName(key)) else { return nil }
        // The SHA-256 of the rest comes first: a damaged entry could otherwise read as a valid
        // set that checks less (a lower level, a changed keyword), not only as garbage.
        guard bytes.count > Self.digestSize, Array(SHA256.hash(data: bytes[Self.digestSize...])) == Array(bytes[..<Self.digestSize])
        else { return nil }
        var reader = CacheReader(bytes, from: Self.digestSize)
        guard (try? reader.string()) == key else { return nil }
        return try? PolicySet(cache: &reader)
    }

    private static let digestSize = SHA256.byteCount

    /// Far more than any entry written (a set of thousands of rules is a few MiB): a larger
    /// file in the folder is not read, only missed.
    static let maximumEntryBytes = 256 << 20

    /// Whether `name` is a cache entry's: a key (64 hexadecimal digits) and the extension.
    static func isEntryName(_ name: String, fileExtension: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[1] == fileExtension && isKey(parts[0])
    }

    /// Whether `name` is a temporary file of `write`: `.KEY.PID.tmp`.
    static func isTemporaryName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0].isEmpty && isKey(parts[1]) && !parts[2].isEmpty && parts[2].allSatisfy(\.isNumber)
            && parts[3] == "tmp"
    }

    private static func isKey(_ text: Substring) -> Bool { text.count == 64 && text.allSatisfy(\.isHexDigit) }

    /// Stores `set` under `key`.
    public func write(_ set: PolicySet, key: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard isTrusted else { throw CocoaError(.fileWriteNoPermission) }
        var writer = CacheWriter()
        writer.string(key)
        set.write(to: &writer)
        let data = Data(SHA256.hash(data: writer.bytes)) + Data(writer.bytes)
        let temporary = directory.appendingPathComponent(".\(key).\(ProcessInfo.processInfo.processIdentifier).tmp", isDirectory: false)
        try data.write(to: temporary)
        if rename(temporary.path, url(for: key).path) != 0 {
            try? manager.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
        prune()
    }

    /// Removes the oldest entries beyond `capacity`, entries of the first format, and temporary
    /// files an interrupted write left behind (older than an hour, so that a write in progress
    /// is not disturbed).
    private func prune() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else { return }
        func modified(_ url: URL) -> Date {
            ((try? manager.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
        }
        // Only names the cache writes are ever touched, in case the directory is shared.
        for name in names where Self.isTemporaryName(name) {
            let url = directory.appendingPathComponent(name)
            if modified(url) < Date(timeIntervalSinceNow: -3600) { try? manager.removeItem(at: url) }
        }
        // Entries of the first format (JSON) are never read again.
        for name in names where Self.isEntryName(name, fileExtension: "json") {
            try? manager.removeItem(at: directory.appendingPathComponent(name))
        }
        let entries = names.filter { Self.isEntryName($0, fileExtension: Self.fileExtension) }.map { directory.appendingPathComponent($0) }
        guard entries.count > Self.capacity else { return }
        let oldestFirst = entries.map { ($0, modified($0)) }.sorted { ($0.1, $0.0.path) < ($1.1, $1.0.path) }
        for (url, _) in oldestFirst.prefix(entries.count - Self.capacity) { try? manager.removeItem(at: url) }
    }
}
