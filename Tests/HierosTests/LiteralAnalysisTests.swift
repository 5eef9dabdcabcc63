@testable import HierosPolicy
import Testing

@Suite("Literal analysis of patterns")
struct LiteralAnalysisTests {
    @Test(arguments: [
        // Maximum lengths are upper bounds in bytes: a class counts as a character of up to 4 bytes.
        (#"(?<![A-Za-z0-9])MT\d{6}(?![A-Za-z0-9])"#, Set(["mt"]), 2 + 6 * 4),
        (#"(?:INC|CHG|RITM)\d{7}"#, Set(["inc", "chg", "ritm"]), 4 + 7 * 4),
        (#"\bmrd_live_[A-Za-z0-9]{32}\b"#, Set(["mrd_live_"]), 9 + 32 * 4),
        (#"-----BEGIN[ A-Z]*PRIVATE KEY-----"#, Set(["-----begin"]), nil),  // the literal a window can start at
        (#"(?-i:[Ss]umo|SUMO)key"#, Set(["sumokey"]), 7),
        ("(?x) foo \\s+ # a comment\n bar", Set(["foo"]), nil),
        (#"(?<name>ghp_)[a-z]{36}"#, Set(["ghp_"]), 4 + 36 * 4),
        (#"project[\s_:"'«»-]+(?:kestrel|heron)"#, Set(["project"]), nil),
        (#"AKIA[A-Z0-9]{16}|ASIA[A-Z0-9]{16}"#, Set(["akia", "asia"]), 4 + 16 * 4),
        // A backreference matches at most what its group can.
        (#"ssn\d{3}([-\x20.])\d{2}\1\d{4}"#, Set(["ssn"]), 3 + 3 * 4 + 4 + 2 * 4 + 4 + 4 * 4),
        (#"(?<sep>[-.])ab\1"#, Set(["ab"]), 4 + 2 + 4),
    ] as [(String, Set<String>, Int?)])
    func requiredLiteralsAndMaximumLength(_ pattern: String, _ literals: Set<String>, _ maximum: Int?) {
        let analysis = LiteralAnalysis(pattern: pattern, extended: false)
        #expect(analysis.required == literals)
        #expect(analysis.maximumLength == maximum)
    }

    @Test(arguments: [
        (#"[2-6](?:[ -]?\d){12,18}"#, 0),
        (#"[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30})"#, 2 * 4),                   // two characters of up to 4 bytes
        (#"€\x20?(?>\d{1,3}|\d{1,30})|\d{1,30}\x20?%"#, 4 + 1),       // € counts as up to 4 bytes (caseless)
        (#"[+\-−]?[€$]\x20?\d+(?:[.,]\d+)*"#, 4 + 4 + 1),              // bounded before, unbounded after
        (#"(?<![\p{L}\p{N}])AB12"#, 2),                                // a lookbehind consumes nothing
        (#"[0-9a-f]{32}"#, nil),                                        // a hex digit need not be a digit
        (#"(?:\d{2})?[A-Z]{4}"#, nil),                                 // optional digits
        (#"(?=\d)\w+"#, nil),                                          // a lookahead consumes nothing
        (#"[^0-9]x|v2"#, nil),
        (#"v2|[13579]"#, 1),
        (#"x[]5]y"#, nil),                                              // `]` first in a class is a member
        (#"x(*ACCEPT)5"#, nil),                                         // verbs: give up
        (#"\d{,3}x"#, nil),                                             // `{,3}`: a quantifier from PCRE2 10.43
    ] as [(String, Int?)])
    func digitRequirement(_ pattern: String, _ offset: Int?) {
        let analysis = LiteralAnalysis(pattern: pattern, extended: false)
        #expect(analysis.requiresDigit == (offset != nil))
        #expect(analysis.digitOffset == offset)
    }

    /// How far into a match the required literal can start: a pattern is tried only that far
    /// before each occurrence, however long the rest of the match can be.
    @Test(arguments: [
        (#"project[\s_-]{1,256}(?:kestrel|heron)"#, Set(["project"]), 0),
        (#"[a-z0-9][a-z0-9._%+-]{0,63}@(?:[a-z0-9-]+\.)+[a-z]{2,24}"#, Set(["@"]), 4 + 63 * 4),  // a class: up to 4 bytes
        (#"\d{3}-secret"#, Set(["-secret"]), 3 * 4),
        (#"foo|x{1,3}bar"#, Set(["foo", "bar"]), 3),
        (#"(?:ab|cd)x{2}y"#, Set(["ab", "cd"]), 0),
        (#"(?<=\d)key_[a-z]+"#, Set(["key_"]), 0),                      // a lookbehind consumes nothing
        (#"a+bc"#, Set(["bc"]), nil),                                    // unbounded before: keywords, no window
        (#"eyJ[a-z]{8,}\.eyJ[a-z]+"#, Set(["eyj"]), 0),                 // a bounded lead beats a longer literal
        (#"\w{2}#\w+"#, Set(["#"]), 2 * 4),                              // one of the rare one-byte symbols
    ] as [(String, Set<String>, Int?)])
    func literalLead(_ pattern: String, _ literals: Set<String>, _ lead: Int?) {
        let analysis = LiteralAnalysis(pattern: pattern, extended: false)
        #expect(analysis.required == literals)
        #expect(analysis.literalLead == lead)
    }

    /// Where the required literal can lie far into a match, the literals every match starts
    /// with narrow its windows: a codename after up to 500 bytes of prefix words and separators
    /// is tried only where a prefix word starts.
    @Test(arguments: [
        (#"(?<![\p{L}\p{N}])(?:Project|plan|code[\s_-]{0,256}name|nom[\s_-]{1,256}de[\s_-]{1,256}code)[\s:-]{1,256}(?:kestrel|heron)"#,
         Set(["project", "plan", "code", "nom"]) as Set<String>?),
        (#"(?:ab){2,3}[a-z]{1,40}secret"#, ["ab"]),                   // a repeated group starts with its first repeat
        (#"\bkey[a-z]{0,40}=[a-z]{0,40}(?:password|passphrase)"#, ["key"]),
        (#"project[\s_-]{1,256}(?:kestrel|heron)"#, nil),              // the literal starts the match: nothing to narrow
        (#"(?:ab)?cd[a-z]{1,40}secret"#, nil),                         // an optional first factor
        (#"(?:abc|x)[a-z]{1,40}secret"#, nil),                         // a one-byte opener
        (#"[a-z]{1,40}secret"#, nil),                                  // a class first
        (#"(?:ÉQUIPE|team)[a-z]{1,40}secret"#, nil),                   // a cased letter beyond ASCII
        (#"(?:AB|CD)\d{2}[A-Z]{1,40}IBANX"#, nil),                     // two-letter openers give way to digits
    ] as [(String, Set<String>?)])
    func openersNarrowLongLeads(_ pattern: String, _ openers: Set<String>?) {
        #expect(LiteralAnalysis(pattern: pattern, extended: false).openers == openers)
    }

    /// What every match holds just before its literal: a non-empty run of known bytes after
    /// one of a set of ASCII words, none of which ends with one of those bytes; nil otherwise.
    @Test(arguments: [
        (#"(?<![\p{L}\p{N}])(?:Project|plan|code[\s_-]{0,256}name|nom[\s_-]{1,256}de[\s_-]{1,256}code)[\s:-]{1,256}(?:kestrel|heron)"#,
         Set(["project", "plan", "name", "code"]) as Set<String>?),
        (#"plan[\s-]{1,64}heron"#, ["plan"]),                           // the longer literal is the one found
        (#"(?:plan|team)[\s:-]{0,64}(?:heron|orion)"#, nil),            // the gap may be empty
        (#"(?:plan|team:)[\s:-]{1,64}(?:heron|orion)"#, nil),           // a closer ends with a gap byte
        (#"(?:plan|teaM)[m\s-]{1,64}(?:heron|orion)"#, nil),            // ... in the other case
        (#"(?:plan|team)[^x]{1,64}heron"#, nil),                         // gap bytes unknown
        (#"(?:plan|teams?)[\s-]{1,64}heron"#, ["plan", "team", "teams"]), // an optional letter: both words
        (#"(?:plan|team\w?)[\s-]{1,64}heron"#, nil),                     // a branch's end is optional
        (#"(?:plan|équipe)[\s-]{1,64}heron"#, nil),                      // a closer beyond ASCII
        (#"(?:plan|team)x*[\s-]{1,64}heron"#, nil),                      // what ends the lead is optional
        (#"(?:plan[\s-]{1,9}heron)+"#, nil),                             // a repeat
        (#"(?:plan|team)[\s-]{1,64}heron|orion"#, nil),                  // one top-level alternative only
    ] as [(String, Set<String>?)])
    func closersEndTheLeadBeforeTheGap(_ pattern: String, _ closers: Set<String>?) {
        let closer = LiteralAnalysis(pattern: pattern, extended: false).closer
        #expect(closer.map { Set($0.closers) } == closers)
        if let closer {
            #expect(closer.gap.contains(0x20) && closer.gap.contains(UInt8(ascii: "-")))
            #expect(!closer.gap.contains(UInt8(ascii: "n")))
        }
    }

    /// The bytes a match can hold before its literal: a superset, read from classes, escapes
    /// and literals (both cases, and every byte beyond ASCII for letters and UCP classes).
    @Test(arguments: [
        (#"(?<![a-z0-9._%+-])[a-z0-9_%+-]{1,64}(?:\.[a-z0-9_%+-]{1,64}){1,16}@corp\.example"#, "azAZ09._%+-\u{80}\u{FF}", " @\n"),
        (#"\w{2}#\w+"#, "aZ9_\u{C3}", " #-"),
        (#"[a-c-e]{1,9}zzzz"#, "abcdeE-", " fz"),                     // `-` after a range: a member too
        (#"(?:ab|c\d)x{1,3}secretword"#, "abcABC09xX\u{80}", " sd"),
        (#"(?<=\s)[0-9]{2}\x20token"#, "09", " a\t\u{80}"),           // the lookbehind consumes nothing; " token" is the literal
        (#"\d{1,3}\.key"#, "09\u{80}", " ak."),                      // UCP digits are not all ASCII
    ] as [(String, String, String)])
    func leadBytesAreASupersetOfWhatPrecedesTheLiteral(_ pattern: String, _ inside: String, _ outside: String) throws {
        let bytes = try #require(LiteralAnalysis(pattern: pattern, extended: false).leadBytes)
        func byte(_ scalar: Unicode.Scalar) -> UInt8 { UInt8(scalar.value) }
        for scalar in inside.unicodeScalars { #expect(bytes.contains(byte(scalar)), "\(scalar.escaped(asASCII: true))") }
        for scalar in outside.unicodeScalars { #expect(!bytes.contains(byte(scalar)), "\(scalar.escaped(asASCII: true))") }
    }

    @Test(arguments: [
        #"[^@]{1,9}@corp\.example"#,          // negated
        #".{1,9}@corp\.example"#,             // any character
        #"[\p{L}.]{1,9}@corp\.example"#,      // a property
        #"[[:alpha:]]{1,9}@corp\.example"#,   // a POSIX class
        #"(a{1,2})\1@corp\.example"#,         // a backreference
        #"[\x41-Z]{1,9}@corp\.example"#,      // an escape this reading skips
    ])
    func leadBytesUnknown(_ pattern: String) {
        let analysis = LiteralAnalysis(pattern: pattern, extended: false)
        #expect(analysis.required == ["@corp.example"])
        #expect(analysis.leadBytes == nil)
    }

    /// Two-letter literals are not worth finding when every match also needs a digit.
    @Test func shortLiteralsGiveWayToDigits() {
        let iban = LiteralAnalysis(pattern: #"(?:DE|FR|IT)\d\d[A-Z0-9]{4}"#, extended: false)
        #expect(iban.required == ["de", "fr", "it"] && iban.digitOffset == 2)
        #expect(iban.findingLiterals == nil)
        let ticket = LiteralAnalysis(pattern: #"TICKET-\d{4}"#, extended: false)
        #expect(ticket.findingLiterals == ["ticket-"])
        let code = LiteralAnalysis(pattern: #"(?:DE|FR)[A-Z]{4}"#, extended: false)
        #expect(code.findingLiterals == ["de", "fr"])              // no digit to go by instead
    }

    @Test func commonSingleBytesAreNotLiterals() {
        #expect(LiteralAnalysis(pattern: #"\w+\.\w+"#, extended: false).required == nil)
        #expect(LiteralAnalysis(pattern: #"\d+-\d+"#, extended: false).required == nil)
    }

    /// Read with colons as digits: an IPv6 address needs no digit but a colon near its start;
    /// in the plain reading a colon is no digit.
    @Test(arguments: [
        (#"(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"#, nil as Int?, 4 * 4),   // hex of up to 4 bytes each
        (#"[0-9a-f]{1,4}::|\d{3}"#, nil, 4 * 4),
        (#"(?<![\w:])::1"#, 2, 0),                                            // a literal's first digit, or colon
        (#"ab:c"#, nil, 2),
        (#"[\d:]{2,}x"#, nil, 0),                                             // a class of digits and colons
        (#"[0-;]x"#, nil, nil),                                                // `;` is neither
        (#"a\:b|c"#, nil, nil),                                               // one branch has neither
    ] as [(String, Int?, Int?)])
    func colonsCountAsDigitsWhenAsked(_ pattern: String, _ digitOffset: Int?, _ colonOffset: Int?) {
        #expect(LiteralAnalysis(pattern: pattern, extended: false).digitOffset == digitOffset)
        #expect(LiteralAnalysis(pattern: pattern, extended: false, colonsAnchor: true).digitOffset == colonOffset)
    }

    /// A digit that can come after any number of bytes: near digits, but with no bound.
    @Test func aDigitAfterAnUnboundedPrefixHasNoOffset() {
        let analysis = LiteralAnalysis(pattern: #"\w*\d"#, extended: false)
        #expect(analysis.requiresDigit)
        #expect(analysis.digitOffset == nil)
    }

    /// Extended mode: white space and comments between an item and its quantifier are ignored.
    @Test func extendedPatternsQuantifyAcrossSpaceAndComments() {
        let spaced = LiteralAnalysis(pattern: "[A-Z]{2} \\d * [A-Z]", extended: true)
        #expect(!spaced.requiresDigit)
        #expect(spaced.maximumLength == nil)
        let commented = LiteralAnalysis(pattern: "ab\\d #c\n?cd", extended: true)
        #expect(commented.required == ["ab"] || commented.required == ["cd"])
        #expect(!commented.requiresDigit)
        let lazy = LiteralAnalysis(pattern: "ab \\d + ? cd", extended: true)
        #expect(lazy.requiresDigit)
        #expect(lazy.digitOffset == 2)
        #expect(lazy.maximumLength == nil)
    }

    @Test(arguments: [
        #"[2-6](?:[ -]?\d){12,18}"#,     // digits only
        #"(?:a|\d)x"#,                     // a branch without a literal of two bytes
        #"foo?"#,                          // exactly "fo" or "foo"
        #"(a+)\1"#,                        // backreference to an unbounded group: no bound
        #"(?|(a)|(bcd))\1"#,               // branch reset: groups not numbered in order
    ])
    func noUsableLiteral(_ pattern: String) {
        if pattern.contains("\\1") { #expect(LiteralAnalysis(pattern: pattern, extended: false).maximumLength == nil) }
        let required = LiteralAnalysis(pattern: pattern, extended: false).required
        if pattern == "foo?" { #expect(required == ["fo", "foo"]) } else { #expect(required == nil) }
    }
}
