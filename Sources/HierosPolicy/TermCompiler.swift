import HierosText

/// Compiles the standard's term lists (2.3, E5) into PCRE2 source.
///
/// A term matches as a whole word (not glued to a letter or digit); its words match across any
/// run of whitespace, `-` or `_`; its last word also matches with a final `s`; `(e)`, `(s)`,
/// `(es)`… are optional suffixes. Terms are normalised like items, so accents do not matter.
enum TermCompiler {
    static let separator = "[\\s_-]+"
    static let leftBoundary = "(?<![\\p{L}\\p{N}])"
    static let rightBoundary = "(?![\\p{L}\\p{N}])"

    /// PCRE2 source matching any of `terms` (already expanded from lists), and the longest a
    /// match can be: its words are bounded, and each separator between two words is one run of
    /// whitespace, `_` or `-`.
    /// `grouped` off leaves the alternatives ungrouped, for tests to show that grouping changes nothing.
    static func compile(_ terms: [String], grouped: Bool = true) -> (pattern: String, lengthBound: LengthBound) {
        let normalizer = TextNormalizer(joinsSpacedLetters: false)
        var alternatives = Set<String>()
        var fixed = 0, separatorRuns = 0
        for term in terms {
            let parts = words(of: normalizer.normalize(term))
            var fragments: [String] = [], length = 0
            for (index, word) in parts.enumerated() {
                let (fragment, most) = wordFragment(word, isLast: index == parts.count - 1)
                fragments.append(fragment)
                length += most
            }
            alternatives.insert(fragments.joined(separator: separator))
            fixed = max(fixed, length)
            separatorRuns = max(separatorRuns, parts.count - 1)
        }
        let sorted = alternatives.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        let body = (grouped ? factoredByFirstCharacter(sorted) : nil) ?? sorted.joined(separator: "|")
        return (leftBoundary + "(?:" + body + ")" + rightBoundary, LengthBound(fixed: fixed, separatorRuns: separatorRuns))
    }

    /// The alternatives grouped by their first character, `b(?:oard pack|oard minutes)|c(?:…)`,
    /// or nil when one does not start with an ASCII letter or digit. PCRE2 tries alternatives
    /// one by one at each start: grouped, a start tries each first character once, not each
    /// term (a term list is tried at every occurrence of its first words, and this was most of
    /// its cost). Only the terms of one group can match at a given start (caseless ASCII first
    /// characters), and a group keeps their order, so the match is the same as ungrouped.
    static func factoredByFirstCharacter(_ alternatives: [String]) -> String? {
        var groups: [(key: Character, members: [String])] = []
        var index: [Character: Int] = [:]
        for alternative in alternatives {
            guard let first = alternative.first, first.isASCII, first.isLetter || first.isNumber else { return nil }
            let key = Character(first.lowercased())
            if let position = index[key] {
                groups[position].members.append(alternative)
            } else {
                index[key] = groups.count
                groups.append((key, [alternative]))
            }
        }
        return groups.map { group in
            guard group.members.count > 1 else { return group.members[0] }
            return String(group.key) + "(?:" + group.members.map { String($0.dropFirst()) }.joined(separator: "|") + ")"
        }.joined(separator: "|")
    }

    /// The literal words of a term, for the keyword prefilter: the first word, without suffixes.
    static func keyword(for term: String) -> String? {
        let normalized = TextNormalizer(joinsSpacedLetters: false).normalize(term).lowercased()
        guard let first = words(of: normalized).first else { return nil }
        let stem = first.split(separator: "(", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? first
        return stem.isEmpty ? nil : stem
    }

    /// What must follow the first word's stem (`keyword(for:)`) where `term` matches: nil when
    /// the term is one word (a match can end right after), or when a letter beyond ASCII that
    /// could match an ASCII one caselessly (`ſ`, the Kelvin sign) or an optional suffix opening
    /// the second word leaves too little to test.
    static func nextWord(for term: String) -> NextWord? {
        let parts = words(of: TextNormalizer(joinsSpacedLetters: false).normalize(term))
        guard parts.count > 1, let next = parts[1].unicodeScalars.first, next.isASCII, next != "(" else { return nil }
        // The rest of the first word: suffix groups, the letters after them, their parentheses.
        let rest = parts[0].drop { $0 != "(" }
        guard rest.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let between = ByteSet(rest.utf8).caseClosed().union(separatorBytes)
        return NextWord(between: between, starts: ByteSet([UInt8(next.value)]).caseClosed())
    }

    /// What `separator` matches: ASCII whitespace, `_`, `-`, and with UCP any space beyond ASCII.
    private static let separatorBytes = ByteSet([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x5F, 0x2D]).union(.beyondASCII)

    static func words(of term: String) -> [String] {
        term.split(whereSeparator: { $0.isWhitespace || $0 == "-" || $0 == "_" }).map(String.init)
    }

    /// One word: literal characters, `(suffix)` groups made optional, a final optional `s`; and
    /// the most bytes it can match (`LiteralAnalysis.maximumBytes` of each character written).
    private static func wordFragment(_ word: String, isLast: Bool) -> (fragment: String, maximumBytes: Int) {
        var output = ""
        var most = 0
        var endsWithOptional = false
        var index = word.startIndex
        while index < word.endIndex {
            let character = word[index]
            if character == "(", let close = word[index...].firstIndex(of: ")"),
               word.distance(from: index, to: close) > 1,
               word[word.index(after: index)..<close].allSatisfy(\.isLetter) {
                let suffix = String(word[word.index(after: index)..<close])
                output += "(?:" + escape(suffix) + ")?"
                most += maximumBytes(suffix)
                index = word.index(after: close)
                endsWithOptional = index == word.endIndex
                continue
            }
            output += escape(String(character))
            most += maximumBytes(String(character))
            endsWithOptional = false
            index = word.index(after: index)
        }
        if isLast && !endsWithOptional && !word.hasSuffix("s") && word.last?.isLetter == true {
            output += "s?"
            most += 1
        }
        return (output, most)
    }

    private static func maximumBytes(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + LiteralAnalysis.maximumBytes($1) }
    }

    private static let metacharacters: Set<Character> = ["\\", "^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}", "#", " "]

    static func escape(_ text: String) -> String {
        var output = ""
        for character in text {
            if metacharacters.contains(character) { output.append("\\") }
            output.append(character)
        }
        return output
    }
}
