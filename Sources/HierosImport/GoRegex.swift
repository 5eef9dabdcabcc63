/// A Go (RE2) regular expression, parsed just enough to carry it over to PCRE2 and to reason
/// about its capture groups. RE2 syntax is almost a subset of PCRE2's; the few escapes that
/// mean something else in PCRE2 are rewritten, everything else is kept byte for byte.
struct GoRegex {
    /// A piece of the expression.
    indirect enum Node {
        /// An atom or assertion, as PCRE2 text (a character, escape, class, anchor or `(?i)`).
        case atom(String)
        /// A parenthesised group and its alternatives.
        case group(Group)
        /// A node with its quantifier text (`*`, `{0,50}?`…) and the least number of repetitions.
        case quantified(Node, quantifier: String, minimum: Int)
    }

    struct Group {
        enum Kind {
            /// A capture group; `opener` is `(`, `(?P<name>` or `(?<name>`.
            case capture
            /// A non-capturing group; `opener` is `(?:` or a flag group such as `(?i:`.
            case plain
        }

        var kind: Kind
        var opener: String
        var alternatives: [[Node]]
        /// Emitted as a PCRE2 branch reset, so that each alternative numbers its captures alike.
        var branchReset = false
    }

    /// The top-level alternatives.
    var alternatives: [[Node]]
    /// Whether the top-level alternation is emitted as a branch reset.
    var branchReset = false

    /// A regex that cannot be parsed (PCRE2 would reject it too; the message says where).
    struct SyntaxError: Error, Equatable {
        let message: String
    }

    init(_ source: String) throws(SyntaxError) {
        var parser = Parser(scalars: Array(source.unicodeScalars))
        alternatives = try parser.parseAlternatives(topLevel: true)
    }

    /// The PCRE2 text of the expression.
    var pcre2: String {
        let body = Self.emit(alternatives)
        return branchReset ? "(?|" + body + ")" : body
    }

    /// The number of capture groups, as Go numbers them.
    var captureCount: Int { Self.captures(in: alternatives) }

    /// Whether every match sets capture group 1 (with the current branch resets): then group 1
    /// is what gitleaks reports when it has no `secretGroup` (its first non-empty group).
    var alwaysSetsFirstGroup: Bool {
        var counter = 0
        return Self.sets(alternatives, reset: branchReset, counter: &counter)
    }

    /// Turns every alternation whose alternatives hold captures in more than one branch into a
    /// branch reset and drops capture names (names cannot repeat across a reset, and gitleaks
    /// selects groups by number). The matches are unchanged; only the numbering is.
    mutating func resetAlternations() {
        branchReset = Self.needsReset(alternatives)
        alternatives = alternatives.map { $0.map(Self.reset) }
    }

    /// Drops a leading lazy prefix such as `[\w.-]{0,50}?` when the group right after it starts
    /// with the same prefix: gitleaks generates that nesting for its case-sensitive
    /// "semi-generic" rules, and it costs PCRE2 (a backtracking engine) up to 50×50 tries at
    /// every position. A leading lazy prefix never changes where the rest of the pattern
    /// matches (the leftmost place the rest can match is reached with an empty prefix), so
    /// only the start of the whole match moves; the caller keeps the prefix when something
    /// looks at the whole match.
    @discardableResult
    mutating func dropRedundantLeadingPrefix() -> Bool {
        guard alternatives.count == 1, let sequence = alternatives.first, sequence.count >= 2,
              case .quantified(.atom(let outer), let quantifier, 0) = sequence[0], quantifier.hasSuffix("?"),
              case .group(let group) = sequence[1], group.kind == .plain, group.alternatives.count == 1,
              let first = group.alternatives[0].first,
              case .quantified(.atom(outer), quantifier, 0) = first
        else { return false }
        alternatives = [Array(sequence.dropFirst())]
        return true
    }

    // MARK: Analysis

    private static func captures(in alternatives: [[Node]]) -> Int {
        alternatives.joined().reduce(0) { $0 + captures(in: $1) }
    }

    private static func captures(in node: Node) -> Int {
        switch node {
        case .atom: return 0
        case .quantified(let inner, _, _): return captures(in: inner)
        case .group(let group): return (group.kind == .capture ? 1 : 0) + captures(in: group.alternatives)
        }
    }

    private static func needsReset(_ alternatives: [[Node]]) -> Bool {
        alternatives.count > 1 && alternatives.filter { captures(in: [$0]) > 0 }.count > 1
    }

