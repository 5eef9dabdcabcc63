/// Reads a PCRE2 pattern's source for what the prefilter can use:
/// - `required`: a set of literals one of which occurs in every match (lowercased, since the
///   keyword automaton folds case), so a rule without declared keywords still runs only
///   where one of them occurs;
/// - `literalLead`: the most bytes a match can hold before the start of that literal, so
///   that a rule need only be tried that far before each occurrence of one (an e-mail address:
///   64 bytes before its `@`, however long its domain);
/// - `openers`: a set of literals one of which starts every match, for a literal far into the
///   match (a codename after up to 500 bytes of prefix words and separators): the pattern is
///   then tried only where an opener occurs within that lead;
/// - `leadBytes`: every byte a match can hold before that literal, when known, so that the
///   pattern need only be tried as far back as they run (an e-mail address: back to the start
///   of its local part, not 1,100 bytes back);
/// - `closer`: what every match holds just before that literal, when it is a run of known
///   bytes after one of a set of words (see `LeadCloser`);
/// - `maximumLength`: the longest a match can be, in bytes, when it is bounded;
/// - `requiresDigit`: whether every match holds an ASCII digit (`\d` counts: normalisation
///   folds every decimal digit to ASCII), so a literal-free rule such as an amount or a card
///   number need only be tried near digits;
/// - `digitOffset`: then, the most bytes a match can hold before its first digit, so that it
///   need only be tried that far before each run of digits (an amount: a sign and a currency).
///   Read with `colonsAnchor`, a `:` counts as a digit: every IP address holds a digit or a
///   colon near its start, though an IPv6 address need not hold a digit.
///
/// It is a conservative reading: anything it does not understand makes it give up (nil),
/// which only costs speed, never a missed match.
struct LiteralAnalysis {
    /// What a fragment of pattern can match.
    struct Fragment {
        /// The complete strings it matches, when it matches a small finite set of them.
        var exact: Set<String>?
        /// Strings one of which occurs in every match.
        var required: Set<String>?
        /// With `required`: the most bytes before where that string starts (nil: unbounded).
        var requiredLead: Int?
        /// Strings one of which starts every match, when `exact` does not say it already (nil:
        /// none known): read through `starts`, so that a literal character costs no set of its own.
        var opening: Set<String>?
        /// With `required`: every byte a match can hold before that string (nil: unknown).
        var requiredBytes: ByteSet?
        /// Every byte a match can hold (nil: unknown).
        var bytes: ByteSet?
        /// Minimum and maximum match length in bytes (maximum nil: unbounded).
        var minimum: Int
        var maximum: Int?
        /// Every match holds an ASCII digit.
        var digit = false
        /// When `digit`: the most bytes before the first digit of a match (nil: unbounded).
        var digitOffset: Int?
        /// Strings one of which ends every match, when `exact` does not say it already (nil:
        /// none known): read through `ends`.
        var closing: Set<String>?
        /// With `required`: what every match holds just before that string, when known.
        var requiredCloser: LeadCloser?

        /// Strings one of which starts every match: the exact strings, else `opening`.
        var starts: Set<String>? {
            if let exact, !exact.contains("") { return exact }
            return opening
        }

        /// Strings one of which ends every match: the exact strings, else `closing`.
        var ends: Set<String>? {
            if let exact, !exact.contains("") { return exact }
            return closing
        }

        static let empty = Fragment(exact: [""], required: nil, bytes: ByteSet(), minimum: 0, maximum: 0)
        static let opaque = Fragment(exact: nil, required: nil, minimum: 1, maximum: 4)  // one character, up to 4 UTF-8 bytes
        static let digit = Fragment(exact: nil, required: nil, bytes: ByteSets.digits, minimum: 1, maximum: 4,
                                    digit: true, digitOffset: 0)

        /// One character of a class whose bytes are known.
        static func character(in bytes: ByteSet) -> Fragment { Fragment(exact: nil, required: nil, bytes: bytes, minimum: 1, maximum: 4) }
    }

