import Yams

/// A policy file as written, before validation. Nodes are kept for their positions.
struct RawPolicyFile {
    var path: String
    var levels: [(String, Node)]?
    var levelsNode: Node?
    var channels: [RawChannel]?
    var channelsNode: Node?
    var defaults: RawDefaults?
    var termLists: [(name: String, terms: [(String, Node)], node: Node)] = []
    var rules: [RawRule] = []
    /// Set when the file belongs to a pack: its rules apply only where the pack is included.
    var pack: (String, Node)?
    var includes: [RawInclude] = []
    /// Allow entries applied to every rule of this file.
    var allow: [RawAllow] = []
}

/// `include: [{pack, disable, levels, allow}]`: switches a pack on, with adjustments.
struct RawInclude {
    var pack: String
    var disable: [(String, Node)]
    var levels: [(rule: String, level: String, node: Node)]
    var allow: [RawAllow]
    var node: Node
}

/// An allow entry: a match is dropped when `pattern` occurs in its target, or when the
/// reported text contains one of `stopwords`. `rules` restricts an include's allow entry.
struct RawAllow {
    var pattern: (String, Node)?
    var stopwords: [(String, Node)]?
    var target: (String, Node)?
    var rules: [(String, Node)]?
    var node: Node
}

struct RawChannel {
    var id: String
    var aliases: [(String, Node)]
    var maxLevel: (String, Node)
    var description: String
    var node: Node
}

struct RawDefaults {
    var options: [(String, Node)]?
    var limits: RawLimits?
}

struct RawLimits {
    var match: Int?
    var depth: Int?
    var heapKiB: Int?
    var timeMsPerMiB: Int?
}

/// A matcher as written: the main match of a rule, or the match of an evidence clause.
struct RawMatcher {
    var pattern: (String, Node)?
    var terms: [(String, Node)]?
    var options: [(String, Node)]?
    var group: (String, Node)?
    var validators: [(RawValidator, Node)] = []
    var evidence: [RawEvidence] = []
    var node: Node
}

enum RawValidator {
    case named(String)
    case entropy(Double)
}

struct RawEvidence {
    var kind: EvidenceClause.Kind
    var matcher: RawMatcher
    var within: Int
    var side: (String, Node)?
    var node: Node
}

struct RawRule {
    var id: String
    var idNode: Node
    var level: (String, Node)?
    var description: String?
    var message: String?
    var tags: [String]
    var matcher: RawMatcher
    var keywords: [(String, Node)]?
    var minDistinct: Int
    var limits: RawLimits?
    var examples: RuleExamples
    var allow: [RawAllow] = []
    var node: Node
}
