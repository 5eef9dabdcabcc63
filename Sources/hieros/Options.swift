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

    /// Loads the policy set, printing every diagnostic and failing with exit 2 when it is invalid.
    /// Loads the chosen set; `lint` adds the backtracking warnings (for `policy validate`).
    func load(lint: Bool = false) throws -> PolicySet {
        do {
            let sources = try resolveSources()
            return try PolicyLoader.load(sources: sources, packs: Self.bundledPacks, lint: lint)
        } catch {
            Output.error.write("error: invalid policy set:\n" + error.description + "\n")
            throw Status.error
        }
    }

    func resolveSources() throws(PolicyLoadError) -> [PolicySource] {
        var chosen = paths
        if chosen.isEmpty, let config = try ProjectConfiguration.discover(from: FileManager.default.currentDirectoryPath) {
            chosen = config.policyPaths
        }
        if chosen.isEmpty { return Self.bundledSources }
        var sources: [PolicySource] = []
        for path in chosen {
            sources += path == ProjectConfiguration.bundledMarker ? Self.bundledSources : try PolicyLoader.sources(at: [path])
        }
        return sources
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
        bundledPolicyFiles.map { PolicySource(path: bundledPolicyPrefix + $0.path, contents: $0.contents) }
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

    var style: TerminalStyle {
        switch color {
        case .always: return TerminalStyle(colors: true)
        case .never: return .plain
        case .auto:
            let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return TerminalStyle(colors: Output.standard.isTerminal && !noColor)
        }
    }
}

/// The input size limit.
struct InputOptions: ParsableArguments {
    @Option(help: "Largest input accepted, in bytes; a larger one is an error (exit 2), never silently cut.")
    var maxBytes: Int = 100 * 1024 * 1024

    func validate() throws {
        guard maxBytes > 0 else { throw ValidationError("--max-bytes must be positive") }
    }
}