    /// The literals to find the pattern by (its keywords and windows): none when some are of
    /// two bytes and every match also needs a digit. Two-letter literals (the 80 country codes
    /// of an IBAN: it, is, at, no…) occur every few words, so finding and placing them costs
    /// more than trying the pattern just before runs of digits.
    var findingLiterals: Set<String>? {
        guard let required, digitOffset == nil || required.allSatisfy({ $0.utf8.count > 2 }) else { return nil }
        return required
    }

    static let maximumExactStrings = 64

    /// Whether `text` holds a letter beyond ASCII that has another case.
    static func hasCasedNonASCII(_ text: String) -> Bool {
        text.unicodeScalars.contains { !$0.isASCII && $0.properties.changesWhenCaseMapped }
    }

    /// The most UTF-8 bytes a scalar written in a pattern can match: its own size when ASCII
    /// (normalisation folds the Kelvin sign and the long s, ASCII letters' only other cases),
    /// else up to 4 (caseless `ß` matches the 3-byte `ẞ`).
    static func maximumBytes(_ scalar: Unicode.Scalar) -> Int { scalar.isASCII ? 1 : 4 }
    static let rareSymbols: Set<String> = ["@", "#", "$", "%", "&", "|", "~", "^", "`", "\\"]

    let required: Set<String>?
    let literalLead: Int?
    let openers: Set<String>?
    let leadBytes: ByteSet?
    let closer: LeadCloser?
    let maximumLength: Int?
    let requiresDigit: Bool
    let digitOffset: Int?

    init(pattern: String, extended: Bool, colonsAnchor: Bool = false) {
        var parser = Parser(characters: Array(pattern.unicodeScalars), extended: extended, colonsAnchor: colonsAnchor)
        let fragment = parser.alternation()
        if parser.failed || parser.index < parser.characters.count {
            required = nil
            literalLead = nil
            openers = nil
            leadBytes = nil
            closer = nil
            maximumLength = nil
            requiresDigit = false
            digitOffset = nil
            return
        }
        let best = fragment.exact.map { Set($0) } ?? fragment.required
        if let best, Self.isUsable(best) {
            required = Set(best.map { $0.lowercased() })
            literalLead = fragment.exact != nil ? 0 : fragment.requiredLead
            leadBytes = fragment.exact != nil ? ByteSet() : fragment.requiredBytes
            closer = fragment.exact != nil ? nil : fragment.requiredCloser
        } else {
            required = nil
            literalLead = nil
            leadBytes = nil
            closer = nil
        }
        maximumLength = fragment.maximum
        requiresDigit = fragment.digit
        digitOffset = fragment.digit ? fragment.digitOffset : nil
        // Only worth finding where the required literal can lie far into a match; two-letter
        // openers give way to digits, as literals do (see `findingLiterals`).
        if literalLead != 0, let opening = fragment.starts, Self.isUsable(opening),
           fragment.digitOffset == nil || opening.allSatisfy({ $0.utf8.count > 2 }) {
            openers = Set(opening.map { $0.lowercased() })
        } else {
            openers = nil
        }
    }

    /// Whether the keyword pass can find a pattern by `literals`. One byte is too common to find
    /// a pattern by, but for a few symbols prose rarely holds. The keyword pass folds ASCII
    /// letters only: a literal with a cased letter beyond ASCII (`москва`) could occur in another
    /// case in a caseless match, so it cannot be used.
    static func isUsable(_ literals: Set<String>) -> Bool {
        !literals.isEmpty && literals.allSatisfy { $0.utf8.count >= 2 || rareSymbols.contains($0) }
            && !literals.contains(where: hasCasedNonASCII)
    }

    private struct Parser {
        /// The pattern's Unicode scalars: what PCRE2 reads in UTF mode (a quantifier applies to
        /// one scalar, even inside a grapheme cluster such as `कि`).
        let characters: [Unicode.Scalar]
        var index = 0
        var extended: Bool
        /// Whether `:` counts as a digit (see `digitOffset`).
        let colonsAnchor: Bool
        var failed = false
        /// The maximum length of each capture group closed so far (by group number - 1; nil
        /// while open or unbounded), so that a backreference has a bounded length too.
        var captureMaxima: [Int?] = []
        /// Set by a branch reset `(?|…)` or a `(?n)` flag, after which groups are not numbered in
        /// order: backreferences then make the analysis give up.
        var numberingUnknown = false
        /// Set by a flag group `(?x)`, for the sequence that holds it (after its own scope ends).
        var pendingExtended: Bool?

