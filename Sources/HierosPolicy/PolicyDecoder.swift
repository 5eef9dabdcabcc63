import Yams

/// Reads the YAML of one policy file into a `RawPolicyFile`, reporting every shape error.
struct PolicyDecoder {
    static let supportedVersions = [1]
    static let fileKeys = ["version", "pack", "include", "levels", "channels", "defaults", "term_lists", "allow", "rules"]
    static let ruleKeys = [
        "id", "level", "description", "message", "tags", "pattern", "terms", "options", "keywords",
        "group", "validate", "min_distinct", "evidence", "limits", "allow", "examples",
    ]
    static let matcherKeys = ["pattern", "terms", "options", "group", "validate", "evidence"]

    let sink: DiagnosticSink

    func decode(_ yaml: String) -> RawPolicyFile? {
        let root: Node
        do {
            // Values are read as the strings they are written as (`MappingReader` parses numbers
            // and booleans itself), so Yams need not resolve tags: the default resolver runs a
            // regular expression per scalar and was a tenth of the start-up of a one-post check.
            guard let node = try Yams.compose(yaml: yaml, .basic) else {
                sink.error(nil, "policy file is empty; it must start with 'version: 1'")
                return nil
            }
            root = node
        } catch let error as YamlError {
            reportSyntax(error)
            return nil
        } catch {
            sink.error(nil, "cannot parse YAML: \(error)")
            return nil
        }
        guard let file = MappingReader(root, allowed: Self.fileKeys, sink: sink, rule: nil, what: "a policy file") else {
            return nil
        }
        guard let versionNode = file.required("version", what: "a policy file") else { return nil }
        guard let version = file.int("version"), Self.supportedVersions.contains(version) else {
            sink.error(versionNode, "unsupported policy format version; this Hieros reads version 1")
            return nil
        }
        var raw = RawPolicyFile(path: sink.path)
        raw.levels = file.stringList("levels")
        raw.levelsNode = file.value("levels")
        if let channels = file.value("channels") {
            raw.channelsNode = channels
            raw.channels = sequence(channels, what: "'channels'").compactMap(decodeChannel)
        }
        if let defaults = file.value("defaults") { raw.defaults = decodeDefaults(defaults) }
        if let lists = file.value("term_lists") { raw.termLists = decodeTermLists(lists) }
        if let rules = file.value("rules") {
            raw.rules = sequence(rules, what: "'rules'").compactMap(decodeRule)
        }
        if let node = file.value("pack"), let name = file.string("pack") { raw.pack = (name, node) }
        if let allow = file.value("allow") {
            raw.allow = sequence(allow, what: "'allow'").compactMap { decodeAllow($0, rule: nil) }
        }
        if let includes = file.value("include") {
            raw.includes = sequence(includes, what: "'include'").compactMap(decodeInclude)
        }
        return raw
    }

