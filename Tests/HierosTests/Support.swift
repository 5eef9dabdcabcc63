import Foundation
import Testing
import HierosBundledPolicies
import HierosEngine
import HierosPolicy

/// Paths and helpers shared by the tests.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let testSet: PolicySet = try! PolicyLoader.load(paths: [path("policies/test-set.yaml")])
    static let testClassifier = Classifier(policy: testSet)

    static let bundledSources = bundledPolicyFiles.map {
        PolicySource(path: bundledPolicyPrefix + $0.path, contents: $0.contents)
    }
    static let bundledSet: PolicySet = try! PolicyLoader.load(sources: bundledSources)
    static let bundledClassifier = Classifier(policy: bundledSet)

    /// Compares `actual` with the golden file `name`; `HIEROS_UPDATE_GOLDEN=1` rewrites it
    /// instead (review the diff: the golden files are the output contracts).
    static func golden(_ name: String, _ actual: String) throws {
        let url = root.appendingPathComponent("golden/\(name)")
        if ProcessInfo.processInfo.environment["HIEROS_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "golden file \(name) differs")
    }

    /// Loads one policy text and returns its diagnostics (empty when it loads).
    static func diagnostics(_ yaml: String, path: String = "t.yaml") -> [String] {
        do {
            _ = try PolicyLoader.load(sources: [PolicySource(path: path, contents: yaml)])
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }
}

/// Text with `⟦` `⟧` markers around expected finding ranges, as UTF-8 byte ranges of the
/// text without markers (after swift-format's marked text).
struct MarkedText {
    let text: String
    let ranges: [Range<Int>]

    init(_ marked: String) {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        var start: Int?
        for character in marked {
            switch character {
            case "⟦": start = bytes.count
            case "⟧":
                ranges.append(start!..<bytes.count)
                start = nil
            default: bytes.append(contentsOf: String(character).utf8)
            }
        }
        text = String(decoding: bytes, as: UTF8.self)
        self.ranges = ranges
    }
}

/// SplitMix64: generated test inputs are the same on every run, so a failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