        init(characters: [Unicode.Scalar], extended: Bool, colonsAnchor: Bool) {
            self.characters = characters
            self.extended = extended
            self.colonsAnchor = colonsAnchor
        }

        var atEnd: Bool { index >= characters.count }
        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        mutating func alternation() -> Fragment {
            var branches = [sequence()]
            while peek() == "|" {
                index += 1
                branches.append(sequence())
            }
            guard branches.count > 1 else { return branches[0] }
            var result = Fragment(exact: [], required: [], requiredLead: 0, opening: [], requiredBytes: ByteSet(), bytes: ByteSet(),
                                  minimum: Int.max, maximum: 0, digit: true, digitOffset: 0, closing: [])
            for branch in branches {
                if let closing = branch.ends, let current = result.closing { result.closing = current.union(closing) } else { result.closing = nil }
                result.bytes = united(result.bytes, branch.bytes)
                result.requiredBytes = united(result.requiredBytes, branch.required != nil ? branch.requiredBytes : ByteSet())
                if let opening = branch.starts, let current = result.opening { result.opening = current.union(opening) } else { result.opening = nil }
                result.digit = result.digit && branch.digit
                result.digitOffset = zip(result.digitOffset, branch.digitOffset).map(max)
                if let exact = branch.exact, let current = result.exact { result.exact = current.union(exact) } else { result.exact = nil }
                let branchRequired = branch.required ?? branch.exact.flatMap { $0.contains("") ? nil : $0 }
                if let needed = branchRequired, let current = result.required { result.required = current.union(needed) } else { result.required = nil }
                result.requiredLead = zip(result.requiredLead, branch.required != nil ? branch.requiredLead : 0).map(max)
                result.minimum = min(result.minimum, branch.minimum)
                result.maximum = zip(result.maximum, branch.maximum).map(max)
            }
            if (result.exact?.count ?? 0) > LiteralAnalysis.maximumExactStrings { result.exact = nil }
            return result
        }

        mutating func sequence() -> Fragment {
            var factors: [Fragment] = []
            while true {
                skipIgnorable()
                guard let character = peek(), character != "|", character != ")" else { break }
                var item = atom()
                if failed { return .opaque }
                if let flagged = pendingExtended {
                    extended = flagged
                    pendingExtended = nil
                }
                item = quantified(item)
                factors.append(item)
            }
            return combine(factors)
        }

