import Foundation
import HierosEngine
@testable import HierosPolicy
import Testing

@Suite("Compiled-policy cache")
struct PolicyCacheTests {
    private func cache(identity: String = "test 1") throws -> PolicyCache {
        let directory = try CLITests.temporaryDirectory()
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        return PolicyCache(directory: directory, identity: identity)
    }

    private func summary(_ classification: Classification) -> [String] {
        classification.findings.map { "\($0.ruleID)@\($0.range):\($0.excerpt)" } + [classification.level.name]
    }

    /// A set read back from the cache classifies every corpus item as the set it was made from.
    @Test func aCachedSetClassifiesLikeTheCompiledOne() throws {
        let cache = try cache()
        let sources = Fixtures.bundledSources
        let fresh = try PolicyLoader.load(sources: sources, cache: cache)
        let key = cache.key(sources: sources, packs: [])
        let read = try #require(cache.read(key: key))
        #expect(read.rules.map(\.id) == fresh.rules.map(\.id))
        #expect(read.rules.map(\.keywords) == fresh.rules.map(\.keywords))
        #expect(read.patterns.map(\.pattern.source) == fresh.patterns.map(\.pattern.source))
        let cached = Classifier(policy: read).makeSession(), compiled = Classifier(policy: fresh).makeSession()
        for text in try WindowEquivalenceTests.corpusTexts() {
            #expect(summary(cached.classify(text)) == summary(compiled.classify(text)), "\(text.prefix(80))")
        }
    }

