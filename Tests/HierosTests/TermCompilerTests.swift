@testable import HierosPCRE2
@testable import HierosPolicy
import Testing

@Suite("Term lists compiled to patterns")
struct TermCompilerTests {
    /// Terms whose first words overlap (`plan`, `plans`, `planning`, a one-letter word) and
    /// share first characters, so that grouping by first character must keep the order in which
    /// PCRE2 tries them.
    static let terms = [
        "plan social", "plan de sauvegarde de l'emploi", "plans sociaux", "planning meeting", "plan(s)",
        "board pack", "board minutes", "Board resolution(s)", "b plan", "PV du conseil", "pv", "2024 plan",
    ]

    static let texts = [
        "The plan social and the plans sociaux, then a planning meeting about our plan.",
        "Board pack, BOARD MINUTES and board resolutions; b plan; pv du conseil; PV; 2024 plan",
        "plan de sauvegarde de l'emploi / plan-de_sauvegarde  de l'emploi / plans / plan",
        "airplan social, boardpack, pvx, planning-meeting, plan  social",
    ]

    @Test func termsAreGroupedByFirstCharacter() throws {
        let (pattern, _) = TermCompiler.compile(Self.terms)
        #expect(pattern.contains("p(?:lan"))
        #expect(pattern.contains("b(?:oard"))
        #expect(!pattern.contains("|board"))
        #expect(TermCompiler.factoredByFirstCharacter(["(?:re)?structuring", "plan"]) == nil)
        #expect(TermCompiler.factoredByFirstCharacter(["#tag", "plan"]) == nil)
    }

    /// The grouped pattern finds exactly what the plain alternation finds, term for term.
    @Test func groupingChangesNoMatch() throws {
        let (grouped, _) = TermCompiler.compile(Self.terms)
        let (plain, _) = TermCompiler.compile(Self.terms, grouped: false)
        #expect(grouped != plain)
        let options: PatternOptions = [.caseless, .ucp]
        let groupedMatcher = Matcher(pattern: try Pattern(grouped, options: options), limits: .standard)
        let plainMatcher = Matcher(pattern: try Pattern(plain, options: options), limits: .standard)
        for text in Self.texts {
            let bytes = Array(text.utf8)
            let (found, expected) = try bytes.withUnsafeBufferPointer { buffer in
                (try groupedMatcher.allMatches(in: buffer).map(\.range), try plainMatcher.allMatches(in: buffer).map(\.range))
            }
            #expect(!expected.isEmpty)
            #expect(found == expected, "\(text)")
        }
    }

    /// What must follow a first word: the rest of that word and separators, then the second
    /// word's first letter in either case; nothing known for a one-word term or an optional
    /// start of the second word.
    @Test func nextWordsOfTerms() throws {
        let offre = try #require(TermCompiler.nextWord(for: "Offre(s) ferme(s)"))
        for byte in Array("sS \t\n_-".utf8) { #expect(offre.between.contains(byte)) }
        for byte in Array("fFa.".utf8) { #expect(!offre.between.contains(byte)) }
        #expect(offre.starts.contains(UInt8(ascii: "f")) && offre.starts.contains(UInt8(ascii: "F")))
        #expect(!offre.starts.contains(UInt8(ascii: "s")))
        #expect(offre.between.contains(0xC2) && offre.starts.contains(0xE2))  // UCP spaces; `ſ`, the Kelvin sign
        #expect(TermCompiler.nextWord(for: "plan")?.starts == nil)
        #expect(TermCompiler.nextWord(for: "plan(s)") == nil)
        #expect(TermCompiler.nextWord(for: "le (re)structuring") == nil)
        #expect(TermCompiler.nextWord(for: "2024 plan")?.starts.contains(UInt8(ascii: "P")) == true)
        #expect(TermCompiler.nextWord(for: "projet λ") == nil)
    }

    /// The walk after an occurrence: admitted when the second word can start before anything
    /// else, refused at a byte that can be neither, or at the end of the text; a separator run
    /// longer than the walk's reach is left to PCRE2.
    @Test func nextWordWalk() throws {
        let next = try #require(TermCompiler.nextWord(for: "budget(s) freeze"))
        func admits(_ text: String) -> Bool {
            let bytes = Array(text.utf8)
            return bytes.withUnsafeBufferPointer { next.admits($0, after: 6) }
        }
        #expect(admits("budget freeze"))
        #expect(admits("budgets -_ Freeze"))
        #expect(admits("budget\u{A0}freeze"))
        #expect(!admits("budget was"))
        #expect(!admits("budgets, freeze"))
        #expect(!admits("budget "))
        #expect(!admits("budget"))
        #expect(admits("budget" + String(repeating: " ", count: NextWord.reach) + "x"))
        #expect(!admits("budget" + String(repeating: " ", count: NextWord.reach - 1) + "x"))
    }
}