        /// Concatenation: runs of exact factors multiply into longer literals; the best
        /// required set of any run or factor wins.
        func combine(_ factors: [Fragment]) -> Fragment {
            var result = Fragment(exact: [""], required: nil, bytes: ByteSet(), minimum: 0, maximum: 0)
            // `first`: the factor the strings start, when they start at its start.
            var candidates: [(strings: Set<String>, lead: Int?, bytes: ByteSet?, first: Int?)] = []
            var run: Set<String>? = [""]
            var runFirst = 0  // the index of the run's first factor
            // The longest the factors before the current one can be: where a first digit, a run
            // or a factor's required string can start. Every string of a run starts with it.
            var before: Int? = 0
            var runLead: Int? = 0
            // The bytes of the factors before the current one, and before the current run.
            var beforeBytes: ByteSet? = ByteSet()
            var runBytes: ByteSet? = ByteSet()
            func closeRun() {
                if let strings = run, !strings.contains(""), !strings.isEmpty {
                    candidates.append((strings, runLead, runBytes, runFirst))
                }
                run = [""]
            }
            for (index, factor) in factors.enumerated() {
                if run == [""] {
                    runLead = before
                    runBytes = beforeBytes
                    runFirst = index
                }
                if factor.digit && !result.digit { result.digitOffset = zip(before, factor.digitOffset).map(Int.addingReportingOverflow) }
                result.digit = result.digit || factor.digit
                result.minimum = saturated(result.minimum.addingReportingOverflow(factor.minimum))
                result.maximum = zip(result.maximum, factor.maximum).map(Int.addingReportingOverflow)
                if let exact = factor.exact, let current = result.exact, current.count * exact.count <= LiteralAnalysis.maximumExactStrings {
                    result.exact = Set(current.flatMap { prefix in exact.map { prefix + $0 } })
                } else {
                    result.exact = nil
                }
                if let exact = factor.exact, let current = run, current.count * exact.count <= LiteralAnalysis.maximumExactStrings {
                    run = Set(current.flatMap { prefix in exact.map { prefix + $0 } })
                } else {
                    closeRun()
                    if let required = factor.required {
                        candidates.append((required, zip(before, factor.requiredLead).map(Int.addingReportingOverflow),
                                           united(beforeBytes, factor.requiredBytes),
                                           factor.requiredLead == 0 ? index : nil))
                    }
                    run = factor.exact == nil ? [""] : factor.exact
                    runLead = before
                    runBytes = beforeBytes
                    runFirst = index
                }
                before = zip(before, factor.maximum).map(Int.addingReportingOverflow)
                beforeBytes = united(beforeBytes, factor.bytes)
            }
            result.bytes = beforeBytes
            closeRun()
            result.opening = Self.opening(of: factors)
            result.closing = Self.closing(of: factors)
            // A literal the pattern can be tried near (a bounded lead) beats a longer one it
            // cannot: `eyJ…{8,}\.eyJ` is found by its first `eyj`, not by `.eyj`.
            // Only literals that can be used at all compete on that (see `init`).
            func rank(_ candidate: (strings: Set<String>, lead: Int?, bytes: ByteSet?, first: Int?)) -> (Int, Int, Int, Int) {
                let (length, count) = quality(candidate.strings)
                let usable = LiteralAnalysis.isUsable(candidate.strings)
                return (usable ? 1 : 0, usable && candidate.lead != nil ? 1 : 0, length, count)
            }
            let best = candidates.filter { !$0.strings.isEmpty }.max { rank($0) < rank($1) }
            result.required = best?.strings
            result.requiredLead = best?.lead
            result.requiredBytes = best?.bytes
            result.requiredCloser = best?.first.flatMap { Self.closer(before: $0, in: factors) }
            return result
        }

        /// What every match of a sequence holds just before its factor `index`: the factor
        /// before it that consumes something is a non-empty run of known bytes (not a literal),
        /// and the factors before that end with ASCII closers whose last byte is not one of them,
        /// so that the run is exactly the longest one before the literal.
        static func closer(before index: Int, in factors: [Fragment]) -> LeadCloser? {
            guard let gapIndex = factors[..<index].lastIndex(where: { $0.maximum != 0 }) else { return nil }
            let gap = factors[gapIndex]
            guard gap.minimum > 0, gap.exact == nil, let bytes = gap.bytes, let gapMaximum = gap.maximum,
                  let closers = closing(of: factors[..<gapIndex]), !closers.isEmpty else { return nil }
            for closer in closers {
                guard let last = closer.utf8.last, closer.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
                // Both cases of a letter: the match is caseless.
                let cases = (0x61...0x7A).contains(last | 0x20) ? [last | 0x20, last & 0xDF] : [last]
                guard !cases.contains(where: bytes.contains) else { return nil }
            }
            var reach = 0
            for factor in factors[..<gapIndex] {
                guard let maximum = factor.maximum else { return nil }
                let (sum, overflow) = reach.addingReportingOverflow(maximum)
                guard !overflow else { return nil }
                reach = sum
            }
            return LeadCloser(closers: closers.map { $0.lowercased() }.sorted(), gap: bytes, gapMaximum: gapMaximum, reach: reach)
        }

        /// The strings one of which starts every match of a sequence: its first factor that
        /// consumes something (lookarounds and anchors do not) must match, and must start it;
        /// from an exact first factor, the exact factors after it lengthen the strings.
        static func opening(of factors: some BidirectionalCollection<Fragment>) -> Set<String>? {
            affixes(of: factors, atEnd: false)
        }

