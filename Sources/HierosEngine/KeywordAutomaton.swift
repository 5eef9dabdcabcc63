/// Finds which of many keywords occur in a text in one pass (Aho-Corasick compiled to a DFA),
/// ASCII case-insensitively. This is the prefilter: a rule's PCRE2 patterns run only when one
/// of its keywords occurs, so the cost of a scan grows with the text, not with rules × text.
struct KeywordAutomaton: Sendable {
    /// The keywords, lowercased; indices are keyword ids.
    let keywords: [String]
    /// `transitions[state << 8 | byte]`: the next state (bytes are ASCII-folded first).
    private let transitions: [Int32]
    /// Keyword ids recognised on entering each state (own and inherited through fail links).
    private let outputs: [[Int32]]
    /// Whether `outputs[state]` is non-empty, flat so that the hot loop touches no array of arrays.
    private let hasOutput: [Bool]

    init(keywords: [String]) {
        self.keywords = keywords
        var goto: [[Int32]] = [Array(repeating: -1, count: 256)]
        var own: [[Int32]] = [[]]
        for (id, keyword) in keywords.enumerated() {
            var state = 0
            for byte in keyword.utf8.map(Self.fold) {
                if goto[state][Int(byte)] < 0 {
                    goto[state][Int(byte)] = Int32(goto.count)
                    goto.append(Array(repeating: -1, count: 256))
                    own.append([])
                }
                state = Int(goto[state][Int(byte)])
            }
            own[state].append(Int32(id))
        }
        // Breadth-first: fail links, then a complete transition table.
        var fail = Array(repeating: 0, count: goto.count)
        var outputs = own
        var table = Array(repeating: Int32(0), count: goto.count * 256)
        var queue: [Int] = []
        for byte in 0..<256 {
            let next = goto[0][byte]
            if next > 0 {
                queue.append(Int(next))
                table[byte] = next
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            outputs[state] += outputs[fail[state]]
            for byte in 0..<256 {
                let next = goto[state][byte]
                if next >= 0 {
                    fail[Int(next)] = Int(table[fail[state] << 8 | byte])
                    table[state << 8 | byte] = next
                    queue.append(Int(next))
                } else {
                    table[state << 8 | byte] = table[fail[state] << 8 | byte]
                }
            }
        }
        transitions = table
        self.outputs = outputs
        hasOutput = outputs.map { !$0.isEmpty }
    }

    @inline(__always)
    private static func fold(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// What one pass found: which keywords occur, and where the positional ones end.
    struct Hits {
        var found: [Bool]
        /// End offsets of every occurrence of each positional keyword (nil for the others, and
        /// for a keyword that occurred more often than the cap: its rules then run everywhere).
        var ends: [[Int]?]
    }

    /// Occurrences recorded per positional keyword before giving up on windows for it.
    static let positionCap = 200_000

    /// Which keywords occur in `bytes`, and where each keyword of `positional` ends.
    func scan(_ bytes: [UInt8], positional: [Bool]) -> Hits {
        var found = Array(repeating: false, count: keywords.count)
        var ends: [[Int]?] = positional.map { $0 ? [] : nil }
        guard !keywords.isEmpty else { return Hits(found: found, ends: ends) }
        let anyPositional = positional.contains(true)
        var remaining = keywords.count
        bytes.withUnsafeBufferPointer { text in
            transitions.withUnsafeBufferPointer { table in
                hasOutput.withUnsafeBufferPointer { flags in
                    var state = 0
                    for index in 0..<text.count {
                        state = Int(table[state << 8 | Int(Self.fold(text[index]))])
                        guard flags[state] else { continue }
                        for id in outputs[state] {
                            let keyword = Int(id)
                            if !found[keyword] {
                                found[keyword] = true
                                remaining -= 1
                            }
                            if positional[keyword], ends[keyword] != nil {
                                if ends[keyword]!.count < Self.positionCap { ends[keyword]!.append(index + 1) } else { ends[keyword] = nil }
                            }
                        }
                        if remaining == 0 && !anyPositional { return }
                    }
                }
            }
        }
        return Hits(found: found, ends: ends)
    }
}
