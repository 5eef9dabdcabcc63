@testable import HierosEngine
@testable import HierosPolicy
import HierosText
import Testing

@Suite("Keyword automaton")
struct KeywordAutomatonTests {
    /// Every occurrence, found naively: the reference the automaton must agree with.
    private func naiveEnds(_ keyword: String, in text: [UInt8]) -> [Int] {
        let needle = Array(keyword.utf8)
        let folded = text.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        guard needle.count <= folded.count else { return [] }
        return (0...(folded.count - needle.count)).filter { Array(folded[$0..<($0 + needle.count)]) == needle }
            .map { $0 + needle.count }
    }

    @Test(arguments: [
        "KESTREL kestrel Kes trel kestrelkestrel",
        "she sells hers; his HERS — ushers",
        "c1 [C1] Meridian-C1 c2c1c",
        "équipe Équipe EQUIPE équipé",
        "",
    ])
    func findsEveryOccurrenceCaseInsensitively(_ text: String) {
        let keywords = ["c1", "équipe", "he", "her", "hers", "his", "kestrel", "she", "trel"].sorted()
        let automaton = KeywordAutomaton(keywords: keywords)
        let bytes = Array(text.utf8)
        let hits = automaton.scan(bytes, positional: Array(repeating: .all, count: keywords.count))
        for (id, keyword) in keywords.enumerated() {
            let expected = naiveEnds(keyword, in: bytes)
            #expect(hits.found[id] == !expected.isEmpty, "\(keyword)")
            #expect(hits.ends[id].map(Array.init) == expected, "\(keyword)")
        }
    }

    /// Long texts are walked as four lanes: occurrences across, just before and just after each
    /// lane boundary are each found once, in order; so are those at both ends of the text.
    @Test(arguments: [KeywordAutomaton.shortText - 1, KeywordAutomaton.shortText, 20_000, 40_003])
    func occurrencesAroundLaneBoundariesAreFoundOnce(_ length: Int) {
        let keywords = ["ab", "abcdefgh", "h", "kestrel"].sorted()
        let automaton = KeywordAutomaton(keywords: keywords)
        let boundaries = [0, length / 4, length / 2, 3 * length / 4, length - 16]
        for shift in -10...10 {
            var bytes = Array(repeating: UInt8(ascii: "."), count: length)
            for boundary in boundaries {
                let start = boundary + shift
                for (offset, byte) in "abcdefgh Kestrel".utf8.enumerated() where (0..<length).contains(start + offset) {
                    bytes[start + offset] = byte
                }
            }
            let hits = automaton.scan(bytes, positional: Array(repeating: .all, count: keywords.count))
            for (id, keyword) in keywords.enumerated() {
                #expect(hits.ends[id].map(Array.init) == naiveEnds(keyword, in: bytes), "\(keyword), shift \(shift)")
            }
        }
    }

    /// Dense random text over a small alphabet, so that hits fall in most steps, on every block
    /// and lane edge of the walk: every keyword's positions agree with a naive search, for
    /// each kind of position.
    @Test(arguments: [0, 1, 2])
    func denseRandomTextAgreesWithNaiveSearch(_ seed: UInt64) {
        let keywords = ["a", "ab", "aba", "b a", "ba", "bab", "c", "cab", "k"].sorted()
        let automaton = KeywordAutomaton(keywords: keywords)
        let kinds: [KeywordAutomaton.Positions] = [.all, .wordStarts, .none, .termStarts]
        let positional = keywords.indices.map { kinds[($0 + Int(seed)) % kinds.count] }
        var generator = SeededGenerator(seed: seed)
        let alphabet = Array("abcAB k.".utf8)
        let bytes = (0..<70_001).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        // A second word that starts with `b`, after spaces and dots.
        let next = NextWord(between: ByteSet(Array(" .".utf8)), starts: ByteSet(Array("bB".utf8)))
        func followed(_ end: Int) -> Bool {
            guard let after = bytes[end...].prefix(NextWord.reach).firstIndex(where: { $0 != 0x20 && $0 != 0x2E }) else {
                return end + NextWord.reach <= bytes.count
            }
            return bytes[after] == UInt8(ascii: "b") || bytes[after] == UInt8(ascii: "B")
        }
        let hits = automaton.scan(bytes, positional: positional, nextWords: Array(repeating: next, count: keywords.count))
        for (id, keyword) in keywords.enumerated() {
            let all = naiveEnds(keyword, in: bytes)
            let expected: [Int]? = switch positional[id] {
            case .none: nil
            case .all: all.count <= KeywordAutomaton.positionCap ? all : nil
            case .wordStarts, .termStarts: all.filter { end in
                let start = end - keyword.utf8.count
                guard start == 0 || !ByteScan.isASCIIAlphanumeric(bytes[start - 1]) else { return false }
                return positional[id] == .wordStarts || followed(end)
            }
            }
            #expect(hits.found[id] == !all.isEmpty, "\(keyword)")
            #expect(hits.ends[id].map(Array.init) == expected, "\(keyword) (\(positional[id]))")
        }
    }