        /// The strings one of which ends every match of a sequence: the mirror of `opening`.
        static func closing(of factors: some BidirectionalCollection<Fragment>) -> Set<String>? {
            affixes(of: factors, atEnd: true)
        }

        /// `opening`, or with `atEnd` `closing`: read from the sequence's end, each exact factor
        /// before the last lengthens the strings at their front.
        private static func affixes(of factors: some BidirectionalCollection<Fragment>, atEnd: Bool) -> Set<String>? {
            let ordered = atEnd ? Array(factors.reversed()) : Array(factors)
            guard let first = ordered.firstIndex(where: { $0.maximum != 0 }) else { return nil }
            let factor = ordered[first]
            guard factor.minimum > 0 else { return nil }
            guard var strings = factor.exact, !strings.contains("") else { return atEnd ? factor.ends : factor.starts }
            for next in ordered[(first + 1)...] {
                guard let exact = next.exact, strings.count * exact.count <= LiteralAnalysis.maximumExactStrings else { break }
                strings = Set(strings.flatMap { kept in exact.map { atEnd ? $0 + kept : kept + $0 } })
            }
            return strings
        }

        func quality(_ strings: Set<String>) -> (Int, Int) {
            (strings.map(\.utf8.count).min() ?? 0, -strings.count)
        }

        static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
        /// A digit, or a `:` when colons count as digits.
        func isAnchor(_ scalar: Unicode.Scalar) -> Bool { Self.isDigit(scalar) || colonsAnchor && scalar == ":" }

        /// What PCRE2 skips in extended mode (not every white space: a no-break space is literal).
        static let patternWhiteSpace: Set<Unicode.Scalar> = [" ", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}"]

        /// In extended mode PCRE2 ignores white space and `#` comments, also between an item and
        /// its quantifier (and the quantifier's `?`/`+`): skip them, or `a *` would read as a literal.
        mutating func skipIgnorable() {
            guard extended else { return }
            while let character = peek(), Self.patternWhiteSpace.contains(character) || character == "#" {
                if character == "#" { while let next = peek(), next != "\n" { index += 1 } }
                index += 1
            }
        }

        mutating func quantified(_ item: Fragment) -> Fragment {
            skipIgnorable()
            guard let character = peek() else { return item }
            var minimum = 1, maximum: Int? = 1
            switch character {
            case "?": minimum = 0; maximum = 1; index += 1
            case "*": minimum = 0; maximum = nil; index += 1
            case "+": minimum = 1; maximum = nil; index += 1
            case "{":
                guard let close = characters[index...].firstIndex(of: "}") else { return item }
                let body = String(String.UnicodeScalarView(characters[(index + 1)..<close]))
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard let low = Int(parts.first ?? ""), parts.count <= 2 else {
                    // `{,3}` and `{ 2 }` are quantifiers from PCRE2 10.43 on and literals before:
                    // too uncertain to read.
                    if !body.isEmpty, body.allSatisfy({ $0.isNumber || $0 == "," || $0 == " " }) { failed = true }
                    return item  // a literal `{`
                }
                minimum = low
                maximum = parts.count == 1 ? low : (parts[1].isEmpty ? nil : Int(parts[1]))
                // PCRE2 refuses repeats over 65535; beyond that, sums could overflow.
                if low > 65_535 || (maximum ?? 0) > 65_535 { failed = true; return item }
                index = close + 1
            default: return item
            }
            skipIgnorable()
            if let next = peek(), next == "?" || next == "+" { index += 1 }
            var result = item
            result.minimum = saturated(item.minimum.multipliedReportingOverflow(by: minimum))
            result.maximum = zip(item.maximum, maximum).map(Int.multipliedReportingOverflow)
            if item.maximum == nil && maximum != 0 { result.maximum = nil }
            if minimum == 0 || maximum != 1 {
                result.requiredCloser = nil
            }
            if minimum == 0 {
                result.opening = nil
                result.closing = nil
                result.digit = false
                result.exact = (maximum == 1 && item.exact != nil) ? item.exact!.union([""]) : nil
                result.required = nil
            } else if maximum != 1 {
                result.opening = item.starts  // a repeat starts as its first does
                result.closing = item.ends
                result.exact = nil
            }
            return result
        }