    private func reportSyntax(_ error: YamlError) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let location = SourceLocation(path: sink.path, line: mark.line, column: mark.column)
            let detail = context.map { "\($0.text) " } ?? ""
            sink.error(at: location, rule: nil, "invalid YAML: \(detail)\(problem)")
        default:
            sink.error(nil, "invalid YAML: \(error)")
        }
    }

    func sequence(_ node: Node, what: String, rule: String? = nil) -> [Node] {
        guard case .sequence(let items) = node else {
            sink.error(node, rule: rule, "\(what) must be a list")
            return []
        }
        return Array(items)
    }

    private func decodeChannel(_ node: Node) -> RawChannel? {
        let keys = ["id", "aliases", "max_level", "description"]
        guard let map = MappingReader(node, allowed: keys, sink: sink, rule: nil, what: "a channel") else { return nil }
        guard map.required("id", what: "a channel") != nil, let id = map.string("id"),
              let levelNode = map.required("max_level", what: "a channel"), let level = map.string("max_level")
        else { return nil }
        return RawChannel(id: id, aliases: map.stringList("aliases") ?? [], maxLevel: (level, levelNode),
                          description: map.string("description") ?? "", node: node)
    }

    private func decodeDefaults(_ node: Node) -> RawDefaults? {
        guard let map = MappingReader(node, allowed: ["options", "limits"], sink: sink, rule: nil, what: "'defaults'")
        else { return nil }
        return RawDefaults(options: map.stringList("options"), limits: map.value("limits").flatMap { decodeLimits($0, rule: nil) })
    }

    private func decodeLimits(_ node: Node, rule: String?) -> RawLimits? {
        let keys = ["match", "depth", "heap_kib", "time_ms_per_mib"]
        guard let map = MappingReader(node, allowed: keys, sink: sink, rule: rule, what: "'limits'") else { return nil }
        return RawLimits(match: map.int("match", minimum: 1), depth: map.int("depth", minimum: 1),
                         heapKiB: map.int("heap_kib", minimum: 1), timeMsPerMiB: map.int("time_ms_per_mib", minimum: 1))
    }

    private func decodeTermLists(_ node: Node) -> [(name: String, terms: [(String, Node)], node: Node)] {
        guard case .mapping(let mapping) = node else {
            sink.error(node, "'term_lists' must be a mapping from list names to lists of terms")
            return []
        }
        return mapping.compactMap { key, value in
            guard let name = key.scalar?.string else { return nil }
            let items = sequence(value, what: "term list '\(name)'").compactMap { item -> (String, Node)? in
                guard let term = item.scalar?.string else {
                    sink.error(item, "each term of '\(name)' must be a string")
                    return nil
                }
                return (term, item)
            }
            return (name, items, key)
        }
    }

    private func decodeRule(_ node: Node) -> RawRule? {
        let idGuess = node["id"]?.scalar?.string
        guard let map = MappingReader(node, allowed: Self.ruleKeys, sink: sink, rule: idGuess, what: "a rule") else {
            return nil
        }
        guard let idNode = map.required("id", what: "a rule"), let id = map.string("id") else { return nil }
        guard let matcher = decodeMatcher(map, rule: id, what: "rule") else { return nil }
        let levelNode = map.required("level", what: "a rule")
        return RawRule(
            id: id, idNode: idNode, level: levelNode.flatMap { n in map.string("level").map { ($0, n) } },
            description: map.required("description", what: "a rule").flatMap { _ in map.string("description") },
            message: map.required("message", what: "a rule").flatMap { _ in map.string("message") },
            tags: map.stringList("tags")?.map(\.0) ?? [],
            matcher: matcher,
            keywords: map.stringList("keywords"),
            minDistinct: map.int("min_distinct", minimum: 1) ?? 1,
            limits: map.value("limits").flatMap { decodeLimits($0, rule: id) },
            examples: decodeExamples(map.value("examples"), rule: id),
            allow: map.value("allow").map { sequence($0, what: "'allow'", rule: id).compactMap { decodeAllow($0, rule: id) } } ?? [],
            node: node)
    }

    private func decodeMatcher(_ map: MappingReader, rule: String, what: String) -> RawMatcher? {
        var matcher = RawMatcher(node: map.node)
        if let node = map.value("pattern"), let text = map.string("pattern") { matcher.pattern = (text, node) }
        matcher.terms = map.stringList("terms")
        switch (map.has("pattern"), map.has("terms")) {
        case (true, true):
            sink.error(map.keyNode("terms"), rule: rule, "a \(what) takes either 'pattern' or 'terms', not both")
        case (false, false):
            sink.error(map.node, rule: rule, "a \(what) needs a 'pattern' or a 'terms' list")
            return nil
        default: break
        }
        matcher.options = map.stringList("options")
        if let node = map.value("group"), let text = map.scalarString(node, what: "'group'") { matcher.group = (text, node) }
        if let validate = map.value("validate") {
            matcher.validators = sequence(validate, what: "'validate'", rule: rule).compactMap { decodeValidator($0, rule: rule) }
        }
        if let evidence = map.value("evidence") {
            matcher.evidence = sequence(evidence, what: "'evidence'", rule: rule).compactMap { decodeEvidence($0, rule: rule) }
        }
        return matcher
    }

    private func decodeValidator(_ node: Node, rule: String) -> (RawValidator, Node)? {
        if let name = node.scalar?.string { return (.named(name), node) }
        guard let map = MappingReader(node, allowed: ["entropy"], sink: sink, rule: rule, what: "a validator"),
              let value = map.value("entropy") else { return nil }
        guard let bits = value.scalar.flatMap({ Double($0.string) }), bits >= 0 else {
            sink.error(value, rule: rule, "'entropy' must be a number of bits per character, e.g. 3.5")
            return nil
        }
        return (.entropy(bits), node)
    }

    private func decodeEvidence(_ node: Node, rule: String) -> RawEvidence? {
        let keys = ["require", "unless", "within", "side"]
        guard let clause = MappingReader(node, allowed: keys, sink: sink, rule: rule, what: "an evidence clause") else {
            return nil
        }
        let kind: EvidenceClause.Kind
        switch (clause.has("require"), clause.has("unless")) {
        case (true, false): kind = .require
        case (false, true): kind = .unless
        default:
            sink.error(node, rule: rule, "an evidence clause needs exactly one of 'require' or 'unless'")
            return nil
        }
        guard let within = clause.required("within", what: "an evidence clause").flatMap({ _ in clause.int("within") }),
              let body = clause.value(kind.rawValue),
              let bodyMap = MappingReader(body, allowed: Self.matcherKeys, sink: sink, rule: rule, what: "evidence"),
              let matcher = decodeMatcher(bodyMap, rule: rule, what: "evidence matcher")
        else { return nil }
        let side = clause.value("side").flatMap { n in clause.string("side").map { ($0, n) } }
        return RawEvidence(kind: kind, matcher: matcher, within: within, side: side, node: node)
    }

    private func decodeExamples(_ node: Node?, rule: String) -> RuleExamples {
        guard let node,
              let map = MappingReader(node, allowed: ["match", "no_match"], sink: sink, rule: rule, what: "'examples'")
        else { return RuleExamples(match: [], noMatch: []) }
        return RuleExamples(match: map.stringList("match")?.map(\.0) ?? [],
                            noMatch: map.stringList("no_match")?.map(\.0) ?? [])
    }
}
