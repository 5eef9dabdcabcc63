import Foundation

/// The text of one policy file and the path it is reported under.
public struct PolicySource: Hashable, Sendable {
    public let path: String
    public let contents: String
    /// The text is part of the program (policies bundled in the binary), so the program's
    /// identity in a `PolicyCache` key already covers it, and the key need not hash it again.
    public let isBuiltIn: Bool

    public init(path: String, contents: String, isBuiltIn: Bool = false) {
        self.path = path
        self.contents = contents
        self.isBuiltIn = isBuiltIn
    }
}

/// Loads policy sets from files, folders or in-memory sources.
public enum PolicyLoader {
    /// Loads and compiles the policy files at `paths` (files, or folders searched recursively
    /// for `*.yaml`/`*.yml`, in path order).
    public static func load(paths: [String]) throws(PolicyLoadError) -> PolicySet {
        try load(sources: sources(at: paths))
    }

    /// Compiles already-read policy files as one set. Reports every error of every file.
    /// `packs` are pack files available to `include` when `sources` do not define a pack of
    /// the same name (the CLI passes the bundled packs); other files among them are ignored.
    /// `lint`: also look for pattern shapes that backtrack badly (warnings); commands that only
    /// apply the set skip it, as it is a fair part of the start-up time of a one-post check.
    public static func load(
        sources: [PolicySource], packs: [PolicySource] = [], lint: Bool = true
    ) throws(PolicyLoadError) -> PolicySet {
        guard !sources.isEmpty else {
            throw PolicyLoadError([PolicyDiagnostic(
                location: SourceLocation(path: "<policies>", line: 1, column: 1), ruleID: nil,
                message: "no policy files were given")])
        }
        var decoded: [(RawPolicyFile, DiagnosticSink)] = []
        var failed: [DiagnosticSink] = []
        for source in sources {
            let sink = DiagnosticSink(path: source.path)
            if let raw = PolicyDecoder(sink: sink).decode(source.contents) {
                decoded.append((raw, sink))
            } else {
                failed.append(sink)
            }
        }
        let defined = Set(decoded.compactMap { $0.0.pack?.0 })
        // Packs are read only when something includes one: most runs need none.
        let includes = decoded.contains { !$0.0.includes.isEmpty }
        for source in packs where includes && !sources.contains(where: { $0.path == source.path }) {
            let sink = DiagnosticSink(path: source.path)
            guard let raw = PolicyDecoder(sink: sink).decode(source.contents) else {
                failed.append(sink)
                continue
            }
            if let (name, _) = raw.pack, !defined.contains(name) { decoded.append((raw, sink)) }
        }
        var compiler = PolicyCompiler(files: decoded, lint: lint)
        let (set, errors, _) = compiler.compile()
        let allErrors = failed.flatMap(\.errors) + errors
        guard allErrors.isEmpty, let set else {
            let order = Dictionary((sources + packs).enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
            throw PolicyLoadError(allErrors.sorted {
                (order[$0.location.path] ?? 0, $0.location.line, $0.location.column)
                    < (order[$1.location.path] ?? 0, $1.location.line, $1.location.column)
            })
        }
        return set
    }

    /// `load(sources:packs:lint: false)` through `cache`: a set the same program compiled
    /// before from the same files is read back instead of compiled again. Only valid sets are
    /// stored (an invalid one is compiled, and reported, every time), and a cache that cannot
    /// be written only makes the next run as slow as this one.
    public static func load(
        sources: [PolicySource], packs: [PolicySource] = [], cache: PolicyCache
    ) throws(PolicyLoadError) -> PolicySet {
        let key = cache.key(sources: sources, packs: packs)
        if let set = cache.read(key: key) { return set }
        let set = try load(sources: sources, packs: packs, lint: false)
        try? cache.write(set, key: key)
        return set
    }

    /// Reads the policy files at `paths`; unreadable paths and non-UTF-8 files are errors.
    public static func sources(at paths: [String]) throws(PolicyLoadError) -> [PolicySource] {
        var sources: [PolicySource] = []
        var errors: [PolicyDiagnostic] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                errors.append(diagnostic(path, "no such policy file or folder"))
                continue
            }
            let files: [String]
            if isDirectory.boolValue {
                let found = (manager.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                    .sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
                if found.isEmpty { errors.append(diagnostic(path, "folder holds no .yaml or .yml policy file")) }
                files = found
            } else {
                files = [path]
            }
            for file in files {
                guard let data = manager.contents(atPath: file) else {
                    errors.append(diagnostic(file, "cannot read policy file"))
                    continue
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    errors.append(diagnostic(file, "policy file is not valid UTF-8"))
                    continue
                }
                sources.append(PolicySource(path: file, contents: text))
            }
        }
        guard errors.isEmpty else { throw PolicyLoadError(errors) }
        return sources
    }

    private static func diagnostic(_ path: String, _ message: String) -> PolicyDiagnostic {
        PolicyDiagnostic(location: SourceLocation(path: path, line: 1, column: 1), ruleID: nil, message: message)
    }
}
