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
}
