import Foundation
@testable import HierosEngine
import HierosPolicy
import HierosText
import Testing

/// Windows (around literals, around digits) are a speed-up only: with them and without them,
/// every item of the corpora and all of them joined into one large text classify the same.
@Suite("Prefilter windows")
struct WindowEquivalenceTests {
    static let windowed = Fixtures.bundledClassifier
    static let whole = Classifier(policy: Fixtures.bundledSet, normalizer: TextNormalizer(), usesWindows: false)

    /// The texts of every corpus item.
    static func corpusTexts() throws -> [String] {
        let directory = Fixtures.packageRoot.appendingPathComponent("corpora")
        var texts: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".jsonl") {
            let contents = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for line in contents.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let text = object?["text"] as? String { texts.append(text) }
            }
        }
        return texts
    }

    /// The texts `classifier` (over `set`, with windows) finds in `text`, once checked to be the
    /// ranges found without windows.
    private func foundWithAndWithoutWindows(_ set: PolicySet, in text: String,
                                            by classifier: Classifier? = nil) -> (Classification, [String]) {
        let windowed = (classifier ?? Classifier(policy: set)).classify(text)
        let whole = Classifier(policy: set, normalizer: TextNormalizer(), usesWindows: false).classify(text)
        #expect(windowed.findings.map(\.range) == whole.findings.map(\.range))
        let bytes = Array(text.utf8)
        return (windowed, windowed.findings.map { String(decoding: bytes[$0.range], as: UTF8.self) })
    }

    private func summary(_ classification: Classification) -> [String] {
        classification.findings.map { "\($0.ruleID)@\($0.range)" } + classification.unverified.map(\.reason)
    }

    @Test func everyCorpusItemClassifiesTheSame() throws {
        let texts = try Self.corpusTexts()
        #expect(texts.count > 1000)
        let windowed = Self.windowed.makeSession(), whole = Self.whole.makeSession()
        for text in texts {
            #expect(summary(windowed.classify(text)) == summary(whole.classify(text)), "\(text.prefix(80))")
        }
    }

    /// The packs' rules (credentials, personal data) on the corpora and the peer suites' texts.
    @Test func thePacksClassifyTheSame() throws {
        let whole = Classifier(policy: PackFixtures.policy, normalizer: TextNormalizer(), usesWindows: false).makeSession()
        let windowed = PackFixtures.classifier.makeSession()
        var texts = try Self.corpusTexts()
        texts += ((try? PeerSuites.load("gitleaks-cases.jsonl", as: PeerSuites.GitleaksCase.self)) ?? []).map(\.text)
        texts += ((try? PeerSuites.load("presidio-cases.jsonl", as: PeerSuites.PresidioCase.self)) ?? []).map(\.text)
        for text in texts {
            #expect(summary(windowed.classify(text)) == summary(whole.classify(text)), "\(text.prefix(80))")
        }
        let joined = texts.joined(separator: "\n\n")
        #expect(summary(windowed.classify(joined)) == summary(whole.classify(joined)))
    }

    /// Literal and digit windows are both supersets of where a match can start; a pattern
    /// with both is tried only in their intersection.
    @Test func windowListsIntersect() {
        #expect(Evaluation.intersection([0..<5, 8..<12, 20..<30], [3..<9, 11..<21, 25..<26, 29..<40])
                == [3..<5, 8..<9, 11..<12, 20..<21, 25..<26, 29..<30])
        #expect(Evaluation.intersection([0..<5], []) == [])
        #expect(Evaluation.intersection([0..<5], [5..<9]) == [])
        #expect(Evaluation.intersection([0..<100], [10..<20, 30..<40]) == [10..<20, 30..<40])
    }

    /// Patterns where reading the source by characters, or with flags leaking out of groups,
    /// or counting a caseless non-ASCII letter by its own size, would misplace or drop windows
    /// and keywords (found by a review's fuzzing): each still fires, windows on or off.
    @Test(arguments: [
        (#"ß?\d{4}"#, "[caseless]", "Ref ẞ1234 here", "ẞ1234"),              // ß matches the 3-byte ẞ
        (#"(?-x)a b"#, "[extended]", "xx a b yy", "a b"),                      // (?-x): the space is literal
        (#"(?^)a b"#, "[extended]", "xx a b yy", "a b"),
        (#"(a(?x))b c\d"#, "[]", "ab c7", "ab c7"),                            // (?x) ends with its group
        (#"москва"#, "[caseless]", "в МОСКВА", "МОСКВА"),                       // no ASCII-only keyword
        (#"x\Qab\E?yz"#, "[]", "a xayz b", "xayz"),                            // the ? applies to b only
        (#"[कि]x"#, "[]", "a कx b", "कx"),                                       // a class of two scalars
        (#"\N{U+41}bc"#, "[]", "zz Abc", "Abc"),
        // Windows reach back only over the bytes that can precede the literal.
        (#"[a-z0-9._%+-]{1,64}@corp\.example"#, "[caseless]", "to: First.Last+t@corp.example, x", "First.Last+t@corp.example"),
        (#"[\w.]{1,20}@corp\.example"#, "[ucp]", "mail Дмитрий.p@corp.example", "Дмитрий.p@corp.example"),  // UCP \w
        (#"[\d-]{1,20}#ref"#, "[]", "a 0-1-2#ref", "0-1-2#ref"),
        // Letters beyond ASCII before the literal, in the other case (found by a review).
        (#"[Ø]{1,3}@corp\.example"#, "[]", "to Ø@corp.example x", "Ø@corp.example"),
        (#"ø{1,3}@corp\.example"#, "[caseless]", "to Ø@corp.example x", "Ø@corp.example"),
        (#"λ{1,3}#secret"#, "[caseless]", "to Λ#secret x", "Λ#secret"),
        (#"\x{212A}{1,3}#secret"#, "[caseless]", "to k#secret x", "k#secret"),
        // Openers are found inside words too: the pattern has no word boundary.
        (#"(?:plan|team)[\s:-]{1,64}(?:heron|orion)"#, "[caseless]", "plan airplan - Heron x", "plan - Heron"),
        (#"(?:plan|team)[\s:-]{1,64}(?:heron|orion)"#, "[caseless]", "team-x herons; TEAM:  ORION", "TEAM:  ORION"),
        // A closer ends where the run of gap bytes before the literal begins (`LeadCloser`).
        (#"(?:plan|team)[\s:-]{1,3}(?:heron|orion)"#, "[caseless]", "plan     heron team - orion", "team - orion"),
        (#"(?:code[\s_-]{0,9}name|plan)[\s:-]{1,9}heron"#, "[caseless]", "the CODE _ name: Heron", "CODE _ name: Heron"),
        (#"(?:plan|team)[\s«»-]{1,9}heron"#, "[caseless]", "team « Heron »", "team « Heron"),
        (#"(?:plan|team)[\s:-]{1,9}heron"#, "[caseless]", "plan heron", "plan heron"),
        (#"(?:plan|airplan)[\s:-]{1,9}heron"#, "[caseless]", "an airplan: heron", "airplan: heron"),
        (#"(?:plan|team)[\s:-]{1,9}heron"#, "[caseless]", "team- heron, café heron", "team- heron"),
    ] as [(String, String, String, String)])
    func windowsKeepTrickyPatterns(_ pattern: String, _ options: String, _ text: String, _ expected: String) throws {
        let yaml = """
            version: 1
            rules:
              - id: t.rule
                level: internal
                description: d
                message: m
                pattern: '\(pattern)'
                options: \(options)
            """
        let set = try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: yaml)])
        let (windowed, found) = foundWithAndWithoutWindows(set, in: text)
        let whole = Classifier(policy: set, normalizer: TextNormalizer(), usesWindows: false).classify(text)
        #expect(windowed.findings.map(\.excerpt) == whole.findings.map(\.excerpt))
        #expect(found == [expected])
    }

    /// The prefix forms of codenames are found by their closers: their prefix words are no
    /// keywords of their own (they were a third of a large scan's keyword hits).
    @Test func codenamePrefixFormsUseClosers() throws {
        let rule = try #require(Fixtures.bundledSet.rules.first { $0.id == "codename.prefix-form" })
        let window = try #require(rule.spec.window)
        #expect(window.openers.isEmpty)
        let closer = try #require(window.closer)
        #expect(Set(closer.closers).isSuperset(of: ["project", "team", "equipe", "name", "code"]))
        #expect(closer.gap.contains(UInt8(ascii: ":")) && !closer.gap.contains(UInt8(ascii: "e")))
        #expect(!Self.windowed.keywords.keywords.contains("project"))
    }

    /// Term windows skip literal occurrences glued to an ASCII letter or digit: every term that
    /// starts a word is still found, after punctuation, an apostrophe, a non-ASCII symbol or at
    /// the very start (an accented letter is a letter). A pattern's windows never skip: its
    /// leading word boundary may hold for one top-level alternative only.
    @Test func wordStartWindowsSkipOnlyGluedOccurrences() throws {
        let yaml = #"""
            version: 1
            rules:
              - id: t.terms
                level: internal
                description: d
                message: m
                terms: ["le comex", "plan social"]
              - id: t.pattern
                level: internal
                description: d
                message: m
                pattern: '(?<![\p{L}\p{N}])data\s+room|bigdata'
            """#
        let set = try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: yaml)])
        #expect(set.rules.map { $0.spec.window?.startsWord } == [true, false])
        let text = "Le ComEx, tablele comex 3le comex (le comex) l'plan social xplan social →plan social éplan social "
            + "_data room xbigdata 1data room «data room»"
        let (_, found) = foundWithAndWithoutWindows(set, in: text)
        #expect(found == ["Le ComEx", "le comex", "plan social", "plan social", "data room", "bigdata", "data room"])
    }

    /// Term windows are tried only where a second word can follow the first: every term is
    /// still found across suffixes, separator runs (longer than the walk's reach too), spaces
    /// beyond ASCII and capitals, and where the first word is also a pattern's literal (then
    /// the windows, not the keyword pass, test what follows).
    @Test func termWindowsTestTheNextWord() throws {
        let yaml = #"""
            version: 1
            rules:
              - id: t.terms
                level: internal
                description: d
                message: m
                terms: ["offre(s) ferme(s)", "offre(s) non engageante(s)", "plan social", "plans sociaux", "budget", "budget freeze"]
              - id: t.pattern
                level: internal
                description: d
                message: m
                pattern: 'plan\d'
            """#
        let set = try PolicyLoader.load(sources: [PolicySource(path: "t.yaml", contents: yaml)])
        let window = try #require(set.rules[0].spec.window)
        #expect(window.literals == ["budget", "offre", "plan", "plans"])
        #expect(window.nextWords.map { $0 != nil } == [false, true, true, true])
        let classifier = Classifier(policy: set)
        #expect(classifier.positional[classifier.keywords.keywords.firstIndex(of: "offre")!] == .termStarts)
        #expect(classifier.positional[classifier.keywords.keywords.firstIndex(of: "plan")!] == .all)
        let long = String(repeating: " ", count: NextWord.reach + 3)
        let text = "Offres  FERMES; offre commerciale; offre\u{A0}ferme; offres-non_engageantes; offre" + long + "ferme "
            + "plan social, plan b, plans sociaux, Plan-Social, plan7 plan" + long + "social; budget was; budget freeze; offre"
        let (_, found) = foundWithAndWithoutWindows(set, in: text, by: classifier)
        #expect(found.filter { $0.lowercased().hasPrefix("offre") }.count == 4)
        #expect(found.filter { $0.lowercased().hasPrefix("plan") && $0 != "plan7" }.count == 4)
        #expect(found.contains("plan7"))
    }

    /// The IP address rule of the packs has no literal and needs no digit (IPv6), so it is tried
    /// just before runs of digits and colons: every form is still found, with and without digits,
    /// embedded IPv4, zones and prefixes, at the very start and end, beside colons in prose.
    @Test func ipAddressesAreFoundNearDigitsAndColons() throws {
        let rule = try #require(PackFixtures.policy.rules.first { $0.id == "personal-data.ip-address" })
        #expect(rule.spec.window == nil && rule.spec.digitWindow == nil)
        #expect(rule.spec.digitOrColonWindow != nil)
        #expect(rule.reach == .nearDigits)
        let whole = Classifier(policy: PackFixtures.policy, normalizer: TextNormalizer(), usesWindows: false).makeSession()
        let windowed = PackFixtures.classifier.makeSession()
        let text = "fe80::abcd:ef01 Note: see abcd:ef01:2345:6789:abcd:ef01:2345:6789 and ::ffff:192.0.2.1; "
            + "route 2001:db8:85a3::8a2e:370:7334/64 via fe80::1ff:fe23:4567:890a%eth0, time 10:30, "
            + "std::cout, hosts 203.0.113.7 and 198.51.100.22/24: dead:beef::cafe"
        let found = windowed.classify(text).findings.filter { $0.ruleID == rule.id }.map(\.range)
        #expect(found.count >= 7)
        #expect(summary(windowed.classify(text)) == summary(whole.classify(text)))
        for cut in [0, 1, 2, 5] {
            let piece = String(text.dropFirst(cut))
            #expect(summary(windowed.classify(piece)) == summary(whole.classify(piece)), "cut \(cut)")
        }
    }

    /// A literal with no bound before it but its lead bytes (a tag name before `password>`) is
    /// tried back to where their run starts: every form is found, with long tag names, several
    /// literals in one run (where a walk back stops at the one before), names beyond ASCII and
    /// at the very start.
    @Test func unboundedLeadsReachBackOverTheirRun() throws {
        let rule = try #require(PackFixtures.policy.rules.first { $0.id == "credentials.secret-assignment" })
        #expect(rule.spec.window?.lead == MatchWindow.unboundedLead)
        #expect(rule.spec.window?.leadBytes?.contains(UInt8(ascii: "<")) == true)
        let whole = Classifier(policy: PackFixtures.policy, normalizer: TextNormalizer(), usesWindows: false).makeSession()
        let windowed = PackFixtures.classifier.makeSession()
        let longName = String(repeating: "ab-cd.", count: 30)
        let text = "<db.password>Zq8vR2mKx7Lw</db.password> config <\(longName)secret>Hq3nT9vLm2Xc</\(longName)secret> "
            + "<app:token_password>Wm4kP8sNq1Rz</app:token_password> <clé.api-key>Tr5mQ2xVn8Kc</clé.api-key> "
            + "password = \"Jk7wN3qLm9Pz\" and <a><b.secret>Pn6vX1kRm4Tq</b.secret>"
        for cut in [0, 1, 13, 14] {
            let piece = String(text.dropFirst(cut))
            let found = windowed.classify(piece)
            #expect(summary(found) == summary(whole.classify(piece)), "cut \(cut)")
            if cut == 0 { #expect(found.findings.filter { $0.ruleID == rule.id }.count >= 5) }
        }
    }

    @Test func theCorporaJoinedClassifyTheSame() throws {
        let joined = try Self.corpusTexts().joined(separator: "\n\n")
        let windowed = Self.windowed.classify(joined), whole = Self.whole.classify(joined)
        #expect(windowed.findings.count > 500)
        #expect(summary(windowed) == summary(whole))
    }

    /// Digit runs, found a word at a time, are exactly the maximal runs of ASCII digits, at
    /// every alignment and next to the digit-like bytes `:;<=>?` the word test also flags.
    @Test(arguments: [0, 1, 2])
    func digitRunsAreTheMaximalRunsOfDigits(_ seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let alphabet = Array("0123456789:;<=>?ab .\n".utf8)
        // Dense stretches and sparse ones, where the scan skips sixteen or eight bytes at a time.
        let bytes = (0..<5_001).map { offset in
            let odds: UInt64 = offset / 200 % 2 == 0 ? 4 : 48
            return generator.next() % odds == 0 ? alphabet[Int(generator.next() % UInt64(alphabet.count))] : UInt8(ascii: "x")
        }
        var expected: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] >= 0x30, bytes[index] <= 0x39 else { index += 1; continue }
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            expected.append(start..<index)
        }
        #expect(Evaluation.digitRuns(in: bytes) == expected)
        // A text that the sixteen-byte skip reads to its very end.
        let length = 16 * Int(seed + 1)
        #expect(Evaluation.digitRuns(in: Array(repeating: UInt8(ascii: "x"), count: length)) == [])
        #expect(Evaluation.digitRuns(in: Array("7".utf8) + Array(repeating: UInt8(ascii: "x"), count: length - 1)) == [0..<1])
    }
}
