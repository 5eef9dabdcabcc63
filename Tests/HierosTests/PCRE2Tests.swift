import Dispatch
@testable import HierosPCRE2
import Synchronization
import Testing

@Suite("PCRE2 wrapper")
struct PCRE2Tests {
    private func matches(_ pattern: String, _ subject: [UInt8], options: PatternOptions = []) throws -> [Range<Int>] {
        let matcher = Matcher(pattern: try Pattern(pattern, options: options), limits: .standard)
        return try subject.withUnsafeBufferPointer { try matcher.allMatches(in: $0).map(\.range) }
    }

    @Test func compileErrorCarriesPCRE2MessageAndOffset() {
        #expect(throws: PCRE2Error.compile(code: 114, offset: 4, message: "missing closing parenthesis")) {
            _ = try Pattern("(abc")
        }
    }

    @Test func patternsAreJITCompiled() throws {
        #expect(try Pattern("a+b").isJITCompiled)
    }

    /// JIT compilation happens when the first matcher is made; matchers made at once on many
    /// threads share one compilation and all match.
    @Test func matchersMadeConcurrentlyShareOneJITCompilation() throws {
        let pattern = try Pattern("(?i)kestrel\\d+")
        let subject = Array("KESTREL1 kestrel22 kestrel".utf8)
        let counts = Mutex<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let matcher = Matcher(pattern: pattern, limits: .standard)
            let found = (try? subject.withUnsafeBufferPointer { try matcher.allMatches(in: $0) })?.count ?? -1
            counts.withLock { $0.append(found) }
        }
        #expect(counts.withLock { $0 } == Array(repeating: 2, count: 16))
        #expect(pattern.isJITCompiled)
    }

    @Test func matchesReportUTF8ByteRanges() throws {
        #expect(try matches("kestrel", Array("é kestrel".utf8), options: .caseless) == [3..<10])
    }

    @Test func emptyMatchesAdvanceOneScalarAndAreDropped() throws {
        #expect(try matches("x*", Array("éxx".utf8)) == [2..<4])
    }

    @Test func invalidUTF8NeitherCrashesNorHidesValidMatches() throws {
        let subject: [UInt8] = [0xFF, 0xFE] + Array("MT482913".utf8) + [0xC3] + Array(" MT111111".utf8)
        #expect(try matches("MT\\d{6}", subject) == [2..<10, 12..<20])
    }

    @Test func namedGroupsResolve() throws {
        let pattern = try Pattern("key=(?<secret>\\w+)")
        #expect(pattern.groupNumber(named: "secret") == 1)
        #expect(pattern.groupNumber(named: "missing") == nil)
        #expect(pattern.captureCount == 1)
    }

    @Test func catastrophicBacktrackingHitsTheMatchLimit() throws {
        let matcher = Matcher(pattern: try Pattern("(?:a+)+$"), limits: MatchLimits(match: 10_000, depth: 10_000, heapKiB: 1024))
        let subject = Array((String(repeating: "a", count: 40) + "!").utf8)
        let error = #expect(throws: PCRE2Error.self) {
            _ = try subject.withUnsafeBufferPointer { try matcher.firstMatch(in: $0, from: 0) }
        }
        #expect(error?.isLimit == true)
        #expect(error?.description == "match limit exceeded")
    }

    /// A pattern read back from the compiled-policy cache compiles at its first match, once for
    /// all threads, and matches as the same pattern compiled at once.
    @Test func aPatternCompiledBeforeCompilesOnFirstUse() throws {
        let source = "(?i)kestrel(\\d+)"
        let eager = try Pattern(source)
        let deferred = Pattern(compiledBefore: source, options: [], captureCount: eager.captureCount)
        let subject = Array("KESTREL1 kestrel22 kestrel".utf8)
        let expected = try subject.withUnsafeBufferPointer { try Matcher(pattern: eager, limits: .standard).allMatches(in: $0) }
        let results = Mutex<[[Match]]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let matcher = Matcher(pattern: deferred, limits: .standard)
            let found = (try? subject.withUnsafeBufferPointer { try matcher.allMatches(in: $0) }) ?? []
            results.withLock { $0.append(found) }
        }
        #expect(expected.count == 2 && expected[1].groups[1] == 16..<18)
        #expect(results.withLock { $0 } == Array(repeating: expected, count: 8))
        #expect(deferred.isJITCompiled)
        #expect(deferred.groupNumber(named: "missing") == nil)
    }

    /// Should the library no longer compile a pattern it compiled before, or compile it to other
    /// groups, matching fails with an error rather than finding nothing.
    @Test(arguments: [("(abc", 0), ("a(b)c", 2)])
    func aPatternCompiledBeforeThatNoLongerCompilesFailsEveryMatch(_ source: String, _ groups: Int) {
        let matcher = Matcher(pattern: Pattern(compiledBefore: source, options: [], captureCount: groups), limits: .standard)
        let subject = Array("abc".utf8)
        for _ in 0..<2 {
            let error = #expect(throws: PCRE2Error.self) {
                _ = try subject.withUnsafeBufferPointer { try matcher.firstMatch(in: $0, from: 0) }
            }
            guard case .compile = error else { Issue.record("expected a compile error, got \(String(describing: error))"); return }
        }
    }

    @Test func theLibraryVersionIsKnown() {
        #expect(Pattern.libraryVersion.hasPrefix("10."))
    }

    @Test func lookbehindSeesTextBeforeTheStartOffset() throws {
        let matcher = Matcher(pattern: try Pattern("(?<=x)y"), limits: .standard)
        let subject = Array("xy".utf8)
        let found = try subject.withUnsafeBufferPointer { try matcher.firstMatch(in: $0, from: 1) }
        #expect(found?.range == 1..<2)
    }
}

