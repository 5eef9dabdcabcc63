/// Reads a PCRE2 pattern's source for what the prefilter can use:
/// - `required`: a set of literals one of which occurs in every match (lowercased, since the
///   keyword automaton folds case), so a rule without declared keywords still runs only
///   where one of them occurs;
/// - `literalLead`: the most bytes a match can hold before the start of that literal, so
///   that a rule need only be tried that far before each occurrence of one (an e-mail address:
///   64 bytes before its `@`, however long its domain);
/// - `maximumLength`: the longest a match can be, in bytes, when it is bounded;
/// - `requiresDigit`: whether every match holds an ASCII digit (`\d` counts: normalisation
///   folds every decimal digit to ASCII), so a literal-free rule such as an amount or a card
///   number need only be tried near digits;
/// - `digitOffset`: then, the most bytes a match can hold before its first digit, so that it
///   need only be tried that far before each run of digits (an amount: a sign and a currency).
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
        /// Minimum and maximum match length in bytes (maximum nil: unbounded).
        var minimum: Int
        var maximum: Int?
        /// Every match holds an ASCII digit.
        var digit = false
        /// When `digit`: the most bytes before the first digit of a match (nil: unbounded).
        var digitOffset: Int?

        static let empty = Fragment(exact: [""], required: nil, minimum: 0, maximum: 0)
        static let opaque = Fragment(exact: nil, required: nil, minimum: 1, maximum: 4)  // one character, up to 4 UTF-8 bytes
        static let digit = Fragment(exact: nil, required: nil, minimum: 1, maximum: 4, digit: true, digitOffset: 0)
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
    static let rareSymbols: Set<String> = ["@", "#", "$", "%", "&", "|", "~", "^", "`", "\\"]

    let required: Set<String>?
    let literalLead: Int?
    let maximumLength: Int?
    let requiresDigit: Bool
    let digitOffset: Int?

    init(pattern: String, extended: Bool) {
        var parser = Parser(characters: Array(pattern), extended: extended)
        let fragment = parser.alternation()
        if parser.failed || parser.index < parser.characters.count {
            required = nil
            literalLead = nil
            maximumLength = nil
            requiresDigit = false
            digitOffset = nil
            return
        }
        let best = fragment.exact.map { Set($0) } ?? fragment.required
        // One byte is too common to find a pattern by, but for a few symbols prose rarely holds.
        if let best, !best.isEmpty, best.allSatisfy({ $0.utf8.count >= 2 || Self.rareSymbols.contains($0) }) {
            required = Set(best.map { $0.lowercased() })
            literalLead = fragment.exact != nil ? 0 : fragment.requiredLead
        } else {
            required = nil
            literalLead = nil
        }
        maximumLength = fragment.maximum
        requiresDigit = fragment.digit
        digitOffset = fragment.digit ? fragment.digitOffset : nil
    }

    private struct Parser {
        let characters: [Character]
        var index = 0
        var extended: Bool
        var failed = false
        /// The maximum length of each capture group closed so far (by group number - 1; nil
        /// while open or unbounded), so that a backreference has a bounded length too.
        var captureMaxima: [Int?] = []
        /// Set by a branch reset `(?|…)` or a `(?n)` flag, after which groups are not numbered in
        /// order: backreferences then make the analysis give up.
        var numberingUnknown = false

        init(characters: [Character], extended: Bool) {
            self.characters = characters
            self.extended = extended
        }

        var atEnd: Bool { index >= characters.count }
        func peek(_ offset: Int = 0) -> Character? {
            index + offset < characters.count ? characters[index + offset] : nil
        }

        mutating func alternation() -> Fragment {
            var branches = [sequence()]
            while peek() == "|" {
                index += 1
                branches.append(sequence())
            }
            guard branches.count > 1 else { return branches[0] }
            var result = Fragment(exact: [], required: [], requiredLead: 0, minimum: Int.max, maximum: 0, digit: true, digitOffset: 0)
            for branch in branches {
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
                item = quantified(item)
                factors.append(item)
            }
            return combine(factors)
        }

        /// Concatenation: runs of exact factors multiply into longer literals; the best
        /// required set of any run or factor wins.
        func combine(_ factors: [Fragment]) -> Fragment {
            var result = Fragment(exact: [""], required: nil, minimum: 0, maximum: 0)
            var candidates: [(strings: Set<String>, lead: Int?)] = []
            var run: Set<String>? = [""]
            // The longest the factors before the current one can be: where a first digit, a run
            // or a factor's required string can start. Every string of a run starts with it.
            var before: Int? = 0
            var runLead: Int? = 0
            func closeRun() {
                if let strings = run, !strings.contains(""), !strings.isEmpty { candidates.append((strings, runLead)) }
                run = [""]
            }
            for factor in factors {
                if run == [""] { runLead = before }
                if factor.digit && !result.digit { result.digitOffset = zip(before, factor.digitOffset).map(+) }
                result.digit = result.digit || factor.digit
                result.minimum += factor.minimum
                result.maximum = zip(result.maximum, factor.maximum).map(+)
                if let exact = factor.exact, let current = result.exact, current.count * exact.count <= LiteralAnalysis.maximumExactStrings {
                    result.exact = Set(current.flatMap { prefix in exact.map { prefix + $0 } })
                } else {
                    result.exact = nil
                }
                if let exact = factor.exact, let current = run, current.count * exact.count <= LiteralAnalysis.maximumExactStrings {
                    run = Set(current.flatMap { prefix in exact.map { prefix + $0 } })
                } else {
                    closeRun()
                    if let required = factor.required { candidates.append((required, zip(before, factor.requiredLead).map(+))) }
                    run = factor.exact == nil ? [""] : factor.exact
                    runLead = before
                }
                before = zip(before, factor.maximum).map(+)
            }
            closeRun()
            let best = candidates.filter { !$0.strings.isEmpty }.max { quality($0.strings) < quality($1.strings) }
            result.required = best?.strings
            result.requiredLead = best?.lead
            return result
        }

        func quality(_ strings: Set<String>) -> (Int, Int) {
            (strings.map(\.utf8.count).min() ?? 0, -strings.count)
        }

        /// In extended mode PCRE2 ignores white space and `#` comments, also between an item and
        /// its quantifier (and the quantifier's `?`/`+`): skip them, or `a *` would read as a literal.
        mutating func skipIgnorable() {
            guard extended else { return }
            while let character = peek(), character.isWhitespace || character == "#" {
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
                let body = String(characters[(index + 1)..<close])
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard let low = Int(parts.first ?? ""), parts.count <= 2 else {
                    // `{,3}` and `{ 2 }` are quantifiers from PCRE2 10.43 on and literals before:
                    // too uncertain to read.
                    if !body.isEmpty, body.allSatisfy({ $0.isNumber || $0 == "," || $0 == " " }) { failed = true }
                    return item  // a literal `{`
                }
                minimum = low
                maximum = parts.count == 1 ? low : (parts[1].isEmpty ? nil : Int(parts[1]))
                index = close + 1
            default: return item
            }
            skipIgnorable()
            if let next = peek(), next == "?" || next == "+" { index += 1 }
            var result = item
            result.minimum = item.minimum * minimum
            result.maximum = zip(item.maximum, maximum).map(*)
            if item.maximum == nil && maximum != 0 { result.maximum = nil }
            if minimum == 0 {
                result.digit = false
                result.exact = (maximum == 1 && item.exact != nil) ? item.exact!.union([""]) : nil
                result.required = nil
            } else if maximum != 1 {
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
                return literal(String(character))
            }
        }

        func literal(_ text: String) -> Fragment {
            let length = text.utf8.count
            let firstDigit = text.utf8.firstIndex { $0 >= 0x30 && $0 <= 0x39 }
            return Fragment(exact: [text], required: [text], requiredLead: 0, minimum: length, maximum: length, digit: firstDigit != nil,
                            digitOffset: firstDigit.map { text.utf8.distance(from: text.utf8.startIndex, to: $0) })
        }

        mutating func group() -> Fragment {
            index += 1
            // Verbs and start-of-pattern options, `(*ACCEPT)`, `(*UCP)`: not worth reading.
            if peek() == "*" { failed = true; return .opaque }
            var lookaround = false
            var restoreExtended: Bool?
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
                    let close: Character = peek() == "'" ? "'" : ">"
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
                    while let next = peek(), next != ":" && next != ")" { flags.append(next); index += 1 }
                    if flags.contains(where: { !"imnsxJUu-^".contains($0) }) { failed = true; return .opaque }
                    if flags.contains("n") { numberingUnknown = true }
                    let turnsOn = flags.split(separator: "-", maxSplits: 1).first.map(String.init) ?? ""
                    let turnsOff = flags.contains("-") ? String(flags.split(separator: "-", maxSplits: 1).last ?? "") : ""
                    let newExtended = turnsOn.contains("x") ? true : (turnsOff.contains("x") ? false : extended)
                    if peek() == ")" {
                        index += 1
                        extended = newExtended  // applies to the rest of the enclosing group
                        return .empty
                    }
                    index += 1  // ":"
                    restoreExtended = extended
                    extended = newExtended
                }
            }
            let inner = alternation()
            if let restoreExtended { extended = restoreExtended }
            guard peek() == ")" else { failed = true; return .opaque }
            index += 1
            if let capture { captureMaxima[capture] = inner.maximum }
            return lookaround ? .empty : inner
        }

        mutating func characterClass() -> Fragment {
            var members: [Character] = []
            var simple = true
            // Every member a digit, a range of digits or `\d`.
            var digits = true
            index += 1
            if peek() == "^" { simple = false; digits = false; index += 1 }
            if peek() == "]" { members.append("]"); digits = false; index += 1 }
            while let character = peek(), character != "]" {
                if character == "\\" {
                    index += 1
                    guard let escaped = peek() else { failed = true; return .opaque }
                    if escaped.isLetter || escaped.isNumber { simple = false } else { members.append(escaped) }
                    if escaped != "d" { digits = false }
                    if escaped == "p" || escaped == "P" || escaped == "x", peek(1) == "{" {
                        while let next = peek(), next != "}" { index += 1 }
                    }
                } else if character == "[", peek(1) == ":" {
                    simple = false
                    digits = false
                    while let next = peek(), !(next == "]" && characters[index - 1] == ":") { index += 1 }
                } else if character == "-", !members.isEmpty, peek(1) != "]" {
                    simple = false
                    if let upper = peek(1), !(upper.isASCII && upper.isNumber) { digits = false }
                } else {
                    if !(character.isASCII && character.isNumber) { digits = false }
                    members.append(character)
                }
                index += 1
            }
            guard peek() == "]" else { failed = true; return .opaque }
            index += 1
            // [Ss] is one letter to a case-folding prefilter.
            let folded = Set(members.map { $0.lowercased() })
            if simple, folded.count == 1, let only = folded.first { return literal(only) }
            return digits ? .digit : .opaque
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
            case "D", "w", "W", "s", "S", "h", "H", "v", "V", "N", "R", "X", "C":
                return character == "R" || character == "X" ? Fragment(exact: nil, required: nil, minimum: 1, maximum: nil) : .opaque
            case "p", "P":
                if peek() == "{" { while let next = peek(), next != "}" { index += 1 }; index += 1 } else { index += 1 }
                return .opaque
            case "x":
                if peek() == "{" {
                    var hex = ""
                    index += 1
                    while let next = peek(), next != "}" { hex.append(next); index += 1 }
                    index += 1
                    guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else { return .opaque }
                    return literal(String(Character(scalar)))
                }
                var hex = ""
                while hex.count < 2, let next = peek(), next.isHexDigit { hex.append(next); index += 1 }
                guard let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else { return .opaque }
                return literal(String(Character(scalar)))
            case "n": return literal("\n")
            case "t": return literal("\t")
            case "r": return literal("\r")
            case "Q":
                var text = ""
                while index < characters.count {
                    if characters[index] == "\\", peek(1) == "E" { index += 2; break }
                    text.append(characters[index])
                    index += 1
                }
                return text.isEmpty ? .empty : literal(text)
            default:
                // `\1`…`\9`: a backreference to a closed group matches at most what the group can.
                if !numberingUnknown, let number = character.wholeNumberValue, number >= 1, peek().map({ !$0.isNumber }) ?? true,
                   number <= captureMaxima.count, let maximum = captureMaxima[number - 1] {
                    return Fragment(exact: nil, required: nil, minimum: 0, maximum: maximum)
                }
                if character.isNumber || character == "g" || character == "k" { failed = true; return .opaque }  // other backreferences
                if character.isLetter { failed = true; return .opaque }
                return literal(String(character))
            }
        }
    }
}

private func zip(_ first: Int?, _ second: Int?) -> (Int, Int)? {
    guard let first, let second else { return nil }
    return (first, second)
}

private extension Optional where Wrapped == (Int, Int) {
    func map(_ transform: (Int, Int) -> Int) -> Int? {
        guard case .some(let pair) = self else { return nil }
        return transform(pair.0, pair.1)
    }
}
