import HierosText
import Testing

@Suite("Normalisation (standard section 10)")
struct NormalizerTests {
    let normalizer = TextNormalizer()

    private func normalized(_ text: String) -> String {
        String(decoding: normalizer.normalize(Array(text.utf8)).bytes, as: UTF8.self)
    }

    @Test(arguments: [
        ("Kes\u{200B}trel", "Kestrel"),                       // E1
        ("MT48\u{200B}2913", "MT482913"),                      // E1 inside a format
        ("soft\u{00AD}hyphen", "softhyphen"),                  // E1
        ("ＳＴＲＡＴＥＧＩＣ ＭＴ４８２９１３", "STRATEGIC MT482913"), // E2
        ("l’équipe “Heron” – go", "l'equipe \"Heron\" - go"),  // E2 quotes and dashes, E3
        ("Secret stratégique", "Secret strategique"),          // E3
        ("non audité", "non audite"),                          // E3
        ("e\u{0301}te\u{0301}", "ete"),                        // E3, decomposed accents
        ("1\u{202F}150 postes", "1 150 postes"),               // E2 narrow no-break space
        ("Project K E S T R E L", "Project KESTREL"),          // E6
        ("k.e.s.t.r.e.l deal", "kestrel deal"),                // E6
        ("O-R-I-O-N", "ORION"),                                // E6
        ("Kes trel", "Kes trel"),                              // E6: one break is not spaced letters
        ("a b testing", "a b testing"),                        // two letters are not a run
        ("U.S. law", "U.S. law"),
        ("K E S T R E L", "KESTREL"),                          // E6 at the very start and end
        ("(O-R-I-O-N)", "(ORION)"),
        ("xK E S", "xK E S"),                                  // K is glued to a word: two letters only
        ("I a m here", "Iam here"),                            // three single letters are a run
        ("٤١١١ ١١١١", "4111 1111"),                            // decimal digits of any script
        ("४२ and 𝟕", "42 and 7"),                              // Devanagari, mathematical bold (NFKC)
        ("Ⅻ ½ ²", "XII 1⁄2 2"),                                // not decimal digits: NFKC only
        ("\u{200B}abc", "abc"),                                // a change at the very start…
        ("abc é", "abc e"),                                    // …and at the very end
        ("plain words, no change", "plain words, no change"),  // returned as it is
    ])
    func folds(_ input: String, _ expected: String) {
        #expect(normalized(input) == expected)
    }

    /// Spaced letters, with each separator, are found at every alignment within long text (the
    /// skip loop reads eight bytes at a time), and nothing else in that text changes.
    @Test func spacedLettersAreJoinedAtEveryAlignment() {
        let filler = "Le plan a. Roll-out - x y, d'affaires ... "
        for shift in 0..<24 {
            let prefix = String(repeating: "z", count: shift) + " " + String(repeating: filler, count: 3)
            // A run of three letters has one pair of separators two bytes apart, which the skip
            // loop must not step over, wherever it lies after the run before (`:` and `;` are not
            // separator-like, so the pair between the letters is the only one).
            let gap = String(repeating: "w", count: shift + 2)
            let input = prefix + "Project K E S T R E L and O-R-I-O-N, h.e.r.o.n or v_e_g_a " + gap + " :Z Y X; " + filler
            #expect(normalized(input) == prefix + "Project KESTREL and ORION, heron or vega " + gap + " :ZYX; " + filler, "shift \(shift)")
        }
    }

    /// The fold passes ASCII runs thirty-two and eight bytes at a time: an accented letter is
    /// folded, and mapped back, wherever it lies after a run of any length.
    @Test func foldingAfterASCIIRunsOfEveryLength() {
        for length in 0..<80 {
            let run = String(repeating: "a", count: length)
            let input = run + "é" + String(repeating: "z", count: 40) + "É"
            #expect(normalized(input) == run + "e" + String(repeating: "z", count: 40) + "E", "run \(length)")
            let text = normalizer.normalize(Array(input.utf8))
            #expect(text.originalRange(length..<(length + 1)) == length..<(length + 2), "run \(length)")
        }
    }

    @Test func rangesMapBackToTheOriginal() {
        let input = "Pr\u{200B}oject ＶＥＧＡ"
        let text = normalizer.normalize(Array(input.utf8))
        #expect(String(decoding: text.bytes, as: UTF8.self) == "Project VEGA")
        // "Project" spans the zero-width space; "VEGA" maps to the four full-width letters.
        #expect(text.originalRange(0..<7) == 0..<10)
        #expect(text.originalRange(8..<12) == 11..<23)
    }

    @Test func spacedLettersMapBackToTheWholeRun() {
        let input = "é Project K E S T R E L!"
        let text = normalizer.normalize(Array(input.utf8))
        let normalizedText = String(decoding: text.bytes, as: UTF8.self)
        #expect(normalizedText == "e Project KESTREL!")
        #expect(text.originalRange(10..<17) == 11..<24)
    }

    @Test func invalidBytesPassThroughAndAreReported() {
        let bytes: [UInt8] = Array("ok ".utf8) + [0xC3, 0x28] + Array(" é".utf8)
        let text = normalizer.normalize(bytes)
        #expect(text.firstInvalidUTF8Offset == 3)
        #expect(text.bytes == Array("ok ".utf8) + [0xC3, 0x28] + Array(" e".utf8))
    }

    /// Text with invalid bytes and nothing else to change passes through whole (no copy is made,
    /// and the map is the identity).
    @Test func invalidBytesAloneChangeNothing() {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0x20, 0x80]
        let text = normalizer.normalize(bytes)
        #expect(text.bytes == bytes)
        #expect(text.firstInvalidUTF8Offset == 1)
        #expect(text.originalRange(1..<4) == 1..<4)
    }

    @Test func policyStringsKeepLettersApart() {
        let forPolicies = TextNormalizer(joinsSpacedLetters: false)
        #expect(forPolicies.normalize("a b c stratégique") == "a b c strategique")
    }

    @Test(arguments: [
        // (text, main range, words, expected forward limit)
        ("alpha beta gamma delta", 0..<5, 0, 11),
        ("alpha beta gamma delta", 0..<5, 1, 17),
        ("alpha beta gamma delta", 0..<5, 5, 22),
        ("alpha, beta", 0..<5, 0, 11),
    ])
    func forwardWindow(_ text: String, _ main: Range<Int>, _ words: Int, _ limit: Int) {
        #expect(WordWindow.forwardLimit(in: Array(text.utf8), after: main.upperBound, words: words) == limit)
    }

    @Test(arguments: [
        ("alpha beta gamma delta", 17, 0, 11),
        ("alpha beta gamma delta", 17, 1, 6),
        ("alpha beta gamma delta", 17, 9, 0),
    ])
    func backwardWindow(_ text: String, _ start: Int, _ words: Int, _ limit: Int) {
        #expect(WordWindow.backwardLimit(in: Array(text.utf8), before: start, words: words) == limit)
    }
}
