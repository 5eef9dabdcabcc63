import HierosPCRE2

// How each part of a compiled policy set is written to and read from a cache entry (see
// CacheCoding.swift). Fields are written in declaration order; a change here is a change of
// `PolicyCache.format`.

extension PolicySet {
    func write(to writer: inout CacheWriter) {
        writer.strings(scale.levels.map(\.name))
        writer.array(channels) { writer, channel in
            writer.string(channel.id)
            writer.strings(channel.aliases)
            writer.int(channel.maxLevel.rank)
            writer.string(channel.description)
        }
        writer.array(rules) { $1.write(to: &$0) }
        writer.array(patterns) { writer, compiled in
            writer.string(compiled.pattern.source)
            writer.int(Int(compiled.pattern.options.rawValue))
            writer.int(compiled.pattern.captureCount)
            for limit in [compiled.limits.match, compiled.limits.depth, compiled.limits.heapKiB, compiled.limits.timeMsPerMiB] {
                writer.int(Int(limit))
            }
            writer.string(compiled.ruleID)
        }
        writer.array(warnings) { writer, warning in
            warning.location.write(to: &writer)
            writer.optional(warning.ruleID) { $0.string($1) }
            writer.string(warning.message)
        }
        writer.strings(sourcePaths)
    }

    /// Reads a set written by `write(to:)`, and checks that every pattern index, group and level
    /// it holds points into the set. Patterns are compiled again on first use (the key covers
    /// the PCRE2 library that compiled them).
    init(cache reader: inout CacheReader) throws(CacheReader.Corrupt) {
        let names = try reader.strings()
        guard !names.isEmpty else { throw CacheReader.Corrupt() }
        let scale = LevelScale(names: names)
        func level(_ reader: inout CacheReader) throws(CacheReader.Corrupt) -> Level {
            let rank = try reader.natural()
            guard scale.levels.indices.contains(rank) else { throw CacheReader.Corrupt() }
            return scale.levels[rank]
        }
        let channels = try reader.array { reader throws(CacheReader.Corrupt) in
            Channel(id: try reader.string(), aliases: try reader.strings(), maxLevel: try level(&reader),
                    description: try reader.string())
        }
        let rules = try reader.array { reader throws(CacheReader.Corrupt) in try Rule(cache: &reader, level: level) }
        let patterns = try reader.array { reader throws(CacheReader.Corrupt) -> CompiledPattern in
            let source = try reader.string()
            let options = PatternOptions(rawValue: try reader.uint32())
            let captureCount = try reader.natural()
            guard captureCount <= Pattern.maximumCaptureCount else { throw CacheReader.Corrupt() }
            let limits = MatchLimits(match: try reader.uint32(), depth: try reader.uint32(), heapKiB: try reader.uint32(),
                                     timeMsPerMiB: try reader.uint32())
            let ruleID = try reader.string()
            return CompiledPattern(pattern: Pattern(compiledBefore: source, options: options, captureCount: captureCount),
                                   limits: limits, ruleID: ruleID)
        }
        let warnings = try reader.array { reader throws(CacheReader.Corrupt) in
            PolicyDiagnostic(location: try SourceLocation(cache: &reader),
                             ruleID: try reader.optional { reader throws(CacheReader.Corrupt) in try reader.string() },
                             message: try reader.string())
        }
        let sourcePaths = try reader.strings()
        let references = rules.flatMap(\.patternReferences)
        guard reader.isAtEnd, Set(rules.map(\.id)).count == rules.count, references.allSatisfy({ patterns.indices.contains($0.pattern) && (0...patterns[$0.pattern].pattern.captureCount).contains($0.group) })
        else { throw CacheReader.Corrupt() }
        self.init(scale: scale, channels: channels, rules: rules, patterns: patterns, warnings: warnings,
                  sourcePaths: sourcePaths)
    }
}

extension Rule {
    func write(to writer: inout CacheWriter) {
        writer.string(id)
        writer.int(level.rank)
        writer.string(description)
        writer.string(message)
        writer.strings(tags)
        spec.write(to: &writer)
        writer.strings(keywords)
        writer.int(minDistinct)
        writer.strings(examples.match)
        writer.strings(examples.noMatch)
        writer.array(allow) { writer, entry in
            switch entry {
            case .pattern(let patternID, let target):
                writer.tag(0)
                writer.int(patternID)
                writer.string(target.rawValue)
            case .stopwords(let words):
                writer.tag(1)
                writer.strings(words)
            }
        }
        writer.optional(pack) { $0.string($1) }
        location.write(to: &writer)
    }

    init(cache reader: inout CacheReader, level: (inout CacheReader) throws(CacheReader.Corrupt) -> Level) throws(CacheReader.Corrupt) {
        id = try reader.string()
        self.level = try level(&reader)
        description = try reader.string()
        message = try reader.string()
        tags = try reader.strings()
        spec = try MatchSpec(cache: &reader)
        keywords = try reader.strings()
        minDistinct = try reader.natural()
        examples = RuleExamples(match: try reader.strings(), noMatch: try reader.strings())
        allow = try reader.array { reader throws(CacheReader.Corrupt) -> AllowRule in
            switch try reader.tag() {
            case 0: return .pattern(patternID: try reader.natural(), target: try reader.named(AllowRule.Target.self))
            case 1: return .stopwords(try reader.strings())
            default: throw CacheReader.Corrupt()
            }
        }
        pack = try reader.optional { reader throws(CacheReader.Corrupt) in try reader.string() }
        location = try SourceLocation(cache: &reader)
    }