        mutating func atom() -> Fragment {
            let character = characters[index]
            switch character {
            case "(":
                return group()
            case "[":
                return characterClass()
            case "\\":
                return escape()
            case ".":
                index += 1
                return .opaque
            case "^", "$":
                index += 1
                return .empty
            default:
                index += 1
                return literal(String(Character(character)))
            }
        }

        func literal(_ text: String) -> Fragment {
            let scalars = Array(text.unicodeScalars)
            let maximum = scalars.reduce(0) { $0 + LiteralAnalysis.maximumBytes($1) }
            let firstDigit = scalars.firstIndex(where: isAnchor)
            return Fragment(exact: [text], required: [text], requiredLead: 0,
                            requiredBytes: ByteSet(), bytes: ByteSets.literal(text), minimum: text.utf8.count, maximum: maximum,
                            digit: firstDigit != nil,
                            digitOffset: firstDigit.map { scalars[..<$0].reduce(0) { $0 + LiteralAnalysis.maximumBytes($1) } })
        }

        mutating func group() -> Fragment {
            index += 1
            // A flag set inside a group, `(a(?x) b)`, ends with the group.
            let enclosingExtended = extended
            defer { extended = enclosingExtended }
            // Verbs and start-of-pattern options, `(*ACCEPT)`, `(*UCP)`: not worth reading.
            if peek() == "*" { failed = true; return .opaque }
            var lookaround = false
            var capture: Int?
            if peek() != "?" && peek() != "*" {
                capture = captureMaxima.count
                captureMaxima.append(nil)
            }
            if peek() == "?" {
                index += 1
                if let next = peek(), next == "=" || next == "!" {
                    lookaround = true
                    index += 1
                } else if peek() == "<", let next = peek(1), next == "=" || next == "!" {
                    lookaround = true
                    index += 2
                } else if peek() == "<" || peek() == "P" || peek() == "'" {
                    if peek() == "P" {
                        index += 1
                        guard peek() == "<" else { failed = true; return .opaque }  // (?P=name), (?P>name)
                    }
                    let close: Unicode.Scalar = peek() == "'" ? "'" : ">"
                    capture = captureMaxima.count
                    captureMaxima.append(nil)
                    index += 1
                    while let next = peek(), next != close { index += 1 }
                    index += 1
                } else if peek() == ">" || peek() == "|" {
                    if peek() == "|" { numberingUnknown = true }
                    index += 1  // atomic group, branch reset: same literals
                } else if peek() == "#" {
                    while let next = peek(), next != ")" { index += 1 }
                    index += 1
                    return .empty
                } else {
                    // Flags: (?i) (?x) (?-i) (?i: … ) (?: … ) (?> … ) (?| … )
                    var flags = ""
                    while let next = peek(), next != ":" && next != ")" { flags.unicodeScalars.append(next); index += 1 }
                    if flags.contains(where: { !"imnsxJUu-^".contains($0) }) { failed = true; return .opaque }
                    if flags.contains("n") { numberingUnknown = true }
                    // `(?^…)` resets the flags first; `(?-x)` turns x off (nothing before the `-`).
                    let parts = flags.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                    var newExtended = flags.hasPrefix("^") ? false : extended
                    if parts[0].contains("x") { newExtended = true }
                    if parts.count > 1, parts[1].contains("x") { newExtended = false }
                    if peek() == ")" {
                        index += 1
                        // Applies to the rest of the enclosing group: the caller's scope.
                        pendingExtended = newExtended
                        return .empty
                    }
                    index += 1  // ":"
                    extended = newExtended
                }
            }
            let inner = alternation()
            guard peek() == ")" else { failed = true; return .opaque }
            index += 1
            if let capture { captureMaxima[capture] = inner.maximum }
            return lookaround ? .empty : inner
        }