    private static func reset(_ node: Node) -> Node {
        switch node {
        case .atom: return node
        case .quantified(let inner, let quantifier, let minimum):
            return .quantified(reset(inner), quantifier: quantifier, minimum: minimum)
        case .group(var group):
            if group.kind == .capture {
                group.opener = "("
            } else {
                group.branchReset = needsReset(group.alternatives)
            }
            group.alternatives = group.alternatives.map { $0.map(reset) }
            return .group(group)
        }
    }

    /// Whether matching `alternatives` always sets group 1; `counter` is the number of the last
    /// capture opened before them, advanced as PCRE2 numbers groups (resets included).
    private static func sets(_ alternatives: [[Node]], reset: Bool, counter: inout Int) -> Bool {
        let start = counter
        var highest = counter
        var all = true
        for sequence in alternatives {
            if reset { counter = start }
            var found = false
            for node in sequence where sets(node, counter: &counter) { found = true }
            all = all && found
            highest = max(highest, counter)
        }
        counter = reset ? highest : counter
        return all
    }

    private static func sets(_ node: Node, counter: inout Int) -> Bool {
        switch node {
        case .atom: return false
        case .quantified(let inner, _, let minimum):
            return sets(inner, counter: &counter) && minimum > 0
        case .group(let group):
            var isFirst = false
            if group.kind == .capture {
                counter += 1
                isFirst = counter == 1
            }
            let inner = sets(group.alternatives, reset: group.branchReset, counter: &counter)
            return isFirst || inner
        }
    }

    // MARK: Emission

    private static func emit(_ alternatives: [[Node]]) -> String {
        alternatives.map { $0.map(emit).joined() }.joined(separator: "|")
    }

    private static func emit(_ node: Node) -> String {
        switch node {
        case .atom(let text): return text
        case .quantified(let inner, let quantifier, _): return emit(inner) + quantifier
        case .group(let group):
            let body = emit(group.alternatives)
            guard group.branchReset else { return group.opener + body + ")" }
            return group.opener == "(?:" ? "(?|" + body + ")" : group.opener + "(?|" + body + "))"
        }
    }
}

// MARK: - Parser

