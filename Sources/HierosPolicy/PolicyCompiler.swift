import HierosPCRE2
import HierosText
import Yams

/// Validates raw policy files as one set and compiles them into a `PolicySet`.
struct PolicyCompiler {
    static let idShape = try! Pattern("^[a-z0-9]+(?:-[a-z0-9]+)*(?:\\.[a-z0-9]+(?:-[a-z0-9]+)*)*$")
    /// One matcher for every id and level name the set declares (not one per name).
    private let idShapeMatcher = Matcher(pattern: PolicyCompiler.idShape, limits: .standard)

    var files: [(RawPolicyFile, DiagnosticSink)]
    var patterns: [CompiledPattern] = []
    var termLists: [String: [String]] = [:]
    var defaultOptions: PatternOptions = []
    var defaultLimits = MatchLimits.standard
    var scale = LevelScale.standard
    let normalizer = TextNormalizer(joinsSpacedLetters: false)
    /// Literal analyses by (extended, normalised source): keywords and windows read the same one.
    var literalAnalyses: [String: LiteralAnalysis] = [:]

    /// Whether to run `BacktrackingLint` on every pattern.
    let lint: Bool

    init(files: [(RawPolicyFile, DiagnosticSink)], lint: Bool = true) {
        self.files = files
        self.lint = lint
    }

    mutating func compile() -> (PolicySet?, [PolicyDiagnostic], [PolicyDiagnostic]) {
        compileSetLevel()
        let channels = compileChannels()
        var rules: [Rule] = []
        var seen: [String: SourceLocation] = [:]
        func add(_ raw: RawRule, _ sink: DiagnosticSink, _ adjustment: PackAdjustment?) {
            if let first = seen[raw.id] {
                sink.error(raw.idNode, rule: raw.id, "duplicate rule id; first defined at \(first)")
                return
            }
            seen[raw.id] = sink.location(raw.idNode)
            if let rule = compileRule(raw, sink: sink, adjustment: adjustment) { rules.append(rule) }
        }
        for (file, sink) in files where file.pack == nil {
            let fileWide = file.allow.isEmpty ? nil : PackAdjustment(pack: nil, level: nil, allow: file.allow.map { ($0, sink) })
            for raw in file.rules { add(raw, sink, fileWide) }
        }
        for (raw, sink, adjustment) in includedPackRules() { add(raw, sink, adjustment) }
        let errors = files.flatMap { $0.1.errors }
        let warnings = files.flatMap { $0.1.warnings }
        guard errors.isEmpty else { return (nil, errors, warnings) }
        let set = PolicySet(scale: scale, channels: channels, rules: rules, patterns: patterns,
                            warnings: warnings, sourcePaths: files.map { $0.0.path })
        return (set, [], warnings)
    }

    // MARK: Set level

    private mutating func compileSetLevel() {
        var levelsFrom: String?, defaultsFrom: String?
        for (file, sink) in files {
            if let (name, node) = file.pack {
                for (present, key) in [(file.levels != nil, "levels"), (file.channels != nil, "channels"),
                                       (file.defaults != nil, "defaults"), (!file.includes.isEmpty, "include")] where present {
                    sink.error(node, "pack '\(name)' declares '\(key)'; a pack holds rules and term lists only")
                }
            }
            if let levels = file.levels, let node = file.levelsNode {
                if let first = levelsFrom {
                    sink.error(node, "levels are already declared in \(first); a policy set declares them once")
                } else {
                    levelsFrom = file.path
                    compileLevels(levels, node: node, sink: sink)
                }
            }
            for (name, terms, node) in file.termLists {
                if termLists[name] != nil {
                    sink.error(node, "duplicate term list '\(name)'")
                } else if terms.isEmpty {
                    sink.error(node, "term list '\(name)' is empty")
                } else {
                    termLists[name] = terms.map(\.0)
                }
            }
            guard let defaults = file.defaults else { continue }
            if let first = defaultsFrom {
                sink.error(nil, "defaults are already declared in \(first); a policy set declares them once")
                continue
            }
            defaultsFrom = file.path
            if let options = defaults.options { defaultOptions = compileOptions(options, sink: sink, rule: nil) }
            if let limits = defaults.limits { defaultLimits = merge(defaultLimits, limits) }
        }
    }

