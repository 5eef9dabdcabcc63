import ArgumentParser
import Foundation
import HierosBundledPolicies
import HierosEngine
import HierosPolicy
import HierosReports

/// Which policy set applies: `--policies` (repeatable), else the nearest `.hieros.yaml`,
/// else the policies bundled in the binary.
struct PolicyOptions: ParsableArguments {
    @Option(
        name: .customLong("policies"),
        help: ArgumentHelp(
            "A policy file or folder; repeat for several. Replaces the bundled policies ('@bundled' names them).",
            valueName: "path"))
    var paths: [String] = []

    @Flag(name: .customLong("no-cache"),
          help: "Compile the policies instead of reading them from the compiled-policy cache (also HIEROS_NO_CACHE=1).")
    var noCache = false

    var choice: PolicyChoice { PolicyChoice(paths: paths, noCache: noCache) }

    func load(lint: Bool = false) throws -> PolicySet { try choice.load(lint: lint) }
}

/// The policy options as plain values, however they were parsed (see CheckFastPath).
struct PolicyChoice: Equatable {
    var paths: [String] = []
    var noCache = false

    /// Loads the policy set, printing every diagnostic and failing with exit 2 when it is invalid.
    /// `lint` adds the backtracking warnings (for `policy validate`, which never uses the cache).
    func load(lint: Bool = false) throws -> PolicySet {
        do {
            let sources = try resolveSources()
            if !lint, !noCache, let cache = Self.cache {
                return try PolicyLoader.load(sources: sources, packs: Self.bundledPacks, cache: cache)
            }
            return try PolicyLoader.load(sources: sources, packs: Self.bundledPacks, lint: lint)
        } catch {
            Output.error.write("error: invalid policy set:\n" + error.description + "\n")
            throw Status.error
        }
    }

    func resolveSources() throws(PolicyLoadError) -> [PolicySource] {
        var chosen = paths
        if chosen.isEmpty, let config = try ProjectConfiguration.discover() {
            chosen = config.policyPaths
        }
        if chosen.isEmpty { return Self.bundledSources }
        var sources: [PolicySource] = []
        for path in chosen {
            sources += path == ProjectConfiguration.bundledMarker ? Self.bundledSources : try PolicyLoader.sources(at: [path])
        }
        return sources
    }

    /// The compiled-policy cache: `HIEROS_CACHE_DIR`, else `$XDG_CACHE_HOME/hieros`, else
    /// `~/.cache/hieros`; none when `HIEROS_NO_CACHE` is set (to anything but empty).
    static var cache: PolicyCache? {
        if Environment.isSet("HIEROS_NO_CACHE") { return nil }
        let directory: String
        if let path = Environment.value("HIEROS_CACHE_DIR") {
            directory = path
        } else if let base = Environment.value("XDG_CACHE_HOME") {
            directory = base + "/hieros"
        } else if let home = Environment.value("HOME") {
            directory = home + "/.cache/hieros"
        } else {
            return nil
        }
        guard let identity = programIdentity else { return nil }
        return PolicyCache(path: directory, identity: identity)
    }

    /// The version, the executable file (device, inode, size, modification time) and a digest
    /// of the policies built into it: a rebuilt or reinstalled binary, whose compiler may read
    /// policies differently, gets new keys, and so do changed bundled policies, whose bytes the
    /// keys do not hash again.
    /// Nil when the executable cannot be identified: then there is no cache.
    static var programIdentity: String? {
        #if os(Linux)
        let executable = "/proc/self/exe"
        #else
        guard let executable = Bundle.main.executablePath else { return nil }
        #endif
        var info = stat()
        guard stat(executable, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return "\(Hieros.version) \(info.st_dev):\(info.st_ino):\(info.st_size):\(modified.tv_sec).\(modified.tv_nsec) "
            + "policies:\(bundledPolicyDigest)"
    }

    /// The bundled policy set (without the packs, which are only read when a set includes them).
    static var bundledSources: [PolicySource] {
        allBundled.filter { !$0.path.hasPrefix(bundledPolicyPrefix + "packs/") }
    }

    /// The bundled packs, available to `include`.
    static var bundledPacks: [PolicySource] {
        allBundled.filter { $0.path.hasPrefix(bundledPolicyPrefix + "packs/") }
    }

    private static var allBundled: [PolicySource] {
        bundledPolicyFiles.map { PolicySource(path: bundledPolicyPrefix + $0.path, contents: $0.contents, isBuiltIn: true) }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// Output format and colour, shared by the commands that print results.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format.")
    var format: OutputFormat = .text

    @Option(help: "Colour: auto (only on a terminal, and never with NO_COLOR set), always or never.")
    var color: ColorChoice = .auto

    var style: TerminalStyle { color.style }
}

extension ColorChoice {
    var style: TerminalStyle {
        switch self {
        case .always: return TerminalStyle(colors: true)
        case .never: return .plain
        case .auto:
            return TerminalStyle(colors: Output.standard.isTerminal && !Environment.isSet("NO_COLOR"))
        }
    }
}

/// The input size limit.
struct InputOptions: ParsableArguments {
    static let defaultMaxBytes = 100 * 1024 * 1024

    @Option(help: "Largest input accepted, in bytes; a larger one is an error (exit 2), never silently cut.")
    var maxBytes: Int = defaultMaxBytes

    func validate() throws {
        guard maxBytes > 0 else { throw ValidationError("--max-bytes must be positive") }
    }
}
