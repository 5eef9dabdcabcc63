import CByteKernels
import HierosPolicy
import HierosText

/// Finds which of many keywords occur in a text in one pass (Aho-Corasick compiled to a DFA),
/// ASCII case-insensitively. This is the prefilter: a rule's PCRE2 patterns run only when one
/// of its keywords occurs, so the cost of a scan grows with the text, not with rules × text.
struct KeywordAutomaton: Sendable {
    /// The keywords, lowercased; indices are keyword ids. Only those `including` selected are
    /// looked for; the ids of all of them are kept, so that automata over parts of one list
    /// report in one id space.
    let keywords: [String]
    /// The class of each byte: bytes that occur in no keyword share class 0, and an ASCII
    /// capital has the class of its small letter, so rows are short and the table fits a cache.
    private let byteClass: [UInt16]
    /// One row per state, one entry per class: the next state, as the offset of its row from
    /// the root's (`rootRow`). The rows of the states with outputs come first, so an entry is
    /// negative exactly when it enters one: the walk uses an entry as it is, with no mask, and
    /// the hits are the entries with the sign bit. The hot loop reads one array.
    private let transitions: [Int32]
    /// Where the root's row starts in `transitions`: the rows of the states with outputs
    /// come before it.
    private let rootRow: Int
    /// Keyword ids recognised on entering each state (own and inherited through fail links):
    /// those of the state whose row is the `n`th are `outputIDs[outputStart[n]..<outputStart[n + 1]]`,
    /// flat so that folding hits reads two arrays and retains nothing.
    private let outputIDs: [Int32]
    private let outputStart: [Int]
    /// Number of byte classes: the row length.
    private let classCount: Int
    /// A row offset divided by `classCount` without a division (a hit is one step in fifteen
    /// in prose, and `idiv` was a fair part of handling one): shift out the class count's
    /// factor of two, then multiply by the inverse of its odd part modulo 2⁶⁴, which is exact
    /// for multiples.
    private let classShift: UInt64
    private let classInverse: UInt64
    /// The length of the longest keyword looked for, in bytes.
    let longestKeyword: Int
    /// Each keyword's length in bytes.
    private let lengths: [Int]

    /// Which occurrences of a keyword the scan records the position of.
    enum Positions: UInt8, Sendable {
        /// None: the keyword only gates rules.
        case none
        /// Every occurrence.
        case all
        /// Occurrences not glued to a preceding ASCII letter or digit: those where a term can
        /// start (`plan` in `plan`, not in `deplane`). Tested here, while the walk has the text
        /// in the cache: tested later, each test was a cache miss.
        case wordStarts
        /// Word starts followed by what can continue one of the terms that start with the
        /// keyword (`NextWord`): `budget` in `budget freeze`, not in `budget was`.
        case termStarts
    }