    private mutating func compileLevels(_ levels: [(String, Node)], node: Node, sink: DiagnosticSink) {
        guard !levels.isEmpty else {
            sink.error(node, "'levels' must list at least one level")
            return
        }
        var names: [String] = []
        for (name, item) in levels {
            if names.contains(name) {
                sink.error(item, "duplicate level '\(name)'")
            } else if isWellFormedID(name) {
                names.append(name)
            } else {
                sink.error(item, "level '\(name)' must be lowercase kebab-case")
            }
        }
        if !names.isEmpty { scale = LevelScale(names: names) }
    }

    private func compileChannels() -> [Channel] {
        var channels: [Channel] = []
        var names: [String: String] = [:]
        for (file, sink) in files {
            for raw in file.channels ?? [] {
                guard let level = level(raw.maxLevel, sink: sink, rule: nil) else { continue }
                var ok = true
                for (name, node) in [(raw.id, raw.node)] + raw.aliases {
                    let key = name.lowercased()
                    if let owner = names[key] {
                        sink.error(node, "channel name '\(name)' is already used by channel '\(owner)'")
                        ok = false
                    }
                    names[key] = raw.id
                }
                if ok {
                    channels.append(Channel(id: raw.id, aliases: raw.aliases.map(\.0), maxLevel: level,
                                            description: raw.description))
                }
            }
        }
        return channels
    }

    private func level(_ raw: (String, Node), sink: DiagnosticSink, rule: String?) -> Level? {
        if let level = scale.level(named: raw.0) { return level }
        let known = scale.levels.map(\.name).joined(separator: ", ")
        sink.error(raw.1, rule: rule, "unknown level '\(raw.0)'; the levels are: \(known)")
        return nil
    }