    /// An automaton over part of a keyword list reports only that part, under the ids of the
    /// whole list; a scan over a range finds the occurrences that start in it and fit in it, at
    /// offsets in the whole text, and tests what comes before them in the whole text (long
    /// ranges are walked as four lanes, short ones as one).
    @Test(arguments: [(0, 70_001), (1, 900), (17, 40_000), (69_000, 70_001)])
    func partOfTheKeywordsOverARange(_ lower: Int, _ upper: Int) {
        let keywords = ["a", "ab", "aba", "b a", "ba", "bab", "c", "cab", "k"].sorted()
        let including = keywords.map { $0.count != 2 }
        let automaton = KeywordAutomaton(keywords: keywords, including: including)
        #expect(automaton.longestKeyword == 3)
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array("abcAB k.".utf8)
        let bytes = (0..<70_001).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        let positional = keywords.indices.map { $0 % 2 == 0 ? KeywordAutomaton.Positions.all : .wordStarts }
        let hits = automaton.scan(bytes, in: lower..<upper, positional: positional)
        for (id, keyword) in keywords.enumerated() {
            let length = keyword.utf8.count
            let inRange = naiveEnds(keyword, in: bytes).filter { $0 - length >= lower && $0 <= upper }
            let expected = !including[id] ? [] : positional[id] == .all ? inRange : inRange.filter { end in
                end - length == 0 || !ByteScan.isASCIIAlphanumeric(bytes[end - length - 1])
            }
            #expect(hits.found[id] == (including[id] && !inRange.isEmpty), "\(keyword)")
            #expect(hits.ends[id].map(Array.init) == expected, "\(keyword)")
        }
    }

    /// Word-start positions: an occurrence glued to a preceding ASCII letter or digit is found
    /// but its position is not kept, in every lane and across lane boundaries. A non-ASCII
    /// byte before it does not glue (PCRE2 decides there).
    @Test(arguments: [100, 40_003])
    func wordStartPositionsSkipGluedOccurrences(_ length: Int) {
        let automaton = KeywordAutomaton(keywords: ["plan"])
        for shift in -6...6 {
            var bytes = Array(repeating: UInt8(ascii: " "), count: length)
            for boundary in [0, length / 4, length / 2, 3 * length / 4, length - 30] {
                for (offset, byte) in "xplan plan 9plan éplan -plan".utf8.enumerated()
                where (0..<length).contains(boundary + shift + offset) {
                    bytes[boundary + shift + offset] = byte
                }
            }
            let all = naiveEnds("plan", in: bytes)
            let wordStarts = all.filter { $0 == 4 || !ByteScan.isASCIIAlphanumeric(bytes[$0 - 5]) }
            let hits = automaton.scan(bytes, positional: [.wordStarts])
            #expect(hits.found[0] == !all.isEmpty)
            #expect(hits.ends[0].map(Array.init) == wordStarts, "shift \(shift)")
            #expect(automaton.scan(bytes, positional: [.all]).ends[0].map(Array.init) == all, "shift \(shift)")
        }
    }

    /// A keyword whose positions were capped in one lane has no positions at all, even when
    /// other lanes kept theirs; the total over the lanes is capped too.
    @Test func positionsAreCappedOverAllLanes() {
        let automaton = KeywordAutomaton(keywords: ["ab"])
        let perLane = KeywordAutomaton.positionCap / 3
        let text = Array(String(repeating: "ab ", count: 4 * perLane).utf8)
        let hits = automaton.scan(text, positional: [.all])
        #expect(hits.found[0] && hits.ends[0] == nil)
        let fewer = Array(String(repeating: "ab ", count: KeywordAutomaton.positionCap).utf8)
        #expect(automaton.scan(fewer, positional: [.all]).ends[0]?.count == KeywordAutomaton.positionCap)
    }

    /// Frequent keywords: every end is kept in order up to the cap; past it, positions are
    /// dropped for that keyword (its rules then run everywhere) but it is still found.
    @Test func frequentKeywordsAreCappedNotLost() {
        let automaton = KeywordAutomaton(keywords: ["ab", "zz"])
        let some = Array(String(repeating: "ab ", count: 50_000).utf8)
        let hits = automaton.scan(some, positional: [.all, .all])
        #expect(hits.ends[0].map(Array.init) == Array(stride(from: 2, through: some.count, by: 3)))
        #expect(hits.ends[1].map(Array.init) == [])
        let many = Array(String(repeating: "ab ", count: KeywordAutomaton.positionCap + 1).utf8)
        let capped = automaton.scan(many, positional: [.all, .none])
        #expect(capped.found[0] && capped.ends[0] == nil)
        #expect(!capped.found[1] && capped.ends[1] == nil)
    }

    /// Keywords that end in the same state (repeated, or equal but for ASCII case) are each
    /// reported, and so are the keywords their state inherits.
    @Test func keywordsSharingAStateAreEachFound() {
        let keywords = ["hers", "HERS", "ers", "hers", "s"]
        let automaton = KeywordAutomaton(keywords: keywords)
        let bytes = Array("Ushers!".utf8)
        let hits = automaton.scan(bytes, positional: Array(repeating: .all, count: keywords.count))
        #expect(hits.found == [true, true, true, true, true])
        #expect((0..<5).map { hits.ends[$0].map(Array.init) } == [[6], [6], [6], [6], [2, 6]])
    }

    @Test func bytesOutsideTheKeywordsNeverMatch() {
        let automaton = KeywordAutomaton(keywords: ["ab"])
        let hits = automaton.scan(Array("a\u{0}b aB\u{FF}ab".utf8), positional: [.all])
        #expect(hits.ends[0].map(Array.init) == [6, 10])
    }
}