    /// `keywords` must not be empty strings (the policy loader refuses them, and derived
    /// literals are at least one byte): the root state has no outputs. With `including`, only
    /// the keywords it marks are looked for.
    init(keywords: [String], including: [Bool]? = nil) {
        precondition(!keywords.contains(""), "an empty keyword")
        precondition(including.map { $0.count == keywords.count } ?? true, "one flag per keyword")
        self.keywords = keywords
        let included = keywords.indices.filter { including?[$0] ?? true }
        var used = Array(repeating: false, count: 256)
        for id in included { for byte in keywords[id].utf8 { used[Int(Self.fold(byte))] = true } }
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
        var table = Array(repeating: Int32(0), count: classCount * (1 + included.reduce(0) { $0 + keywords[$1].utf8.count }))
        var stateCount = 1
        // The state each keyword ends in; -1 for those not looked for.
        var terminal = Array(repeating: Int32(-1), count: keywords.count)
        var edges: [(parent: Int32, cls: Int32, child: Int32)] = []
        for id in included {
            var state = 0
            for byte in keywords[id].utf8 {
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
        // the next state's number. Rows are copied whole rather than built entry by entry, which
        // was most of a one-post check's automaton.
        var order: [Int32] = []  // every state but the root, parents before children
        order.reserveCapacity(stateCount)
        var fail = Array(repeating: Int32(0), count: stateCount)
        // A state's keywords: its own, then (below) those inherited through its fail link.
        var outputCount = Array(repeating: 0, count: stateCount)
        for state in terminal where state >= 0 { outputCount[Int(state)] += 1 }
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
                    let failure = state == 0 ? 0 : Int(table[row + Int(cls)])
                    fail[Int(child)] = Int32(failure)
                    outputCount[Int(child)] += outputCount[failure]
                    table[row + Int(cls)] = child
                    order.append(child)
                }
            }
        }
        let classShift = UInt64(classCount.trailingZeroBitCount)
        let odd = UInt64(classCount) >> classShift
        var inverse = odd  // correct to 3 bits; each Newton step doubles that
        for _ in 0..<5 { inverse = inverse &* (2 &- odd &* inverse) }
        // Each state's place among the rows: those with outputs first, then the root's.
        var place = Array(repeating: 0, count: stateCount)
        var placed = 0
        for state in 0..<stateCount where outputCount[state] > 0 {
            place[state] = placed
            placed += 1
        }
        let rootPlace = placed
        for state in 0..<stateCount where outputCount[state] == 0 {
            place[state] = placed
            placed += 1
        }
        transitions = Self.reordered(table, place: place, rootPlace: rootPlace, classCount: classCount)
        rootRow = rootPlace * classCount
        var outputStart = Array(repeating: 0, count: stateCount + 1)
        for state in 0..<stateCount { outputStart[place[state] + 1] = outputCount[state] }
        for row in 0..<stateCount { outputStart[row + 1] += outputStart[row] }
        var outputIDs = Array(repeating: Int32(0), count: outputStart[stateCount])
        var filled = Array(outputStart.dropLast())
        outputIDs.withUnsafeMutableBufferPointer { outputIDs in
            for (id, state) in terminal.enumerated() where state >= 0 {
                outputIDs[filled[place[Int(state)]]] = Int32(id)
                filled[place[Int(state)]] += 1
            }
            for state in order.lazy.map(Int.init) {
                var index = filled[place[state]]
                let failRow = place[Int(fail[state])]
                for inherited in outputStart[failRow]..<outputStart[failRow + 1] {
                    outputIDs[index] = outputIDs[inherited]
                    index += 1
                }
            }
        }
        self.byteClass = byteClass
        self.outputIDs = outputIDs
        self.outputStart = outputStart
        self.classCount = classCount
        self.classShift = classShift
        classInverse = inverse
        let lengths = keywords.map(\.utf8.count)
        self.lengths = lengths
        longestKeyword = included.map { lengths[$0] }.max() ?? 0
    }

    @inline(__always)
    private static func fold(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// `table` (rows in state order, entries the next state's number) with each state's row
    /// moved to `place[state]`, and each entry the offset of the next state's row from the
    /// root's (at `rootPlace`).
    private static func reordered(_ table: [Int32], place: [Int], rootPlace: Int, classCount: Int) -> [Int32] {
        // The offset each state's entries become, computed once per state rather than per entry.
        let offsets = place.map { Int32(($0 - rootPlace) * classCount) }
        return [Int32](unsafeUninitializedCapacity: table.count) { rows, initialized in
            table.withUnsafeBufferPointer { table in
                offsets.withUnsafeBufferPointer { offsets in
                    for state in 0..<place.count {
                        let from = state * classCount, to = place[state] * classCount
                        for cls in 0..<classCount { rows[to &+ cls] = offsets[Int(table[from &+ cls])] }
                    }
                }
            }
            initialized = table.count
        }
    }

    /// What one pass found: which keywords occur, and where the positional ones end.
    struct Hits {
        var found: [Bool]
        /// End offsets of every occurrence of each positional keyword (nil for the others, and
        /// for a keyword that occurred more often than the cap: its rules then run everywhere).
        var ends: Ends
    }

    /// The recorded end offsets, in one array grouped by keyword (each group in order), so
    /// that a scan allocates one array, not one per keyword.
    struct Ends {
        let offsets: [Int]
        let groups: [Range<Int>?]

        subscript(id: Int) -> ArraySlice<Int>? { groups[id].map { offsets[$0] } }
    }

    /// Occurrences recorded per positional keyword before giving up on windows for it.
    static let positionCap = 200_000

    /// Which keywords occur in `bytes[range]` (all of `bytes` by default), and where the
    /// occurrences `positional` asks for end, as offsets in `bytes`. A range is walked from the
    /// start state: an occurrence that starts before it is not found; the bytes around it are
    /// read only to test what comes before and after an occurrence (`Positions`).
    ///
    /// The automaton's walk is a chain of dependent table reads: a long text is walked as four
    /// lanes in lock step (four independent chains the processor overlaps), and with the reads
    /// overlapped the walk is bound by its instructions, so each step does as little as it can
    /// (see the log below). Each lane but the first starts one keyword length early, from the
    /// start state, and keeps only the occurrences that end in its own stretch.
    func scan(_ bytes: [UInt8], in range: Range<Int>? = nil, positional: [Positions], nextWords: [NextWord] = []) -> Hits {
        let range = range ?? 0..<bytes.count
        precondition(nextWords.count == keywords.count || !positional.contains(.termStarts),
                     "term-start positions need each keyword's next word")
        guard longestKeyword > 0, !range.isEmpty else {
            return Hits(found: Array(repeating: false, count: keywords.count),
                        ends: Ends(offsets: [], groups: positional.map { $0 == .none ? nil : 0..<0 }))
        }
        let count = range.count
        let laneCount = count < Self.shortText ? 1 : 4
        // Each lane's first byte, number of steps, and the end offset up to which it leaves
        // occurrences to the lane before it. Plain arrays: this runs once per post of a stream.
        var starts = [0, 0, 0, 0], steps = [0, 0, 0, 0], keepAfter = [0, 0, 0, 0]
        for number in 0..<laneCount {
            let owned = number * count / laneCount, end = (number + 1) * count / laneCount
            starts[number] = number == 0 ? 0 : max(0, owned - (longestKeyword - 1))
            steps[number] = end - starts[number]
            keepAfter[number] = owned
        }
        var found = Array(repeating: false, count: keywords.count)
        // Occurrences per keyword so far, to stop recording one past the cap.
        var counts = Array(repeating: 0, count: keywords.count)
        // Sized for one recorded occurrence in 32 bytes (prose with many keywords records one in
        // 25): growing from small had the lanes' logs copied a dozen times over.
        let recordsPositions = positional.contains { $0 != .none }
        var logged = (0..<laneCount).map { recordsPositions ? steps[$0] >> 5 : 0 }.map(PositionLog.init(capacity:))
        defer { for log in logged { log.deallocate() } }
        let longest = steps.max()!
        let together = steps.min()!  // 0 for a short text, whose other lanes have no steps
        // Each step stores the table entry it read at its offset in its lane's log, whatever the
        // entry; the fold then looks for entries with the sign bit (a state with outputs). One
        // store per step and no branch: hits are frequent in prose (one byte in fifteen) and a
        // branch on each would often be mispredicted, and logging only the hits cost five
        // instructions a step, which made the walk bound by instructions rather than by its reads.
        // Lanes' logs lie `logCapacity` apart, so that one register addresses all four. Not
        // zeroed: a post is classified in microseconds, and clearing logs for each was a fair part
        // of a stream of posts.
        let logLength = Self.logCapacity
        let logs = UnsafeMutablePointer<Int32>.allocate(capacity: 4 * logLength)
        let scratch = UnsafeMutablePointer<UInt16>.allocate(capacity: logLength)
        defer {
            logs.deallocate()
            scratch.deallocate()
        }
        bytes.withUnsafeBufferPointer { text in
            transitions.withUnsafeBufferPointer { rows in
                byteClass.withUnsafeBufferPointer { classes in
                    // Entries are offsets from the root's row, negative for rows before it.
                    let table = rows.baseAddress! + rootRow
                    @inline(__always) func advance(_ state: inout Int, _ lane: UnsafePointer<UInt8>, _ step: Int,
                                                   _ log: UnsafeMutablePointer<Int32>) {
                        let entry = table[state &+ Int(classes[Int(lane[step])])]
                        state = Int(entry)
                        log.pointee = entry
                    }
                    let base = text.baseAddress! + range.lowerBound  // not empty: checked above
                    let lane0 = base + starts[0], lane1 = base + starts[1]
                    let lane2 = base + starts[2], lane3 = base + starts[3]
                    var state0 = 0, state1 = 0, state2 = 0, state3 = 0
                    var block = 0
                    while block < longest {
                        let stop = min(longest, block + logLength)
                        let both = max(block, min(stop, together))
                        // The log slot of a step is `step - block` in its lane's log.
                        let slot = logs - block
                        Self.walkFour(table, classes.baseAddress!, lane0, lane1, lane2, lane3,
                                      &state0, &state1, &state2, &state3, slot, block..<both)
                        // What is left of each lane in this block (lanes differ by a keyword's length).
                        let end0 = max(both, min(stop, steps[0])), end1 = max(both, min(stop, steps[1]))
                        let end2 = max(both, min(stop, steps[2])), end3 = max(both, min(stop, steps[3]))
                        for step in both..<end0 { advance(&state0, lane0, step, slot + step) }
                        for step in both..<end1 { advance(&state1, lane1, step, slot + (logLength &+ step)) }
                        for step in both..<end2 { advance(&state2, lane2, step, slot + (2 &* logLength &+ step)) }
                        for step in both..<end3 { advance(&state3, lane3, step, slot + (3 &* logLength &+ step)) }
                        for (lane, end) in [end0, end1, end2, end3].enumerated() where end > block {
                            fold(into: &logged[lane], found: &found, counts: &counts,
                                 base: range.lowerBound + starts[lane] + block + 1, keepAfter: range.lowerBound + keepAfter[lane], logs + lane * logLength, end - block, scratch: scratch,
                                 positional: positional, nextWords: nextWords, text: text)
                        }
                        block = stop
                    }
                }
            }
        }
        return Hits(found: found, ends: Self.positions(in: logged, counts: counts, positional: positional))
    }

    /// Each positional keyword's end offsets from the lanes' logs, in order (lanes in order,
    /// each in order), by counting sort; nil for a keyword past the cap.
    private static func positions(in logs: [PositionLog], counts: [Int], positional: [Positions]) -> Ends {
        var next = Array(repeating: 0, count: counts.count + 1)
        for id in counts.indices { next[id + 1] = next[id] + (counts[id] > positionCap ? 0 : counts[id]) }
        let total = next[counts.count]
        let offsets = [Int](unsafeUninitializedCapacity: total) { buffer, initialized in
            var cursor = next
            cursor.withUnsafeMutableBufferPointer { cursor in
                counts.withUnsafeBufferPointer { counts in
                    for log in logs {
                        for index in 0..<log.count {
                            let id = Int(log.ids[index])
                            guard counts[id] <= positionCap else { continue }
                            buffer[cursor[id]] = log.ends[index]
                            cursor[id] &+= 1
                        }
                    }
                }
            }
            initialized = total
        }
        let groups = positional.indices.map { id in
            positional[id] != .none && counts[id] <= positionCap ? next[id]..<next[id + 1] : nil
        }
        return Ends(offsets: offsets, groups: groups)
    }

    /// Four lanes in lock step over `steps`, each step's entry stored at `slot + step` in its
    /// lane's log. Not inlined: inside the scan, what else was live there pushed the lanes'
    /// pointers and the log to the stack (44 instructions per four bytes instead of 38).
    @inline(never)
    private static func walkFour(_ table: UnsafePointer<Int32>, _ classes: UnsafePointer<UInt16>,
                                 _ lane0: UnsafePointer<UInt8>, _ lane1: UnsafePointer<UInt8>,
                                 _ lane2: UnsafePointer<UInt8>, _ lane3: UnsafePointer<UInt8>,
                                 _ state0: inout Int, _ state1: inout Int, _ state2: inout Int, _ state3: inout Int,
                                 _ slot: UnsafeMutablePointer<Int32>, _ steps: Range<Int>) {
        var s0 = state0, s1 = state1, s2 = state2, s3 = state3
        for step in steps {
            let e0 = table[s0 &+ Int(classes[Int(lane0[step])])]
            let e1 = table[s1 &+ Int(classes[Int(lane1[step])])]
            let e2 = table[s2 &+ Int(classes[Int(lane2[step])])]
            let e3 = table[s3 &+ Int(classes[Int(lane3[step])])]
            slot[step] = e0
            slot[logCapacity &+ step] = e1
            slot[2 &* logCapacity &+ step] = e2
            slot[3 &* logCapacity &+ step] = e3
            s0 = Int(e0)
            s1 = Int(e1)
            s2 = Int(e2)
            s3 = Int(e3)
        }
        state0 = s0
        state1 = s1
        state2 = s2
        state3 = s3
    }

    /// Texts shorter than this are walked as one lane: splitting them saves less than it costs.
    static let shortText = 16 << 10
    /// Steps logged per lane before the log is folded into hits: a block of the walk. Small
    /// enough that the four logs stay in the first-level cache beside the hot rows of the table
    /// (and at most 65,536: the fold gathers offsets in the block as `UInt16`).
    private static let logCapacity = 1024

    /// Records the hits among the first `logged` entries of a lane's log: an entry at offset `o`
    /// with the sign bit is a state with outputs entered by the byte that ends at `base + o`, and
    /// is left to the lane before when it ends at or before `keepAfter`. Every keyword found is
    /// flagged; the positions `positional` asks for go to the lane's position log.
    private func fold(into positions: inout PositionLog, found: inout [Bool], counts: inout [Int], base: Int, keepAfter: Int,
                      _ log: UnsafeMutablePointer<Int32>, _ logged: Int, scratch: UnsafeMutablePointer<UInt16>,
                      positional: [Positions], nextWords: [NextWord], text: UnsafeBufferPointer<UInt8>) {
        // Buffers, not arrays: one uniqueness check per fold rather than one per hit.
        found.withUnsafeMutableBufferPointer { found in
            counts.withUnsafeMutableBufferPointer { counts in
                outputIDs.withUnsafeBufferPointer { ids in
                    outputStart.withUnsafeBufferPointer { starts in
                        positional.withUnsafeBufferPointer { positional in
                            lengths.withUnsafeBufferPointer { lengths in
                                // The offsets of the hits (entries with the sign bit), eight
                                // entries at a time; the entry is read again after.
                                let hitCount = hieros_negative_offsets(log, logged, scratch)
                                for hit in UnsafeBufferPointer(start: scratch, count: hitCount) {
                                    let end = base &+ Int(hit)
                                    guard end > keepAfter else { continue }
                                    let row = UInt64(truncatingIfNeeded: Int(log[Int(hit)]) &+ rootRow)
                                    let number = Int(truncatingIfNeeded: (row >> classShift) &* classInverse)
                                    for index in starts[number]..<starts[number + 1] {
                                        let keyword = Int(ids[index])
                                        found[keyword] = true
                                        let wanted = positional[keyword]
                                        guard wanted != .none else { continue }
                                        if wanted != .all {
                                            let start = end &- lengths[keyword]
                                            if start > 0, ByteScan.isASCIIAlphanumeric(text[start &- 1]) { continue }
                                            if wanted == .termStarts, !nextWords[keyword].admits(text, after: end) { continue }
                                        }
                                        counts[keyword] &+= 1
                                        if counts[keyword] <= Self.positionCap { positions.append(end: end, id: Int32(keyword)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A lane's recorded occurrences, in order: their end offsets and keyword ids, in buffers that
/// grow by doubling (appending to one array per keyword cost a uniqueness check per hit).
private struct PositionLog {
    private(set) var ends: UnsafeMutablePointer<Int>
    private(set) var ids: UnsafeMutablePointer<Int32>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(64, capacity)
        ends = .allocate(capacity: self.capacity)
        ids = .allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(end: Int, id: Int32) {
        if count == capacity { grow() }
        ends[count] = end
        ids[count] = id
        count += 1
    }

    private mutating func grow() {
        let larger = capacity * 2
        let newEnds = UnsafeMutablePointer<Int>.allocate(capacity: larger)
        let newIDs = UnsafeMutablePointer<Int32>.allocate(capacity: larger)
        newEnds.moveInitialize(from: ends, count: count)
        newIDs.moveInitialize(from: ids, count: count)
        ends.deallocate()
        ids.deallocate()
        ends = newEnds
        ids = newIDs
        capacity = larger
    }

    func deallocate() {
        ends.deallocate()
        ids.deallocate()
    }
}