    private func compileOptions(_ names: [(String, Node)], sink: DiagnosticSink, rule: String?) -> PatternOptions {
        var options: PatternOptions = []
        for (name, node) in names {
            if let option = PatternOptions.names.first(where: { $0.name == name })?.option {
                options.insert(option)
            } else {
                let hint = closest(to: name, in: PatternOptions.names.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
                sink.error(node, rule: rule, "unknown pattern option '\(name)'\(hint)")
            }
        }
        return options
    }

    private func merge(_ base: MatchLimits, _ raw: RawLimits) -> MatchLimits {
        MatchLimits(match: raw.match.map { UInt32(clamping: $0) } ?? base.match,
                    depth: raw.depth.map { UInt32(clamping: $0) } ?? base.depth,
                    heapKiB: raw.heapKiB.map { UInt32(clamping: $0) } ?? base.heapKiB,
                    timeMsPerMiB: raw.timeMsPerMiB.map { UInt32(clamping: $0) } ?? base.timeMsPerMiB)
    }

    // MARK: Rules

    private mutating func compileRule(_ raw: RawRule, sink: DiagnosticSink, adjustment: PackAdjustment?) -> Rule? {
        let id = raw.id
        if !isWellFormedID(id) {
            sink.error(raw.idNode, rule: id, "rule id must be lowercase, dotted kebab-case (e.g. 'codename.prefix-form')")
        }
        let level = adjustment?.level ?? raw.level.flatMap { self.level($0, sink: sink, rule: id) }
        for (text, key) in [(raw.description, "description"), (raw.message, "message")] where text?.isEmpty == true {
            sink.error(raw.node, rule: id, "'\(key)' must not be empty")
        }
        let limits = raw.limits.map { merge(defaultLimits, $0) } ?? defaultLimits
        let spec = compileMatcher(raw.matcher, rule: id, limits: limits, sink: sink)
        let keywords = compileKeywords(raw, sink: sink)
        if raw.examples.match.isEmpty && raw.examples.noMatch.isEmpty {
            sink.warning(raw.node, rule: id, "rule has no examples; 'hieros policy test' cannot check it")
        }
        // Allow patterns read like the rule's own pattern: its options, else the defaults.
        let ruleOptions = raw.matcher.options.map { compileOptions($0, sink: DiagnosticSink(path: sink.path), rule: id) }
            ?? defaultOptions
        var allow = raw.allow.compactMap { compileAllow($0, rule: id, options: ruleOptions, limits: limits, sink: sink) }
        for (extra, extraSink) in adjustment?.allow ?? [] {
            if let compiled = compileAllow(extra, rule: id, options: ruleOptions, limits: limits, sink: extraSink) { allow.append(compiled) }
        }
        guard let level, let spec, let description = raw.description, let message = raw.message else { return nil }
        return Rule(id: id, level: level, description: description, message: message, tags: raw.tags, spec: spec,
                    keywords: keywords, minDistinct: raw.minDistinct, examples: raw.examples, allow: allow,
                    pack: adjustment?.pack, location: sink.location(raw.idNode))
    }

    mutating func literalAnalysis(of source: String, extended: Bool) -> LiteralAnalysis {
        let key = (extended ? "x|" : "-|") + source
        if let known = literalAnalyses[key] { return known }
        let analysis = LiteralAnalysis(pattern: source, extended: extended)
        literalAnalyses[key] = analysis
        return analysis
    }

    private mutating func compileKeywords(_ raw: RawRule, sink: DiagnosticSink) -> [String] {
        if let declared = raw.keywords {
            var keywords: [String] = []
            var caseBeyondASCII: (keyword: String, node: Node)?
            for (keyword, node) in declared {
                let normalized = normalizer.normalize(keyword).lowercased()
                if normalized.isEmpty {
                    sink.error(node, rule: raw.id, "a keyword must not be empty")
                } else {
                    keywords.append(normalized)
                    if caseBeyondASCII == nil, LiteralAnalysis.hasCasedNonASCII(normalized) { caseBeyondASCII = (keyword, node) }
                }
            }
            if declared.isEmpty { sink.error(raw.node, rule: raw.id, "'keywords' must not be an empty list") }
            if let (keyword, node) = caseBeyondASCII {
                // The keyword pass folds ASCII letters only; rather than miss `МОСКВА` for
                // `москва`, the rule runs on every item.
                sink.warning(node, rule: raw.id, "keyword '\(keyword)' has letters beyond ASCII, which the keyword prefilter "
                    + "cannot match in every case: the rule runs on every item")
                return []
            }
            return keywords
        }
        guard let terms = raw.matcher.terms else {
            // A pattern without declared keywords: use the literals every match must contain.
            guard let (pattern, _) = raw.matcher.pattern else { return [] }
            let extended = raw.matcher.options?.contains { $0.0 == "extended" } ?? defaultOptions.contains(.extended)
            return literalAnalysis(of: normalizer.normalize(pattern), extended: extended).findingLiterals?.sorted() ?? []
        }
        return termKeywords(terms.flatMap { expand($0.0) }) ?? []
    }

    /// The first words of `terms`, by which the keyword pass finds them; nil when one has none,
    /// or has a cased letter beyond ASCII (the pass folds ASCII only: `МОСКВА` would be missed).
    private func termKeywords(_ terms: [String]) -> [String]? {
        let firsts = terms.map(TermCompiler.keyword(for:))
        guard !firsts.isEmpty, firsts.allSatisfy({ $0.map { !LiteralAnalysis.hasCasedNonASCII($0) } ?? false }) else { return nil }
        return Array(Set(firsts.compactMap { $0 })).sorted()
    }

    /// For each of `firsts`, what follows it in every term it starts (nil when one term tells
    /// nothing: a one-word term).
    private func nextWords(of terms: [String], by firsts: [String]) -> [NextWord?] {
        var union: [String: NextWord?] = [:]
        for term in terms {
            guard let first = TermCompiler.keyword(for: term) else { continue }
            let next = TermCompiler.nextWord(for: term)
            if let known = union[first] {
                union[first] = known.flatMap { known in next.map(known.union) }
            } else {
                union[first] = next
            }
        }
        return firsts.map { union[$0] ?? nil }
    }

    private func expand(_ term: String) -> [String] {
        guard term.hasPrefix("@") else { return [term] }
        return termLists[String(term.dropFirst())] ?? []
    }

    private mutating func compileMatcher(
        _ raw: RawMatcher, rule: String, limits: MatchLimits, sink: DiagnosticSink
    ) -> MatchSpec? {
        let validators = raw.validators.compactMap { compileValidator($0, rule: rule, sink: sink) }
        let source: String, summary: String, options: PatternOptions, sourceNode: Node
        var lengthBound: LengthBound?
        if let (pattern, node) = raw.pattern {
            guard !pattern.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                sink.error(node, rule: rule, "pattern is empty")
                return nil
            }
            source = normalizer.normalize(pattern)
            summary = pattern
            sourceNode = node
            if lint { for warning in BacktrackingLint.warnings(for: pattern) { sink.warning(node, rule: rule, warning) } }
            options = raw.options.map { compileOptions($0, sink: sink, rule: rule) } ?? defaultOptions
        } else if let terms = raw.terms {
            var expanded: [String] = []
            var broken = false
            for (term, node) in terms {
                if term.hasPrefix("@"), termLists[String(term.dropFirst())] == nil {
                    sink.error(node, rule: rule, "unknown term list '\(term.dropFirst())'")
                    broken = true
                } else if term.trimmingCharacters(in: .whitespaces).isEmpty {
                    sink.error(node, rule: rule, "a term must not be empty")
                    broken = true
                } else {
                    expanded += expand(term)
                }
            }
            guard !broken else { return nil }
            guard !expanded.isEmpty else {
                sink.error(raw.node, rule: rule, "'terms' must list at least one term")
                return nil
            }
            if let optionsNode = raw.options?.first?.1 {
                sink.error(optionsNode, rule: rule, "'options' do not apply to terms: terms are always caseless")
            }
            (source, lengthBound) = TermCompiler.compile(expanded)
            summary = "terms: " + terms.map(\.0).joined(separator: ", ")
            sourceNode = raw.terms?.first?.1 ?? raw.node
            options = [.caseless, .ucp]
        } else {
            return nil
        }
        guard let patternID = compilePattern(source, options: options, node: sourceNode, rule: rule, limits: limits, sink: sink)
        else { return nil }
        var window: MatchWindow?
        var digitWindow: Int?
        var digitOrColonWindow: Int?
        if raw.pattern != nil {
            let analysis = literalAnalysis(of: source, extended: options.contains(.extended))
            lengthBound = analysis.maximumLength.map { LengthBound(fixed: $0, separatorRuns: 0) }
            // Lead bytes that include the space or the line feed run through prose: not worth
            // walking back over.
            let leadBytes = analysis.leadBytes.flatMap { $0.contains(0x20) || $0.contains(0x0A) ? nil : $0 }
            // With no bound before the literal, its lead bytes still bound a match: it starts
            // within their run (`<` and a tag name before `password>`), which a space ends.
            if let literals = analysis.findingLiterals,
               let lead = analysis.literalLead ?? leadBytes.map({ _ in MatchWindow.unboundedLead }) {
                // Not `startsWord`, even after a leading word boundary: the boundary may hold for
                // one top-level alternative only (`(?<![\p{L}\p{N}])a|b`).
                // A closer needs no keyword of its own, where openers must all be found.
                window = MatchWindow(literals: literals.sorted(), lead: lead,
                                     openers: analysis.closer == nil ? analysis.openers?.sorted() ?? [] : [],
                                     leadBytes: leadBytes, closer: analysis.closer)
            }
            digitWindow = analysis.digitOffset
            if window == nil, digitWindow == nil {
                // Nothing to find it by: a colon may do where a digit does not (an IPv6 address).
                digitOrColonWindow = LiteralAnalysis(pattern: source, extended: options.contains(.extended),
                                                     colonsAnchor: true).digitOffset
            }
        } else if let terms = raw.terms {
            // A term match starts with its first word: try the pattern only where one starts.
            let expanded = terms.flatMap { expand($0.0) }
            if let firsts = termKeywords(expanded) {
                window = MatchWindow(literals: firsts, lead: 0, startsWord: true, nextWords: nextWords(of: expanded, by: firsts))
            }
        }
        let group = compileGroup(raw.group, pattern: patterns[patternID].pattern, rule: rule, sink: sink)
        var evidence: [EvidenceClause] = []
        for clause in raw.evidence {
            guard let matcher = compileMatcher(clause.matcher, rule: rule, limits: limits, sink: sink) else { continue }
            var side = EvidenceClause.Side.either
            if let (name, node) = clause.side {
                if let parsed = EvidenceClause.Side(rawValue: name) {
                    side = parsed
                } else {
                    sink.error(node, rule: rule, "unknown side '\(name)'; use before, after or either")
                }
            }
            evidence.append(EvidenceClause(kind: clause.kind, within: clause.within, side: side, matcher: matcher))
        }
        return MatchSpec(patternID: patternID, group: group, validators: validators, evidence: evidence, summary: summary,
                         window: window, digitWindow: digitWindow, digitOrColonWindow: digitOrColonWindow,
                         lengthBound: lengthBound)
    }

