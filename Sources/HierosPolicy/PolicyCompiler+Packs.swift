import HierosPCRE2
import Yams

/// How an include (or a file-wide `allow`) changes the rules it applies to.
struct PackAdjustment {
    var pack: String?
    var level: Level?
    var allow: [(RawAllow, DiagnosticSink)]
}

extension PolicyCompiler {
    /// The rules of every included pack, with the include's adjustments, after checking that
    /// each adjustment names a rule of the pack (a typo must not silently switch nothing off).
    func includedPackRules() -> [(RawRule, DiagnosticSink, PackAdjustment)] {
        var packs: [String: [(RawPolicyFile, DiagnosticSink)]] = [:]
        for (file, sink) in files {
            if let (name, _) = file.pack { packs[name, default: []].append((file, sink)) }
        }
        var result: [(RawRule, DiagnosticSink, PackAdjustment)] = []
        var included: [String: SourceLocation] = [:]
        for (file, sink) in files where file.pack == nil {
            for include in file.includes {
                guard let packFiles = packs[include.pack] else {
                    let known = packs.keys.sorted().joined(separator: ", ")
                    sink.error(include.node, "unknown pack '\(include.pack)'" + (known.isEmpty ? "" : "; available packs: \(known)"))
                    continue
                }
                if let first = included[include.pack] {
                    sink.error(include.node, "pack '\(include.pack)' is already included at \(first)")
                    continue
                }
                included[include.pack] = sink.location(include.node)
                let ids = Set(packFiles.flatMap { $0.0.rules.map(\.id) })
                func check(_ id: String, _ node: Node, _ what: String) -> Bool {
                    guard ids.contains(id) else {
                        sink.error(node, rule: id, "\(what) names no rule of pack '\(include.pack)'")
                        return false
                    }
                    return true
                }
                let disabled = Set(include.disable.filter { check($0.0, $0.1, "'disable'") }.map(\.0))
                var levels: [String: Level] = [:]
                for entry in include.levels where check(entry.rule, entry.node, "'levels'") {
                    if disabled.contains(entry.rule) {
                        sink.error(entry.node, rule: entry.rule, "rule is both disabled and given a level")
                    } else if let level = scale.level(named: entry.level) {
                        levels[entry.rule] = level
                    } else {
                        sink.error(entry.node, rule: entry.rule, "unknown level '\(entry.level)'")
                    }
                }
                for allow in include.allow {
                    for (id, node) in allow.rules ?? [] { _ = check(id, node, "'allow'") }
                }
                for (packFile, packSink) in packFiles {
                    for raw in packFile.rules where !disabled.contains(raw.id) {
                        let allow = include.allow.filter { $0.rules == nil || $0.rules!.contains { $0.0 == raw.id } }
                        let adjusted = allow.map { ($0, sink) } + packFile.allow.map { ($0, packSink) }
                        result.append((raw, packSink, PackAdjustment(pack: include.pack, level: levels[raw.id], allow: adjusted)))
                    }
                }
            }
        }
        return result
    }

    /// An allow entry, compiled with the options of the rule it belongs to.
    mutating func compileAllow(_ raw: RawAllow, rule: String, options: PatternOptions, limits: MatchLimits,
                               sink: DiagnosticSink) -> AllowRule? {
        var target = AllowRule.Target.secret
        if let (name, node) = raw.target {
            guard let parsed = AllowRule.Target(rawValue: name) else {
                sink.error(node, rule: rule, "unknown allow target '\(name)'; use secret, match or line")
                return nil
            }
            target = parsed
        }
        if let words = raw.stopwords {
            if raw.target != nil { sink.error(raw.node, rule: rule, "stopwords always apply to the reported text; drop 'target'") }
            return .stopwords(words.map { normalizer.normalize($0.0).lowercased() }.filter { !$0.isEmpty })
        }
        guard let (source, node) = raw.pattern else { return nil }
        guard let id = compilePattern(normalizer.normalize(source), options: options, node: node, rule: rule,
                                      limits: limits, sink: sink)
        else { return nil }
        return .pattern(patternID: id, target: target)
    }
}
