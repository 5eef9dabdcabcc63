import Foundation
import HierosEngine

/// A file to scan: the path to open and the path to report.
public struct FileTask: Sendable, Hashable {
    public let path: String
    public let displayPath: String
}

/// Which files a walk takes.
public struct WalkOptions: Sendable {
    /// Globs a file must match (any) to be scanned; empty: every file.
    public var include: [String]
    /// Globs that exclude files and folders.
    public var exclude: [String]
    /// Whether `.gitignore` files (and `.git/info/exclude`) are honoured.
    public var honoursGitignore: Bool

    public init(include: [String] = [], exclude: [String] = [], honoursGitignore: Bool = true) {
        self.include = include
        self.exclude = exclude
        self.honoursGitignore = honoursGitignore
    }
}

/// Walks files and folders. Symlinks are followed, but a folder already being walked is never
/// entered again (so a symlink loop ends with an issue, not a hang); `.git` folders are skipped.
public struct FileWalker {
    public let options: WalkOptions
    private let include: [Glob]
    private let exclude: [Glob]

    /// Nil when a glob does not translate.
    public init(options: WalkOptions) throws(ScanError) {
        self.options = options
        var include: [Glob] = [], exclude: [Glob] = []
        for glob in options.include {
            guard let compiled = Glob(glob, anchored: glob.contains("/")) else { throw .invalidGlob(glob) }
            include.append(compiled)
        }
        for glob in options.exclude {
            guard let compiled = Glob(glob, anchored: glob.contains("/")) else { throw .invalidGlob(glob) }
            exclude.append(compiled)
        }
        self.include = include
        self.exclude = exclude
    }

    /// The files under `roots`, in path order, and what could not be walked.
    public func walk(_ roots: [String]) -> (files: [FileTask], issues: [FileIssue]) {
        var files: [FileTask] = []
        var issues: [FileIssue] = []
        for root in roots {
            var info = stat()
            guard stat(root, &info) == 0 else {
                issues.append(FileIssue(path: root, kind: .error, reason: errno == ENOENT ? "no such file or folder" : String(cString: strerror(errno))))
                continue
            }
            if (info.st_mode & S_IFMT) != S_IFDIR {
                files.append(FileTask(path: root, displayPath: Self.clean(root)))  // named explicitly: always scanned
                continue
            }
            var visiting: Set<[UInt64]> = []
            walkDirectory(root, relative: "", display: Self.clean(root), ignores: [], visiting: &visiting,
                          files: &files, issues: &issues)
        }
        return (files, issues)
    }

    private static func clean(_ path: String) -> String {
        var path = path
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? "." : path
    }

    private func join(_ base: String, _ name: String) -> String {
        base.isEmpty || base == "." ? name : base + "/" + name
    }

    private func walkDirectory(
        _ path: String, relative: String, display: String, ignores: [(base: String, file: IgnoreFile)],
        visiting: inout Set<[UInt64]>, files: inout [FileTask], issues: inout [FileIssue]
    ) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            issues.append(FileIssue(path: display, kind: .error, reason: String(cString: strerror(errno))))
            return
        }
        let identity = [UInt64(info.st_dev), UInt64(info.st_ino)]
        guard visiting.insert(identity).inserted else {
            issues.append(FileIssue(path: display, kind: .skipped, reason: "symlink loop: this folder is already being scanned"))
            return
        }
        defer { visiting.remove(identity) }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            issues.append(FileIssue(path: display, kind: .error, reason: "cannot list folder: \(String(cString: strerror(errno)))"))
            return
        }
        var ignores = ignores
        if options.honoursGitignore {
            for name in [".gitignore", ".hierosignore"] {
                if let data = FileManager.default.contents(atPath: path + "/" + name), let text = String(data: data, encoding: .utf8) {
                    ignores.append((relative, IgnoreFile(contents: text)))
                }
            }
        }
        for name in entries where name != ".git" {
            let childPath = path + "/" + name
            let childRelative = join(relative, name)
            let childDisplay = join(display, name)
            var childInfo = stat()
            guard stat(childPath, &childInfo) == 0 else {
                var linkInfo = stat()
                let dangling = lstat(childPath, &linkInfo) == 0 && (linkInfo.st_mode & S_IFMT) == S_IFLNK
                issues.append(FileIssue(path: childDisplay, kind: dangling ? .skipped : .error,
                                        reason: dangling ? "broken symlink" : String(cString: strerror(errno))))
                continue
            }
            let isDirectory = (childInfo.st_mode & S_IFMT) == S_IFDIR
            if isIgnored(childRelative, isDirectory: isDirectory, ignores: ignores) { continue }
            if exclude.contains(where: { $0.matches(childRelative) }) { continue }
            if isDirectory {
                walkDirectory(childPath, relative: childRelative, display: childDisplay, ignores: ignores,
                              visiting: &visiting, files: &files, issues: &issues)
            } else if (childInfo.st_mode & S_IFMT) == S_IFREG {
                if include.isEmpty || include.contains(where: { $0.matches(childRelative) }) {
                    files.append(FileTask(path: childPath, displayPath: childDisplay))
                }
            } else {
                issues.append(FileIssue(path: childDisplay, kind: .skipped, reason: "not a regular file (device, socket or pipe)"))
            }
        }
    }

    private func isIgnored(_ relative: String, isDirectory: Bool, ignores: [(base: String, file: IgnoreFile)]) -> Bool {
        var ignored = false
        for (base, file) in ignores {
            let local = base.isEmpty ? relative : (relative.hasPrefix(base + "/") ? String(relative.dropFirst(base.count + 1)) : nil)
            guard let local, let verdict = file.verdict(for: local, isDirectory: isDirectory) else { continue }
            ignored = verdict  // deeper files override shallower ones
        }
        return ignored
    }
}

/// Problems of the scan's own setup (bad globs, git failures), as opposed to problems of files.
public enum ScanError: Error, Sendable, CustomStringConvertible {
    case invalidGlob(String)
    case git(command: String, message: String)
    case baseline(path: String, line: Int, message: String)

    public var description: String {
        switch self {
        case .invalidGlob(let glob): return "invalid glob '\(glob)'"
        case .git(let command, let message): return "git \(command) failed: \(message)"
        case .baseline(let path, let line, let message): return "\(path):\(line): \(message)"
        }
    }
}