    /// Every pattern the rule refers to (its match, its evidence and its allow entries), with
    /// the group it reports.
    var patternReferences: [(pattern: Int, group: Int)] {
        spec.patternReferences + allow.compactMap {
            if case .pattern(let patternID, _) = $0 { return (patternID, 0) }
            return nil
        }
    }
}

extension MatchSpec {
    func write(to writer: inout CacheWriter) {
        writer.int(patternID)
        writer.int(group)
        writer.array(validators) { writer, validator in
            switch validator {
            case .checksum(let kind):
                writer.tag(0)
                writer.string(kind.rawValue)
            case .entropy(let minimum):
                writer.tag(1)
                writer.int(Int(Int64(bitPattern: minimum.bitPattern)))
            }
        }
        writer.array(evidence) { writer, clause in
            writer.string(clause.kind.rawValue)
            writer.int(clause.within)
            writer.string(clause.side.rawValue)
            clause.matcher.write(to: &writer)
        }
        writer.string(summary)
        writer.optional(window) { writer, window in
            writer.strings(window.literals)
            writer.int(window.lead)
            writer.bool(window.startsWord)
            writer.strings(window.openers)
            writer.optional(window.leadBytes) { $0.byteSet($1) }
            writer.array(window.nextWords) { writer, next in
                writer.optional(next) { writer, next in
                    writer.byteSet(next.between)
                    writer.byteSet(next.starts)
                }
            }
            writer.optional(window.closer) { writer, closer in
                writer.strings(closer.closers)
                writer.byteSet(closer.gap)
                writer.int(closer.gapMaximum)
                writer.int(closer.reach)
            }
        }
        writer.optional(digitWindow) { $0.int($1) }
        writer.optional(digitOrColonWindow) { $0.int($1) }
        writer.optional(lengthBound) { writer, bound in
            writer.int(bound.fixed)
            writer.int(bound.separatorRuns)
        }
    }

    init(cache reader: inout CacheReader) throws(CacheReader.Corrupt) {
        patternID = try reader.natural()
        group = try reader.natural()
        validators = try reader.array { reader throws(CacheReader.Corrupt) -> Validator in
            switch try reader.tag() {
            case 0: return .checksum(try reader.named(Checksum.self))
            case 1: return .entropy(Double(bitPattern: UInt64(bitPattern: Int64(try reader.int()))))
            default: throw CacheReader.Corrupt()
            }
        }
        evidence = try reader.array { reader throws(CacheReader.Corrupt) in
            EvidenceClause(kind: try reader.named(EvidenceClause.Kind.self), within: try reader.natural(),
                           side: try reader.named(EvidenceClause.Side.self), matcher: try MatchSpec(cache: &reader))
        }
        summary = try reader.string()
        window = try reader.optional { reader throws(CacheReader.Corrupt) in
            let literals = try reader.strings(), lead = try reader.natural(), startsWord = try reader.bool()
            let openers = try reader.strings()
            let leadBytes = try reader.optional { reader throws(CacheReader.Corrupt) in try reader.byteSet() }
            let nextWords = try reader.array { reader throws(CacheReader.Corrupt) in
                try reader.optional { reader throws(CacheReader.Corrupt) in
                    NextWord(between: try reader.byteSet(), starts: try reader.byteSet())
                }
            }
            let closer = try reader.optional { reader throws(CacheReader.Corrupt) in
                LeadCloser(closers: try reader.strings(), gap: try reader.byteSet(), gapMaximum: try reader.natural(),
                           reach: try reader.natural())
            }
            guard nextWords.isEmpty || nextWords.count == literals.count else { throw CacheReader.Corrupt() }
            return MatchWindow(literals: literals, lead: lead, startsWord: startsWord, openers: openers,
                               leadBytes: leadBytes, nextWords: nextWords, closer: closer)
        }
        digitWindow = try reader.optional { reader throws(CacheReader.Corrupt) in try reader.natural() }
        digitOrColonWindow = try reader.optional { reader throws(CacheReader.Corrupt) in try reader.natural() }
        lengthBound = try reader.optional { reader throws(CacheReader.Corrupt) in
            LengthBound(fixed: try reader.natural(), separatorRuns: try reader.natural())
        }
    }

    var patternReferences: [(pattern: Int, group: Int)] { [(patternID, group)] + evidence.flatMap(\.matcher.patternReferences) }
}

extension SourceLocation {
    func write(to writer: inout CacheWriter) {
        writer.string(path)
        writer.int(line)
        writer.int(column)
    }

    init(cache reader: inout CacheReader) throws(CacheReader.Corrupt) {
        self.init(path: try reader.string(), line: try reader.natural(), column: try reader.natural())
    }
}
