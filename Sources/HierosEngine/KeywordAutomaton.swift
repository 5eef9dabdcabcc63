/// Finds which of many keywords occur in a text in one pass (Aho-Corasick compiled to a DFA),
/// ASCII case-insensitively. This is the prefilter: a rule's PCRE2 patterns run only when one
/// of its keywords occurs, so the cost of a scan grows with the text, not with rules × text.
struct KeywordAutomaton: Sendable {
    /// The keywords, lowercased; indices are keyword ids.
    let keywords: [String]
    /// The class of each byte: bytes that occur in no keyword share class 0, and an ASCII
    /// capital has the class of its small letter, so rows are short and the table fits a cache.
    private let byteClass: [UInt16]
    /// `transitions[state + class]`, where a state is its row's offset (state number × number of
    /// classes); the sign bit marks a state with outputs, so the hot loop reads one array.
    private let transitions: [Int32]
    /// Keyword ids recognised on entering each state (own and inherited through fail links):
    /// those of state number `n` are `outputIDs[outputStart[n]..<outputStart[n + 1]]`, flat so
    /// that folding hits reads two arrays and retains nothing.
    private let outputIDs: [Int32]
    private let outputStart: [Int]
    /// Number of byte classes: the row length.
    private let classCount: Int
    /// The length of the longest keyword in bytes.
    private let longestKeyword: Int