        mutating func characterClass() -> Fragment {
            var members: [Unicode.Scalar] = []
            var simple = true
            // Every member a digit (or, when it counts as one, `:`), a range of them or `\d`.
            var digits = true
            // A superset of the bytes the class matches; nil when not read (negation, `\p`…).
            var bytes: ByteSet? = ByteSet()
            func add(_ member: Unicode.Scalar) {
                if member.isASCII { bytes?.insert(UInt8(member.value)) } else { bytes = bytes?.union(ByteSets.literal(String(member))) }
            }
            index += 1
            if peek() == "^" { simple = false; digits = false; bytes = nil; index += 1 }
            if peek() == "]" { members.append("]"); add("]"); digits = false; index += 1 }
            while let character = peek(), character != "]" {
                if character == "\\" {
                    index += 1
                    guard let escaped = peek() else { failed = true; return .opaque }
                    if escaped.properties.isAlphabetic || escaped.properties.numericType != nil {
                        simple = false
                        bytes = ByteSets.escaped(escaped).flatMap { known in bytes.map { $0.union(known) } }
                    } else {
                        members.append(escaped)
                        add(escaped)
                    }
                    if escaped != "d" { digits = false }
                    if escaped == "p" || escaped == "P" || escaped == "x", peek(1) == "{" {
                        while let next = peek(), next != "}" { index += 1 }
                    }
                } else if character == "[", peek(1) == ":" {
                    simple = false
                    digits = false
                    bytes = nil
                    while let next = peek(), !(next == "]" && characters[index - 1] == ":") { index += 1 }
                } else if character == "-", !members.isEmpty, peek(1) != "]" {
                    simple = false
                    if let upper = peek(1), !isAnchor(upper) { digits = false }
                    // A range, or a literal `-` after a range or a class escape: both, to be safe.
                    add("-")
                    if let lower = members.last, let upper = peek(1), upper != "\\", lower.isASCII, upper.isASCII, lower <= upper {
                        for value in lower.value...upper.value { bytes?.insert(UInt8(value)) }
                    } else {
                        bytes = nil
                    }
                } else {
                    if !isAnchor(character) { digits = false }
                    members.append(character)
                    add(character)
                }
                index += 1
            }
            guard peek() == "]" else { failed = true; return .opaque }
            index += 1
            // [Ss] is one letter to a case-folding prefilter.
            let folded = Set(members.map { String(Character($0)).lowercased() })
            if simple, folded.count == 1, let only = folded.first {
                // The bytes of the members as written: `[Ø]` is read as `ø`, but matches `Ø`.
                var fragment = literal(only)
                fragment.bytes = bytes?.caseClosed()
                return fragment
            }
            var fragment = digits ? Fragment.digit : .opaque
            fragment.bytes = bytes?.caseClosed()
            return fragment
        }

        mutating func escape() -> Fragment {
            index += 1
            guard let character = peek() else { failed = true; return .opaque }
            index += 1
            switch character {
            case "b", "B", "A", "z", "Z", "G", "K":
                return .empty
            case "d":
                return .digit
            case "N" where peek() == "{":
                // `\N{U+hh…}`: one character.
                while let next = peek(), next != "}" { index += 1 }
                index += 1
                return .opaque
            case "D", "w", "W", "s", "S", "h", "H", "v", "V", "N", "R", "X", "C":
                if let bytes = ByteSets.escaped(character) { return .character(in: bytes) }
                return character == "R" || character == "X" ? Fragment(exact: nil, required: nil, minimum: 1, maximum: nil) : .opaque
            case "p", "P":
                if peek() == "{" { while let next = peek(), next != "}" { index += 1 }; index += 1 } else { index += 1 }
                return .opaque
            case "x":
                if peek() == "{" {
                    var hex = ""
                    index += 1
                    while let next = peek(), next != "}" { hex.unicodeScalars.append(next); index += 1 }
                    index += 1
                    guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else { return .opaque }
                    return literal(String(Character(scalar)))
                }
                var hex = ""
                while hex.count < 2, let next = peek(), next.properties.isASCIIHexDigit { hex.unicodeScalars.append(next); index += 1 }
                guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else { return .opaque }
                return literal(String(Character(scalar)))
            case "n": return literal("\n")
            case "t": return literal("\t")
            case "r": return literal("\r")
            case "Q":
                var text = String.UnicodeScalarView()
                while index < characters.count {
                    if characters[index] == "\\", peek(1) == "E" { index += 2; break }
                    text.append(characters[index])
                    index += 1
                }
                // A quantifier after `\Q…\E` applies to its last character only.
                guard let last = text.last else { return .empty }
                let quantifiedLast = quantified(literal(String(Character(last))))
                return combine([literal(String(String.UnicodeScalarView(text.dropLast()))), quantifiedLast])
            default:
                // `\1`…`\9`: a backreference to a closed group matches at most what the group can.
                if !numberingUnknown, Self.isDigit(character), let number = Int(String(Character(character))), number >= 1,
                   peek().map({ !Self.isDigit($0) }) ?? true,
                   number <= captureMaxima.count, let maximum = captureMaxima[number - 1] {
                    return Fragment(exact: nil, required: nil, minimum: 0, maximum: maximum)
                }
                if Self.isDigit(character) || character == "g" || character == "k" { failed = true; return .opaque }  // other backreferences
                if character.properties.isAlphabetic { failed = true; return .opaque }
                return literal(String(Character(character)))
            }
        }
    }
}