    @Test func everyInputOfTheCompilationIsInTheKey() throws {
        let cache = try cache()
        let source = PolicySource(path: "a.yaml", contents: "version: 1")
        let base = cache.key(sources: [source], packs: [])
        #expect(base.count == 64)
        #expect(cache.key(sources: [source], packs: []) == base)
        #expect(cache.key(sources: [PolicySource(path: "a.yaml", contents: "version: 1 ")], packs: []) != base)
        #expect(cache.key(sources: [PolicySource(path: "b.yaml", contents: "version: 1")], packs: []) != base)
        #expect(cache.key(sources: [], packs: [source]) != base)
        #expect(PolicyCache(directory: cache.directory, identity: "test 2").key(sources: [source], packs: []) != base)
        // A built-in source is part of the program, which the identity covers: only its path
        // (and that it is built in) goes into the key.
        let builtIn = PolicySource(path: "a.yaml", contents: "version: 1", isBuiltIn: true)
        #expect(cache.key(sources: [builtIn], packs: []) != base)
        #expect(cache.key(sources: [PolicySource(path: "a.yaml", contents: "version: 2", isBuiltIn: true)], packs: [])
                == cache.key(sources: [builtIn], packs: []))
        #expect(cache.key(sources: [PolicySource(path: "b.yaml", contents: "version: 1", isBuiltIn: true)], packs: [])
                != cache.key(sources: [builtIn], packs: []))
    }

    @Test func aDirectoryOthersCanWriteIsNotUsed() throws {
        let cache = try cache()
        let sources = Fixtures.bundledSources
        _ = try PolicyLoader.load(sources: sources, cache: cache)
        let key = cache.key(sources: sources, packs: [])
        #expect(cache.read(key: key) != nil)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: cache.directory.path)
        #expect(cache.read(key: key) == nil)
        #expect(throws: (any Error).self) { try cache.write(Fixtures.bundledSet, key: key) }
    }

    @Test func onlyTheNewestEntriesAreKept() throws {
        let cache = try cache()
        let set = Fixtures.testSet
        for index in 0..<(PolicyCache.capacity + 3) {
            try cache.write(set, key: String(format: "%064d", index))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.directory.path).filter { $0.hasSuffix(".policies") }
        #expect(names.count == PolicyCache.capacity)
        // A temporary file an interrupted write left an hour ago, and an entry of the first
        // format, go with the next write.
        let stale = cache.directory.appendingPathComponent("." + String(repeating: "1", count: 64) + ".41.tmp")
        let fresh = cache.directory.appendingPathComponent("." + String(repeating: "2", count: 64) + ".42.tmp")
        let legacy = cache.directory.appendingPathComponent(String(repeating: "e", count: 64) + ".json")
        try Data().write(to: stale)
        try Data().write(to: fresh)
        try Data("{}".utf8).write(to: legacy)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: stale.path)
        try cache.write(set, key: String(repeating: "f", count: 64))
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(!FileManager.default.fileExists(atPath: legacy.path))
        #expect(FileManager.default.fileExists(atPath: fresh.path))
        #expect(cache.read(key: String(format: "%064d", PolicyCache.capacity + 2)) != nil)
    }

    @Test func unreadableEntriesAreMisses() throws {
        let cache = try cache()
        let sources = Fixtures.bundledSources
        let set = try PolicyLoader.load(sources: sources, cache: cache)
        let key = cache.key(sources: sources, packs: [])
        let entry = cache.directory.appendingPathComponent(key + ".policies")
        #expect(FileManager.default.fileExists(atPath: entry.path))
        // An entry stored under another key is not taken for this one.
        try cache.write(set, key: String(repeating: "0", count: 64))
        try FileManager.default.moveItem(at: cache.directory.appendingPathComponent(String(repeating: "0", count: 64) + ".policies"),
                                         to: cache.directory.appendingPathComponent("other.policies"))
        #expect(cache.read(key: "other") == nil)
        try Data(try Data(contentsOf: entry).prefix(100)).write(to: entry)
        #expect(cache.read(key: key) == nil)
        // …and the next load compiles again and mends the entry.
        _ = try PolicyLoader.load(sources: sources, cache: cache)
        #expect(cache.read(key: key) != nil)
    }

    /// An entry carries the SHA-256 of its contents: any damaged byte makes it a miss, never a
    /// set that checks less than the one written.
    @Test func anEntryWithAnyByteDamagedIsAMiss() throws {
        let cache = try cache()
        let key = String(repeating: "a", count: 64)
        try cache.write(Fixtures.testSet, key: key)
        let url = cache.directory.appendingPathComponent(key + ".policies")
        let bytes = try Data(contentsOf: url)
        #expect(cache.read(key: key) != nil)
        for position in stride(from: 0, to: bytes.count, by: 7) {
            var damaged = bytes
            damaged[position] ^= 0x04
            try damaged.write(to: url)
            #expect(cache.read(key: key) == nil, "byte \(position)")
        }
    }

    /// Pruning touches only the files the cache writes, should the directory be shared.
    @Test func pruningLeavesOtherFilesAlone() throws {
        let cache = try cache()
        let other = cache.directory.appendingPathComponent("notes.json"), old = cache.directory.appendingPathComponent(String(repeating: "b", count: 64) + ".json")
        let otherTemporary = cache.directory.appendingPathComponent(".editor.1.tmp")
        try Data("{}".utf8).write(to: other)
        try Data("{}".utf8).write(to: old)
        try Data().write(to: otherTemporary)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -7200)], ofItemAtPath: otherTemporary.path)
        try cache.write(Fixtures.testSet, key: String(repeating: "c", count: 64))
        #expect(FileManager.default.fileExists(atPath: other.path))
        #expect(FileManager.default.fileExists(atPath: otherTemporary.path))
        #expect(!FileManager.default.fileExists(atPath: old.path))
    }

    /// Writing a set read back from an entry gives the entry's bytes again: nothing of the
    /// set is lost or changed on the way (including the packs, with all their rule kinds).
    @Test func anEntryReadsBackToTheSameSet() throws {
        for set in [Fixtures.bundledSet, PackFixtures.policy] {
            var writer = CacheWriter()
            set.write(to: &writer)
            var reader = CacheReader(writer.bytes)
            let read = try PolicySet(cache: &reader)
            var again = CacheWriter()
            read.write(to: &again)
            #expect(again.bytes == writer.bytes)
            #expect(read.rules.count == set.rules.count && read.patterns.count == set.patterns.count)
        }
    }

    /// Below the cache's checksum, the reader itself never crashes on damaged bytes: it
    /// refuses them or reads some set. Lengths are checked against the bytes left, numbers
    /// that cannot be negative are, rule ids must be distinct, and pattern indices, groups and
    /// levels are checked against the set. Every byte is damaged in turn (the set is loaded
    /// under a fixed path, so the entry is the same on every machine).
    @Test func damagedEntriesAreRefusedWithoutCrashing() throws {
        let contents = try String(contentsOfFile: Fixtures.path("policies/test-set.yaml"), encoding: .utf8)
        let set = try PolicyLoader.load(sources: [PolicySource(path: "test-set.yaml", contents: contents)])
        var writer = CacheWriter()
        set.write(to: &writer)
        let bytes = writer.bytes
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 400)) {
            var reader = CacheReader(Array(bytes.prefix(length)))
            #expect(throws: CacheReader.Corrupt.self) { try PolicySet(cache: &reader) }
        }
        var read = 0
        for position in bytes.indices {
            for damage: UInt8 in [0xFF, 0x01] {
                var damaged = bytes
                damaged[position] ^= damage
                var reader = CacheReader(damaged)
                guard let set = try? PolicySet(cache: &reader) else { continue }
                read += 1
                _ = Classifier(policy: set).makeSession().classify("TOP SECRET: EM1234 and 12,500 € in 2027")
            }
        }
        #expect(read > 0)
    }

    /// Strings read back as written, ASCII (taken as is) or not (validated); bytes that are
    /// not UTF-8 are refused, never repaired into another string.
    @Test(arguments: [[0x41, 0x80, 0x42], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func cacheStringsAreUTF8(_ invalid: [UInt8]) throws {
        var writer = CacheWriter()
        writer.strings(["plain ascii", "", "équipe – ⅓ 𝔸"])
        var reader = CacheReader(writer.bytes)
        #expect(try reader.strings() == ["plain ascii", "", "équipe – ⅓ 𝔸"])
        var bad = CacheWriter()
        bad.int(invalid.count)
        var badReader = CacheReader(bad.bytes + invalid)
        #expect(throws: CacheReader.Corrupt.self) { try badReader.string() }
    }
}
