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

    /// For each keyword id, whether it occurs in `bytes`.
    func scan(_ bytes: [UInt8]) -> [Bool] {
        var found = Array(repeating: false, count: keywords.count)
        guard !keywords.isEmpty else { return found }
        var remaining = keywords.count
        bytes.withUnsafeBufferPointer { text in
            transitions.withUnsafeBufferPointer { table in
                hasOutput.withUnsafeBufferPointer { flags in
                var state = 0
                for byte in text {
                    state = Int(table[state << 8 | Int(Self.fold(byte))])
                    guard flags[state] else { continue }
                    for id in outputs[state] where !found[Int(id)] {
                        found[Int(id)] = true
                        remaining -= 1
                    }
                    if remaining == 0 { return }
                }
                }
            }
        }
        return found
    }
}