/// A product or sum that overflowed counts as unbounded (it only ever bounds a search).
private func saturated(_ result: (partialValue: Int, overflow: Bool)) -> Int {
    result.overflow ? Int.max : result.partialValue
}

/// The bytes of what the pattern analysis reads, as supersets.
enum ByteSets {
    /// ASCII digits and, since `\d` matches other scripts' digits in UCP mode, bytes beyond ASCII.
    static let digits = ByteSet(UInt8(ascii: "0")...UInt8(ascii: "9")).union(.beyondASCII)

    /// The bytes of a literal, in either case: beyond ASCII, every byte beyond ASCII, and for a
    /// letter with another case, every ASCII letter too (caseless, the Kelvin sign matches `k`).
    static func literal(_ text: String) -> ByteSet {
        var bytes = ByteSet(text.utf8).caseClosed()
        for scalar in text.unicodeScalars where !scalar.isASCII {
            bytes = bytes.union(.beyondASCII)
            if scalar.properties.changesWhenCaseMapped { bytes = bytes.union(asciiLetters) }
        }
        return bytes
    }

    static let asciiLetters = ByteSet(Array("abcdefghijklmnopqrstuvwxyz".utf8)).caseClosed()

    /// The bytes of a backslash escape inside or outside a class, nil when not known here.
    /// UCP classes also match beyond ASCII (a no-break space is `\s`, `é` is `\w`).
    static func escaped(_ letter: Unicode.Scalar) -> ByteSet? {
        switch letter {
        case "d": return digits
        case "w": return ByteSet(Array("0123456789_".utf8)).union(literal("abcdefghijklmnopqrstuvwxyz"))
        case "s": return ByteSet([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20]).union(.beyondASCII)
        case "h": return ByteSet([0x09, 0x20]).union(.beyondASCII)
        case "v": return ByteSet([0x0A, 0x0B, 0x0C, 0x0D]).union(.beyondASCII)
        case "n": return ByteSet([0x0A])
        case "t": return ByteSet([0x09])
        case "r": return ByteSet([0x0D])
        case "f": return ByteSet([0x0C])
        default: return nil
        }
    }
}

/// Two byte sets together; nil (unknown) when either is.
private func united(_ first: ByteSet?, _ second: ByteSet?) -> ByteSet? {
    guard let first, let second else { return nil }
    return first.union(second)
}

private func zip(_ first: Int?, _ second: Int?) -> (Int, Int)? {
    guard let first, let second else { return nil }
    return (first, second)
}

private extension Optional where Wrapped == (Int, Int) {
    /// A bound from two bounds; nil (unbounded) when either is, or when it overflows.
    func map(_ transform: (Int, Int) -> Int) -> Int? {
        guard case .some(let pair) = self else { return nil }
        return transform(pair.0, pair.1)
    }

    func map(_ transform: (Int) -> (Int) -> (partialValue: Int, overflow: Bool)) -> Int? {
        guard case .some(let pair) = self else { return nil }
        let result = transform(pair.0)(pair.1)
        return result.overflow ? nil : result.partialValue
    }
}
