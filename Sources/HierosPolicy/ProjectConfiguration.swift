import Foundation
import Yams

/// A project's `.hieros.yaml`: which policies apply to the folder it sits in and below.
///
/// ```yaml
/// version: 1
/// policies: ["@bundled", policies/extra.yaml]   # paths relative to this file
/// max_level: public     # the highest level this repository may hold (the gate's threshold)
/// ```
public struct ProjectConfiguration: Sendable, Hashable {
    /// The name of the configuration file looked for.
    public static let fileName = ".hieros.yaml"
    /// In `policies`, stands for the policies bundled with Hieros.
    public static let bundledMarker = "@bundled"

    /// Where the file is.
    public let path: String
    /// Policy paths, made absolute against the file's folder; `@bundled` is kept as is.
    public let policyPaths: [String]
    /// The highest level the repository may hold, by name (checked against the policy set
    /// when the gate runs); nil when not declared.
    public let maxLevel: String?

    /// The nearest `.hieros.yaml` in `directory` (by default the working directory) or one of
    /// its parents, if any.
    public static func discover(from directory: String = ".") throws(PolicyLoadError) -> ProjectConfiguration? {
        // Plain path strings and system calls: URL's standardisation, FileManager and generic
        // joins were a fair part of a one-post check.
        var current = standardized(directory)
        while true {
            let candidate = (current == "/" ? "" : current) + "/" + fileName
            var info = stat()
            if stat(candidate, &info) == 0 { return try load(path: candidate) }
            guard current != "/" else { return nil }
            current = String(current[..<current.lastIndex(of: "/")!])
            if current.isEmpty { current = "/" }
        }
    }

    /// `path` made absolute against the working directory, without `.`, `..` and repeated
    /// slashes; symbolic links are kept (a `..` climbs the path as written, as `cd` does).
    static func standardized(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        var result = ""
        for part in parts {
            // Not `"/" + part`: the generic `+` took the unspecialised append, slow the first time.
            result.append("/")
            result.append(contentsOf: part)
        }
        return result.isEmpty ? "/" : result
    }

    /// The working directory ("" when it cannot be read, e.g. removed: then the search starts
    /// at the root).
    private static var workingDirectory: String {
        guard let buffer = getcwd(nil, 0) else { return "" }
        defer { free(buffer) }
        return String(cString: buffer)
    }

    /// Reads and validates the configuration at `path`.
    public static func load(path: String) throws(PolicyLoadError) -> ProjectConfiguration {
        let sink = DiagnosticSink(path: path)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw PolicyLoadError([PolicyDiagnostic(location: SourceLocation(path: path, line: 1, column: 1),
                                                    ruleID: nil, message: "cannot read configuration file")])
        }
        var policies: [String] = []
        var maxLevel: String?
        do {
            if let root = try Yams.compose(yaml: text, .basic),  // strings only, as for policy files
               let map = MappingReader(root, allowed: ["version", "policies", "max_level"], sink: sink, rule: nil, what: "the configuration") {
                maxLevel = map.string("max_level")
                if map.int("version") != 1 { sink.error(map.value("version") ?? root, "configuration needs 'version: 1'") }
                let base = (path as NSString).deletingLastPathComponent
                for (entry, node) in map.stringList("policies") ?? [] {
                    if entry.isEmpty {
                        sink.error(node, "a policy path must not be empty")
                    } else if entry == bundledMarker || entry.hasPrefix("/") {
                        policies.append(entry)
                    } else {
                        policies.append(URL(fileURLWithPath: entry, relativeTo: URL(fileURLWithPath: base.isEmpty ? "." : base)).standardizedFileURL.path)
                    }
                }
            }
        } catch {
            sink.error(nil, "invalid YAML: \(error)")
        }
        guard sink.errors.isEmpty else { throw PolicyLoadError(sink.errors) }
        return ProjectConfiguration(path: path, policyPaths: policies, maxLevel: maxLevel)
    }
}