@Suite("Scan time budget")
struct TimeBudgetTests {
    /// gitleaks' semi-generic prefix backtracks ~2,500 steps at every position: under the
    /// per-position match limit, but minutes over a megabyte. The budget stops it.
    @Test func aPatternThatBacktracksEverywhereRunsOutOfTime() throws {
        let pattern = try Pattern(#"[\w.-]{0,50}?(?i:[\w.-]{0,50}?(?:sumo)(?:[ \t\w.-]{0,20})[\s'"]{0,3})(?:=|:)(su[a-zA-Z0-9]{12})"#)
        let matcher = Matcher(pattern: pattern, limits: MatchLimits(match: 10_000_000, depth: 1_000_000, heapKiB: 65_536, timeMsPerMiB: 50))
        let subject = Array(String(repeating: "sumo_key-value.a", count: 100_000).utf8)
        let clock = ContinuousClock()
        let began = clock.now
        let error = #expect(throws: PCRE2Error.self) {
            _ = try subject.withUnsafeBufferPointer { try matcher.allMatches(in: $0) }
        }
        #expect(error == .timeBudget(milliseconds: 50))
        #expect(error?.isLimit == true)
        #expect(clock.now - began < .seconds(5))
    }

    @Test func segmentedScansFindMatchesAcrossSegmentBoundaries() throws {
        let matcher = Matcher(pattern: try Pattern("needle-\\d+"), limits: .standard)
        let text = String(repeating: "x", count: Matcher.segmentBytes - 3) + "needle-42 " + String(repeating: "y", count: 9000) + "needle-7"
        let subject = Array(text.utf8)
        let found = try subject.withUnsafeBufferPointer { try matcher.allMatches(in: $0).map(\.range) }
        #expect(found == [(Matcher.segmentBytes - 3)..<(Matcher.segmentBytes + 6), (subject.count - 8)..<subject.count])
    }
}

@Suite("Windowed scans")
struct WindowedScanTests {
    /// Dense keywords merge windows into one large window; its segments still check the budget.
    @Test func mergedWindowsStillRunOutOfTime() throws {
        let pattern = try Pattern(#"[\w.-]{0,50}?(?i:[\w.-]{0,50}?(?:sumo)(?:[ \t\w.-]{0,20})[\s'"]{0,3})(?:=|:)(su[a-zA-Z0-9]{12})"#)
        let matcher = Matcher(pattern: pattern, limits: MatchLimits(match: 10_000_000, depth: 1_000_000, heapKiB: 65_536, timeMsPerMiB: 20))
        let subject = Array(String(repeating: "sumo_aaaaaaaaaa_", count: 65_536).utf8)
        let error = #expect(throws: PCRE2Error.self) {
            _ = try subject.withUnsafeBufferPointer { try matcher.matches(in: $0, startingIn: [0..<subject.count]) }
        }
        #expect(error == .timeBudget(milliseconds: 20))
    }

    @Test func windowsFindWhatAFullScanFinds() throws {
        let matcher = Matcher(pattern: try Pattern("(?<![A-Z])MT\\d{6}"), limits: .standard)
        let text = Array("xx MT123456 yy " .utf8) + Array(repeating: UInt8(ascii: "z"), count: 10_000) + Array(" MT654321".utf8)
        let full = try text.withUnsafeBufferPointer { try matcher.allMatches(in: $0).map(\.range) }
        let windowed = try text.withUnsafeBufferPointer { try matcher.matches(in: $0, startingIn: [0..<5, 10_010..<10_020]).map(\.range) }
        #expect(windowed == full)
    }
}
