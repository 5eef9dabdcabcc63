// HierosImport converts other tools' configurations into Hieros policy files. Today: gitleaks
// TOML (`GitleaksImporter`). The output is YAML text written with Yams, checked with the
// Hieros policy loader before it is returned; what cannot be carried over is never dropped
// silently but listed as `ImportNote`s. A library: no printing, no exiting, files are read
// only through the closure the caller passes.

/// Something of the source configuration that was not converted, or only in part.
public struct ImportNote: Hashable, Sendable, CustomStringConvertible {
    /// The source rule id (`rules[N]` when it has none), or nil for the file as a whole.
    public let rule: String?
    /// The key not converted (`path`, `allowlists[2].paths`, `extend.useDefault`); nil when the
    /// whole rule was not converted.
    public let field: String?
    /// Why, and what the converted policy does instead.
    public let reason: String

    /// A note about `field` of `rule` (nil: the whole rule, or the file).
    public init(rule: String?, field: String?, reason: String) {
        self.rule = rule
        self.field = field
        self.reason = reason
    }

    /// True when the rule itself was left out of the converted policy.
    public var dropsRule: Bool { rule != nil && field == nil }

    /// One line for the user: `rule 'x' not converted: …`, `rule 'x', 'path': …`, `'extend.url': …`.
    public var description: String {
        switch (rule, field) {
        case (let rule?, nil): return "rule '\(rule)' not converted: \(reason)"
        case (let rule?, let field?): return "rule '\(rule)', '\(field)': \(reason)"
        case (nil, let field?): return "'\(field)': \(reason)"
        case (nil, nil): return reason
        }
    }
}

/// A source rule that became a Hieros rule.
public struct ConvertedRule: Hashable, Sendable {
    /// The id in the source configuration.
    public let sourceID: String
    /// The id in the Hieros policy (`gitleaks.<id>`).
    public let policyID: String
}

/// The outcome of an import: the policy file and what could not be carried over.
public struct ImportResult: Sendable {
    /// The Hieros policy file (`version: 1`), YAML.
    public let yaml: String
    /// The rules converted, in the source order.
    public let converted: [ConvertedRule]
    /// Rules and fields not converted, with the reason, in the source order.
    public let notes: [ImportNote]

    /// The source rules left out of the policy, with the reason.
    public var unconvertedRules: [ImportNote] { notes.filter(\.dropsRule) }
}

/// Why an import could not produce a policy at all.
public enum ImportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not valid TOML.
    case invalidTOML(path: String, line: Int, column: Int, message: String)
    /// The level is not a valid Hieros level name.
    case invalidLevel(String)
    /// The policy could not be written as YAML.
    case cannotWriteYAML(String)
    /// The converted pieces load one by one but not together (a bug of the importer).
    case unloadablePolicy(String)

    /// The message for the user.
    public var description: String {
        switch self {
        case .invalidTOML(let path, let line, let column, let message):
            return "\(path):\(line):\(column): invalid TOML: \(message)"
        case .invalidLevel(let level):
            return "invalid level '\(level)': a level name is lowercase kebab-case, e.g. strategic-secret"
        case .cannotWriteYAML(let message):
            return "cannot write the policy as YAML: \(message)"
        case .unloadablePolicy(let problems):
            return "the converted policy does not load (please report this): \(problems)"
        }
    }
}