private struct Parser {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func peek(_ offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private func text(_ range: Range<Int>) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[range])
        return result
    }

    mutating func parseAlternatives(topLevel: Bool) throws(GoRegex.SyntaxError) -> [[GoRegex.Node]] {
        var alternatives: [[GoRegex.Node]] = [[]]
        while let scalar = current {
            switch scalar {
            case "|":
                index += 1
                alternatives.append([])
            case ")":
                guard !topLevel else { throw GoRegex.SyntaxError(message: "unmatched ')' at offset \(index)") }
                return alternatives
            case "(":
                alternatives[alternatives.count - 1].append(try parseGroup())
            case "*", "+", "?":
                index += 1
                quantify(&alternatives[alternatives.count - 1], String(scalar), minimum: scalar == "+" ? 1 : 0)
            case "{":
                if let (quantifier, minimum) = repetition() {
                    quantify(&alternatives[alternatives.count - 1], quantifier, minimum: minimum)
                } else {
                    // Not a repetition: a literal brace in Go. Escaped, since newer PCRE2 reads
                    // `{,n}` as a quantifier.
                    index += 1
                    alternatives[alternatives.count - 1].append(.atom("\\{"))
                }
            case "[":
                alternatives[alternatives.count - 1].append(.atom(try parseClass()))
            case "\\":
                alternatives[alternatives.count - 1].append(.atom(try parseEscape(inClass: false)))
            default:
                index += 1
                alternatives[alternatives.count - 1].append(.atom(String(scalar)))
            }
        }
        guard topLevel else { throw GoRegex.SyntaxError(message: "missing ')' at the end of the pattern") }
        return alternatives
    }

    /// Applies a quantifier (and a following lazy `?`) to the last node of `sequence`.
    private mutating func quantify(_ sequence: inout [GoRegex.Node], _ quantifier: String, minimum: Int) {
        var quantifier = quantifier
        if current == "?" {
            quantifier += "?"
            index += 1
        }
        guard let last = sequence.popLast() else {
            sequence.append(.atom(quantifier))  // PCRE2 reports the missing operand
            return
        }
        sequence.append(.quantified(last, quantifier: quantifier, minimum: minimum))
    }

    /// `{n}`, `{n,}` or `{n,m}` at the current position (consumed), with its minimum.
    private mutating func repetition() -> (String, Int)? {
        var cursor = index + 1
        var minimum = ""
        while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) {
            minimum.unicodeScalars.append(scalars[cursor])
            cursor += 1
        }
        guard !minimum.isEmpty, cursor < scalars.count else { return nil }
        if scalars[cursor] == "," {
            cursor += 1
            while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) { cursor += 1 }
        }
        guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
        let quantifier = text(index..<cursor + 1)
        index = cursor + 1
        return (quantifier, Int(minimum) ?? 0)
    }

    private mutating func parseGroup() throws(GoRegex.SyntaxError) -> GoRegex.Node {
        let start = index
        index += 1
        var kind = GoRegex.Group.Kind.capture
        if current == "?" {
            if peek(1) == "P" && peek(2) == "<" || peek(1) == "<" && peek(2) != "=" && peek(2) != "!" {
                guard let close = scalars[index...].firstIndex(of: ">") else {
                    throw GoRegex.SyntaxError(message: "unterminated group name at offset \(start)")
                }
                index = close + 1
            } else {
                // Flags: `(?i)` is an atom, `(?i:` and `(?:` open a non-capturing group.
                var cursor = index + 1
                while cursor < scalars.count, scalars[cursor] != ")" && scalars[cursor] != ":" { cursor += 1 }
                guard cursor < scalars.count else {
                    throw GoRegex.SyntaxError(message: "missing ')' after the flags at offset \(start)")
                }
                index = cursor + 1
                if scalars[cursor] == ")" { return .atom(text(start..<index)) }
                kind = .plain
            }
        }
        let opener = text(start..<index)
        let alternatives = try parseAlternatives(topLevel: false)
        index += 1  // the ')'
        return .group(GoRegex.Group(kind: kind, opener: opener, alternatives: alternatives))
    }

    /// A bracketed class, kept as written except for the escapes that differ in PCRE2.
    private mutating func parseClass() throws(GoRegex.SyntaxError) -> String {
        let start = index
        var result = "["
        index += 1
        if current == "^" {
            result += "^"
            index += 1
        }
        if current == "]" {  // a leading ']' is literal
            result += "]"
            index += 1
        }
        while let scalar = current {
            switch scalar {
            case "]":
                index += 1
                return result + "]"
            case "\\":
                result += try parseEscape(inClass: true)
            case "[" where peek(1) == ":":
                guard let close = (index + 2..<max(index + 2, scalars.count - 1)).first(where: {
                    scalars[$0] == ":" && scalars[$0 + 1] == "]"
                }) else {
                    result += "\\["
                    index += 1
                    continue
                }
                result += text(index..<close + 2)
                index = close + 2
            case "[":
                result += "\\["  // literal in Go; PCRE2 might read a POSIX class
                index += 1
            default:
                result.unicodeScalars.append(scalar)
                index += 1
            }
        }
        throw GoRegex.SyntaxError(message: "missing ']' for the class at offset \(start)")
    }

    /// An escape sequence. Go's `\v` is the vertical tab (a class in PCRE2) and `\123` an
    /// octal code (a back-reference in PCRE2); both are rewritten to PCRE2's spelling.
    private mutating func parseEscape(inClass: Bool) throws(GoRegex.SyntaxError) -> String {
        let start = index
        guard let next = peek(1) else { throw GoRegex.SyntaxError(message: "trailing '\\' at offset \(start)") }
        switch next {
        case "Q":
            var cursor = index + 2
            while cursor < scalars.count, !(scalars[cursor] == "\\" && cursor + 1 < scalars.count && scalars[cursor + 1] == "E") {
                cursor += 1
            }
            index = min(cursor + 2, scalars.count)
            return text(start..<index)
        case "v":
            index += 2
            return "\\x0B"
        case "0"..."7":
            var cursor = index + 1
            var digits = ""
            while cursor < scalars.count, digits.count < 3, ("0"..."7").contains(scalars[cursor]) {
                digits.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            index = cursor
            return "\\o{\(digits)}"
        case "x", "p", "P":
            if peek(2) == "{", let close = scalars[(index + 2)...].firstIndex(of: "}") {
                index = close + 1
            } else {
                index = min(index + (next == "x" ? 4 : 3), scalars.count)
            }
            return text(start..<index)
        default:
            index += 2
            return text(start..<index)
        }
    }
}
