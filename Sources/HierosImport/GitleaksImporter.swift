import Foundation
import HierosPolicy

/// Converts a gitleaks configuration (TOML) into one Hieros policy file.
///
/// Each `[[rules]]` entry becomes a rule `gitleaks.<id>` at `level`, in the file's order:
/// `regex` becomes `pattern` (RE2 syntax carried over to PCRE2, `options: []` since Go
/// regexes are case-sensitive and ASCII unless they say otherwise), `secretGroup` or gitleaks'
/// default (the first non-empty capture group) becomes `group`, `entropy` a validator,
/// `keywords` keywords, rule allowlists rule `allow` entries and the global allowlist
/// file-level `allow` entries. File paths and commits have no counterpart (Hieros classifies
/// content): they are reported, with what the policy does instead. Every converted piece is
/// loaded with the Hieros policy loader before it is kept, so the output always loads.
public struct GitleaksImporter: Sendable {
    /// The level given to every rule when the caller chooses none.
    public static let defaultLevel = "strategic-secret"

    /// gitleaks follows `[extend] path` this many levels deep.
    static let maxExtendDepth = 2

    /// The level of every converted rule.
    public let level: String

    public init(level: String = GitleaksImporter.defaultLevel) {
        self.level = level
    }

    /// Converts the TOML `text` of the file at `path` (used in messages and to resolve
    /// `[extend] path`, which is read through `readFile`; without it, extension is reported).
    public func convert(
        _ text: String, path: String, readFile: ((String) throws -> String)? = nil
    ) throws(ImportError) -> ImportResult {
        guard Self.isKebabCase(level) else { throw .invalidLevel(level) }
        var notes: [ImportNote] = []
        let config = try load(text, path: path, depth: 0, readFile: readFile, notes: &notes)
        var fileAllow: [AllowDraft] = []
        var targeted: [(rules: [String], entries: [AllowDraft])] = []
        for allowlist in config.allowlists {
            let entries = checked(allowEntries(allowlist, rule: nil, notes: &notes), rule: nil, field: allowlist.label, notes: &notes)
            if let rules = allowlist.targetRules {
                targeted.append((rules, entries))
            } else {
                fileAllow += entries
            }
        }
        var drafts: [RuleDraft] = []
        var usedIDs: Set<String> = []
        for rule in config.rules {
            let aimed = targeted.filter { $0.rules.contains(rule.id) }.flatMap(\.entries)
            guard var draft = convert(rule, fileAllow: fileAllow + aimed, notes: &notes) else { continue }
            draft.id = unique(draft.id, source: rule.id, used: &usedIDs, notes: &notes)
            draft.allow += aimed
            if let problems = problems(of: draft) {
                notes.append(ImportNote(rule: rule.id, field: nil,
                                        reason: "the Hieros policy loader rejects the converted rule: " + problems))
                continue
            }
            drafts.append(draft)
        }
        let known = Set(config.rules.map(\.id))
        for (rules, _) in targeted {
            for id in rules where !known.contains(id) {
                notes.append(ImportNote(rule: nil, field: "allowlists.targetRules",
                                        reason: "names no rule of the configuration: '\(id)'; ignored"))
            }
        }
        // File-level notes first, then each rule's, in the file's order.
        let order = Dictionary(config.rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        notes = notes.enumerated().sorted { lhs, rhs in
            let left = lhs.element.rule.map { order[$0] ?? Int.max } ?? -1
            let right = rhs.element.rule.map { order[$0] ?? Int.max } ?? -1
            return (left, lhs.offset) < (right, rhs.offset)
        }.map(\.element)
        var policy = PolicyDraft(levels: [level], level: level, allow: fileAllow, rules: drafts)
        if let problems = problems(of: policy) {
            throw .unloadablePolicy(problems)
        }
        policy.levels = nil
        policy.header = header(source: path, total: config.rules.count, converted: drafts.count, notes: notes)
        return ImportResult(yaml: try policy.yaml(),
                            converted: drafts.map { ConvertedRule(sourceID: $0.sourceID, policyID: $0.id) },
                            notes: notes)
    }

    // MARK: Configuration and [extend]

    private func load(
        _ text: String, path: String, depth: Int, readFile: ((String) throws -> String)?, notes: inout [ImportNote]
    ) throws(ImportError) -> GitleaksConfig {
        var decoder = GitleaksConfigDecoder()
        let config = try decoder.decode(text, path: path)
        notes += decoder.notes
        guard let extend = config.extend else { return config }
        if extend.useDefault {
            notes.append(ImportNote(rule: nil, field: "extend.useDefault", reason:
                "gitleaks' built-in default rules are not in this file and were not imported; import gitleaks' "
                + "default configuration (config/gitleaks.toml) too and load both policies"))
        }
        if let url = extend.url {
            notes.append(ImportNote(rule: nil, field: "extend.url", reason:
                "remote configurations are not fetched ('\(url)'); download it and import it too"))
        }
        guard let basePath = extend.path else {
            if !extend.disabledRules.isEmpty {
                notes.append(ImportNote(rule: nil, field: "extend.disabledRules", reason:
                    "applies to the extended rules, which were not imported; ignored"))
            }
            return config
        }
        guard depth < Self.maxExtendDepth, let readFile else {
            let why = readFile == nil ? "no file access was given" : "gitleaks follows at most \(Self.maxExtendDepth) levels of [extend]"
            notes.append(ImportNote(rule: nil, field: "extend.path", reason: "'\(basePath)' was not imported: \(why)"))
            return config
        }
        let resolved = basePath.hasPrefix("/") ? basePath
            : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(basePath)
        let baseText: String
        do {
            baseText = try readFile(resolved)
        } catch {
            notes.append(ImportNote(rule: nil, field: "extend.path", reason: "'\(resolved)' could not be read (\(error)); not imported"))
            return config
        }
        let base = try load(baseText, path: resolved, depth: depth + 1, readFile: readFile, notes: &notes)
        return Self.merge(config, extending: base, disabled: Set(extend.disabledRules))
    }

    /// gitleaks' extension: the base's rules (less `disabled`), each merged with the
    /// extending rule of the same id (its non-empty fields win, lists are appended), then the
    /// extending file's own rules; global allowlists of both apply.
    static func merge(_ config: GitleaksConfig, extending base: GitleaksConfig, disabled: Set<String>) -> GitleaksConfig {
        var merged = config
        let own = Dictionary(config.rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var rules: [GitleaksRule] = []
        for var rule in base.rules where !disabled.contains(rule.id) {
            if let override = own[rule.id] {
                rule.description = override.description ?? rule.description
                rule.entropy = override.entropy.flatMap { $0 == 0 ? nil : $0 } ?? rule.entropy
                rule.secretGroup = override.secretGroup.flatMap { $0 == 0 ? nil : $0 } ?? rule.secretGroup
                rule.regex = override.regex ?? rule.regex
                rule.path = override.path ?? rule.path
                rule.tags += override.tags
                rule.keywords += override.keywords
                rule.allowlists += override.allowlists
            }
            rules.append(rule)
        }
        let baseIDs = Set(base.rules.map(\.id))
        merged.rules = rules + config.rules.filter { !baseIDs.contains($0.id) }
        merged.allowlists = config.allowlists + base.allowlists
        return merged
    }

    // MARK: Rules

    private func convert(_ rule: GitleaksRule, fileAllow: [AllowDraft], notes: inout [ImportNote]) -> RuleDraft? {
        func note(_ field: String?, _ reason: String) { notes.append(ImportNote(rule: rule.id, field: field, reason: reason)) }
        guard rule.hasID else {
            note(nil, "the rule has no id (gitleaks rejects it)")
            return nil
        }
        if rule.skipReport {
            note(nil, "skipReport = true: gitleaks reports it only inside a composite rule, which Hieros cannot express")
            return nil
        }
        guard let regex = rule.regex, !regex.isEmpty else {
            note(nil, rule.path.map {
                "a path-only rule (path = '\($0)'): it matches file names, and Hieros classifies content without a file path"
            } ?? "the rule has neither 'regex' nor 'path' (gitleaks rejects it)")
            return nil
        }
        if let path = rule.path {
            note("path", "dropped: Hieros classifies content without a file path, so the regex applies to every item, "
                 + "not only to files matching '\(path)'")
        }
        if !rule.required.isEmpty {
            note("required", "dropped: composite rules (\(rule.required.joined(separator: ", ")) nearby) cannot be expressed; "
                 + "the rule fires on its own match, more often than in gitleaks")
        }
        var parsed: GoRegex
        do {
            parsed = try GoRegex(regex)
        } catch {
            note(nil, "the regex does not parse: \(error.message)")
            return nil
        }
        var group: Int?
        if let secretGroup = rule.secretGroup, secretGroup != 0 {
            guard secretGroup > 0, secretGroup <= parsed.captureCount else {
                let groups = parsed.captureCount == 1 ? "1 capture group" : "\(parsed.captureCount) capture groups"
                note(nil, "secretGroup \(secretGroup) does not exist: the regex has \(groups) (gitleaks rejects the rule)")
                return nil
            }
            group = secretGroup
        } else if parsed.captureCount > 0 {
            if !parsed.alwaysSetsFirstGroup { parsed.resetAlternations() }
            if parsed.alwaysSetsFirstGroup {
                group = 1
            } else {
                note("secretGroup", "gitleaks reports the first non-empty capture group, which for this regex is not always "
                     + "the same group; Hieros reports a fixed group, so the whole match is used (entropy, stopwords and "
                     + "secret allowlists apply to it)")
            }
        }
        var allow: [AllowDraft] = []
        for allowlist in rule.allowlists {
            allow += checked(allowEntries(allowlist, rule: rule.id, notes: &notes), rule: rule.id, field: allowlist.label, notes: &notes)
        }
        if group != nil && !(allow + fileAllow).contains(where: \.looksAtWholeMatch) { parsed.dropRedundantLeadingPrefix() }
        var keywords: [String] = []
        for keyword in rule.keywords.map({ $0.lowercased() }) where !keywords.contains(keyword) { keywords.append(keyword) }
        if keywords.contains("") { keywords = [] }  // an empty keyword occurs everywhere: the rule always runs
        var tags = ["gitleaks"]
        for tag in rule.tags where !tags.contains(tag) { tags.append(tag) }
        let description = rule.description.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        return RuleDraft(
            sourceID: rule.id, id: "gitleaks." + Self.kebabCase(rule.id),
            description: description ?? "gitleaks rule '\(rule.id)'.",
            message: "A possible secret (gitleaks rule \(rule.id)) was found: remove it and rotate the secret.",
            tags: tags, pattern: parsed.pcre2, group: group,
            entropy: rule.entropy.flatMap { $0 > 0 ? $0.nextUp : nil }, keywords: keywords, allow: allow)
    }

    // MARK: Allowlists

    /// The allow entries of one allowlist; what cannot hold on content (paths, commits) is
    /// reported. An AND allowlist is kept only when it is one kind of check (then AND and OR agree).
    private func allowEntries(_ allowlist: GitleaksAllowlist, rule: String?, notes: inout [ImportNote]) -> [AllowDraft] {
        let label = allowlist.label
        func note(_ field: String, _ reason: String) { notes.append(ImportNote(rule: rule, field: field, reason: reason)) }
        var target = "secret"
        if let written = allowlist.regexTarget?.lowercased(), !written.isEmpty {
            guard ["secret", "match", "line"].contains(written) else {
                note(label + ".regexTarget", "unknown target '\(written)' (gitleaks takes secret, match or line); the allowlist was dropped")
                return []
            }
            target = written
        }
        switch (allowlist.condition ?? "").uppercased() {
        case "", "OR", "||":
            if !allowlist.paths.isEmpty {
                note(label + ".paths", "dropped: Hieros classifies content without a file path, so a path never matches "
                     + "(as in gitleaks when content is scanned without a path)")
            }
            if !allowlist.commits.isEmpty {
                note(label + ".commits", "dropped: Hieros classifies content without a commit, so a commit never matches")
            }
        case "AND", "&&":
            if !allowlist.paths.isEmpty || !allowlist.commits.isEmpty {
                let what = allowlist.paths.isEmpty ? "commits" : "paths"
                note(label, "dropped: condition AND with \(what) cannot hold on content, which has no file path or commit "
                     + "(as in gitleaks when content is scanned without a path)")
                return []
            }
            if !allowlist.regexes.isEmpty && !allowlist.stopwords.isEmpty {
                note(label, "dropped: condition AND of regexes and stopwords cannot be expressed (Hieros allow entries are "
                     + "alternatives); what it would allow is reported")
                return []
            }
        case let other:
            note(label + ".condition", "unknown condition '\(other)' (gitleaks takes OR or AND); the allowlist was dropped")
            return []
        }
        var entries: [AllowDraft] = []
        for (index, regex) in allowlist.regexes.enumerated() {
            do {
                entries.append(.pattern(try GoRegex(regex).pcre2, target: target))
            } catch {
                note("\(label).regexes[\(index + 1)]", "the regex does not parse: \(error.message); dropped")
            }
        }
        let words = allowlist.stopwords.map { $0.lowercased() }.filter { !$0.isEmpty }
        if !words.isEmpty { entries.append(.stopwords(words)) }
        return entries
    }

    /// Keeps the entries the policy loader accepts; reports the others.
    private func checked(_ entries: [AllowDraft], rule: String?, field: String, notes: inout [ImportNote]) -> [AllowDraft] {
        entries.filter { entry in
            let probe = RuleDraft(sourceID: "probe", id: "gitleaks.probe", description: "probe", message: "probe", tags: [],
                                  pattern: "x", group: nil, entropy: nil, keywords: [], allow: [entry])
            guard let problems = problems(of: probe) else { return true }
            let what: String
            if case .pattern(let pattern, _) = entry { what = "'\(pattern)'" } else { what = "the stopwords" }
            notes.append(ImportNote(rule: rule, field: field, reason: "dropped \(what): the Hieros policy loader rejects it: " + problems))
            return false
        }
    }

    // MARK: Checking with the policy loader

    private func problems(of rule: RuleDraft) -> String? {
        problems(of: PolicyDraft(levels: [level], level: level, rules: [rule]))
    }

    private func problems(of policy: PolicyDraft) -> String? {
        do {
            _ = try PolicyLoader.load(sources: [PolicySource(path: "<import>", contents: try policy.yaml())])
            return nil
        } catch let error as PolicyLoadError {
            return error.diagnostics.map(\.message).joined(separator: "; ")
        } catch {
            return "\(error)"
        }
    }

    // MARK: Names and header

    /// `gitleaks.<id>` must be unique; a collision (ids differing only in case or punctuation)
    /// gets a numeric suffix.
    private func unique(_ id: String, source: String, used: inout Set<String>, notes: inout [ImportNote]) -> String {
        var candidate = id
        var suffix = 2
        while used.contains(candidate) {
            candidate = "\(id)-\(suffix)"
            suffix += 1
        }
        if candidate != id {
            notes.append(ImportNote(rule: source, field: "id", reason: "converts to '\(id)' like an earlier rule; named '\(candidate)'"))
        }
        used.insert(candidate)
        return candidate
    }

    /// Lowercase letters and digits, every other run of characters one hyphen.
    static func kebabCase(_ id: String) -> String {
        var result = ""
        for scalar in id.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else if !result.isEmpty && !result.hasSuffix("-") {
                result += "-"
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result.isEmpty ? "rule" : result
    }

    static func isKebabCase(_ name: String) -> Bool {
        !name.isEmpty && kebabCase(name) == name
    }

    private func header(source: String, total: Int, converted: Int, notes: [ImportNote]) -> [String] {
        var lines = [
            "Converted from the gitleaks configuration '\((source as NSString).lastPathComponent)' by",
            "`hieros policy import --from gitleaks`: \(converted) of \(total) rules.",
        ]
        lines += [
            "Entropy thresholds are one step above gitleaks' values: gitleaks keeps a secret whose entropy",
            "is above the value, Hieros one whose entropy is at least the value.",
        ]
        if !notes.isEmpty {
            lines.append("Not converted, or only in part:")
            lines += notes.map { "  " + $0.description }
        }
        return lines
    }
}