    /// `keywords` must not be empty strings (the policy loader refuses them, and derived
    /// literals are at least one byte): the root state has no outputs.
    init(keywords: [String]) {
        precondition(!keywords.contains(""), "an empty keyword")
        self.keywords = keywords
        var used = Array(repeating: false, count: 256)
        for keyword in keywords { for byte in keyword.utf8 { used[Int(Self.fold(byte))] = true } }
        var byteClass = Array(repeating: UInt16(0), count: 256)
        var classCount = 1
        for byte in 0..<256 where used[byte] {
            byteClass[byte] = UInt16(classCount)
            classCount += 1
        }
        for byte in 0x41...0x5A { byteClass[byte] = byteClass[byte | 0x20] }
        // The trie, written straight into the table (one row of `classCount` entries per state,
        // 0: no edge, as the root is no state's child), which state each keyword ends in, and
        // each state's edges (class, child), listed by parent for the breadth-first pass.
        // Zeroed at once for as many states as there can be, and cut to size after (growing it
        // row by row cost more than the rest of the build).
        var table = Array(repeating: Int32(0), count: classCount * (1 + keywords.reduce(0) { $0 + $1.utf8.count }))
        var stateCount = 1
        var terminal = Array(repeating: Int32(0), count: keywords.count)
        var edges: [(parent: Int32, cls: Int32, child: Int32)] = []
        for (id, keyword) in keywords.enumerated() {
            var state = 0
            for byte in keyword.utf8 {
                let cls = Int(byteClass[Int(byte)])
                let edge = state * classCount + cls
                if table[edge] == 0 {
                    table[edge] = Int32(stateCount)
                    edges.append((Int32(state), Int32(cls), Int32(stateCount)))
                    stateCount += 1
                }
                state = Int(table[edge])
            }
            terminal[id] = Int32(state)
        }
        precondition(stateCount * classCount < Int(Int32.max), "keyword automaton too large")
        table.removeSubrange((stateCount * classCount)...)
        var childStart = Array(repeating: 0, count: stateCount + 1)
        for edge in edges { childStart[Int(edge.parent) + 1] += 1 }
        for state in 0..<stateCount { childStart[state + 1] += childStart[state] }
        var children = Array(repeating: (cls: Int32(0), child: Int32(0)), count: edges.count)
        var cursor = Array(childStart.dropLast())
        for edge in edges {
            children[cursor[Int(edge.parent)]] = (edge.cls, edge.child)
            cursor[Int(edge.parent)] += 1
        }
        // Breadth-first, so that a state's fail state (nearer the root) is complete before it:
        // a state's row is its fail state's row with its own edges written over it, each entry
        // final at once (the offset of the next state, the sign bit when it has outputs). Rows
        // are copied whole rather than built entry by entry, which was most of a one-post check's
        // automaton.
        var order: [Int32] = []  // every state but the root, parents before children
        order.reserveCapacity(stateCount)
        var fail = Array(repeating: Int32(0), count: stateCount)
        // A state's keywords: its own, then (below) those inherited through its fail link.
        var outputCount = Array(repeating: 0, count: stateCount)
        for state in terminal { outputCount[Int(state)] += 1 }
        table.withUnsafeMutableBufferPointer { table in
            var head = -1
            while head < order.count {
                let state = head < 0 ? 0 : Int(order[head])
                head += 1
                let row = state * classCount
                if state != 0 {
                    let failRow = Int(fail[state]) * classCount
                    (table.baseAddress! + row).update(from: table.baseAddress! + failRow, count: classCount)
                }
                for (cls, child) in children[childStart[state]..<childStart[state + 1]] {
                    // The entry copied from the fail row is where the fail state goes on this class.
                    let failure = state == 0 ? 0 : Int(table[row + Int(cls)] & Int32.max) / classCount
                    fail[Int(child)] = Int32(failure)
                    outputCount[Int(child)] += outputCount[failure]
                    let offset = child * Int32(classCount)
                    table[row + Int(cls)] = outputCount[Int(child)] == 0 ? offset : offset | Int32.min
                    order.append(child)
                }
            }
        }
        var outputStart = Array(repeating: 0, count: stateCount + 1)
        for state in 0..<stateCount { outputStart[state + 1] = outputStart[state] + outputCount[state] }
        var outputIDs = Array(repeating: Int32(0), count: outputStart[stateCount])
        var filled = Array(outputStart.dropLast())
        outputIDs.withUnsafeMutableBufferPointer { outputIDs in
            for (id, state) in terminal.enumerated() {
                outputIDs[filled[Int(state)]] = Int32(id)
                filled[Int(state)] += 1
            }
            for state in order.lazy.map(Int.init) {
                var index = filled[state]
                for inherited in outputStart[Int(fail[state])]..<outputStart[Int(fail[state]) + 1] {
                    outputIDs[index] = outputIDs[inherited]
                    index += 1
                }
            }
        }
        transitions = table
        self.byteClass = byteClass
        self.outputIDs = outputIDs
        self.outputStart = outputStart
        self.classCount = classCount
        longestKeyword = keywords.map(\.utf8.count).max() ?? 0
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
    ///
    /// The automaton's walk is a chain of dependent table reads, so it is bound by memory
    /// latency rather than by work: the text is walked as two halves in lock step (two
    /// independent chains the processor overlaps). The second half starts one keyword length
    /// early, from the start state, and keeps only occurrences that end in its own half.
    func scan(_ bytes: [UInt8], positional: [Bool]) -> Hits {
        let empty = Hits(found: Array(repeating: false, count: keywords.count), ends: positional.map { $0 ? [] : nil })
        guard !keywords.isEmpty else { return empty }
        let count = bytes.count
        let middle = count < 4096 ? count : count / 2
        let secondStart = max(0, middle - (longestKeyword - 1))
        var first = Half(start: 0, keepAfter: 0, hits: empty)
        var second = Half(start: secondStart, keepAfter: middle, hits: middle < count ? empty : Hits(found: [], ends: []))
        let firstSteps = middle, secondSteps = middle < count ? count - secondStart : 0
        bytes.withUnsafeBufferPointer { text in
            transitions.withUnsafeBufferPointer { table in
                byteClass.withUnsafeBufferPointer { classes in
                    // The states stay in locals (registers); a half is touched only on a hit.
                    @inline(__always) func advance(_ state: inout Int, _ half: inout Half, _ step: Int) {
                        let end = half.start &+ step &+ 1
                        let entry = table[state &+ Int(classes[Int(text[end &- 1])])]
                        state = Int(entry & Int32.max)
                        guard entry < 0, end > half.keepAfter else { return }
                        half.pending.append((end, state))
                        if half.pending.count == Half.batch { fold(&half, positional: positional) }
                    }
                    var firstState = 0, secondState = 0
                    let together = min(firstSteps, secondSteps)
                    for step in 0..<together {
                        advance(&firstState, &first, step)
                        advance(&secondState, &second, step)
                    }
                    for step in together..<firstSteps { advance(&firstState, &first, step) }
                    for step in together..<max(together, secondSteps) { advance(&secondState, &second, step) }
                }
            }
        }
        fold(&first, positional: positional)
        guard middle < count else { return first.hits }  // a short text is walked as one
        fold(&second, positional: positional)
        // The second half's occurrences all end after the first half's.
        var hits = first.hits
        for id in keywords.indices {
            hits.found[id] = first.hits.found[id] || second.hits.found[id]
            guard let before = first.hits.ends[id], let after = second.hits.ends[id] else {
                hits.ends[id] = nil
                continue
            }
            hits.ends[id] = before.count + after.count <= Self.positionCap ? before + after : nil
        }
        return hits
    }

    /// One half of a scan: where it starts in the text, the occurrences it leaves to the other
    /// half (those ending at or before `keepAfter`), and its hits. Hits are kept as
    /// (end offset, state) pairs and folded into keywords every `batch` pairs, so that memory
    /// stays bounded however often keywords occur.
    private struct Half {
        static let batch = 1 << 14
        let start: Int
        let keepAfter: Int
        var pending: [(end: Int, state: Int)] = []
        var hits: Hits
    }

    /// Turns a half's pending (end, state) pairs into keyword hits, then empties them.
    private func fold(_ half: inout Half, positional: [Bool]) {
        let pending = half.pending
        // Buffers, not arrays: one uniqueness check per fold rather than one per hit.
        half.hits.found.withUnsafeMutableBufferPointer { found in
            half.hits.ends.withUnsafeMutableBufferPointer { ends in
                outputIDs.withUnsafeBufferPointer { ids in
                    outputStart.withUnsafeBufferPointer { starts in
                        positional.withUnsafeBufferPointer { positional in
                            for hit in pending {
                                let number = hit.state / classCount
                                for index in starts[number]..<starts[number + 1] {
                                    let keyword = Int(ids[index])
                                    found[keyword] = true
                                    guard positional[keyword], ends[keyword] != nil else { continue }
                                    if ends[keyword]!.count < Self.positionCap {
                                        ends[keyword]!.append(hit.end)
                                    } else {
                                        ends[keyword] = nil
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        half.pending.removeAll(keepingCapacity: true)
    }
}