    /// Compiles a pattern of the set and returns its id, or reports PCRE2's error at `node`.
    mutating func compilePattern(
        _ source: String, options: PatternOptions, node: Node, rule: String, limits: MatchLimits, sink: DiagnosticSink
    ) -> Int? {
        do {
            let pattern = try Pattern(source, options: options)
            patterns.append(CompiledPattern(pattern: pattern, limits: limits, ruleID: rule))
            return patterns.count - 1
        } catch {
            sink.error(node, rule: rule, "invalid pattern: \(describe(error, in: source))")
            return nil
        }
    }

    private func describe(_ error: PCRE2Error, in source: String) -> String {
        guard case .compile(_, let offset, let message) = error else { return error.description }
        let bytes = Array(source.utf8)
        let end = min(offset, bytes.count)
        let start = max(0, end - 24)
        let context = String(decoding: bytes[start..<end], as: UTF8.self)
        return "\(message) at pattern offset \(offset) (after '\(context)')"
    }

    private func compileGroup(_ raw: (String, Node)?, pattern: Pattern, rule: String, sink: DiagnosticSink) -> Int {
        guard let (text, node) = raw else { return 0 }
        if let number = Int(text) {
            guard number >= 0, number <= pattern.captureCount else {
                sink.error(node, rule: rule, "group \(number) does not exist; the pattern has \(pattern.captureCount) groups")
                return 0
            }
            return number
        }
        guard let number = pattern.groupNumber(named: text) else {
            sink.error(node, rule: rule, "the pattern has no group named '\(text)'")
            return 0
        }
        return number
    }

    private func compileValidator(_ raw: (RawValidator, Node), rule: String, sink: DiagnosticSink) -> Validator? {
        switch raw.0 {
        case .entropy(let bits): return .entropy(bits)
        case .named(let name):
            if let checksum = Checksum(rawValue: name) { return .checksum(checksum) }
            let names = Checksum.allCases.map(\.rawValue)
            let hint = closest(to: name, in: names).map { "; did you mean '\($0)'?" } ?? ""
            sink.error(raw.1, rule: rule, "unknown validator '\(name)'\(hint) (known: \(names.joined(separator: ", ")), {entropy: N})")
            return nil
        }
    }
}

extension PolicyCompiler {
    /// Whether `text` is lowercase, dotted kebab-case.
    func isWellFormedID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { (try? idShapeMatcher.firstMatch(in: $0, from: 0)) != nil }
    }
}
