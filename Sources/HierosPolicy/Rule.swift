import HierosPCRE2

/// A pattern of the policy set with the limits it runs under. Patterns are numbered in the
/// set so that each thread can keep one `Matcher` per pattern.
public struct CompiledPattern: Sendable {
    /// The compiled PCRE2 pattern (shared, immutable).
    public let pattern: Pattern
    /// The limits of the rule that owns the pattern.
    public let limits: MatchLimits
    /// The rule that owns the pattern.
    public let ruleID: String
}

/// A check-digit or format algorithm a validator can run (names as written in policies).
public enum Checksum: String, Hashable, Sendable, CaseIterable {
    /// Luhn over the digits (payment cards, standard D.2).
    case luhn
    /// ISO 13616 mod-97, retrying grouped candidates without trailing groups (standard I10).
    case iban
    /// ISO 13616 mod-97 on the whole candidate (spaces and hyphens ignored), without the
    /// trailing-group retry of `iban`: for patterns that already encode each country's length.
    case ibanExact = "iban-exact"
    /// UK NHS number: 10 digits, weighted mod 11 (a remainder giving 10 is never issued).
    case ukNHS = "uk-nhs"
    /// Spanish DNI/NIF or NIE (`X`/`Y`/`Z` + 7 digits): the control letter is the number mod 23.
    case esNIF = "es-nif"
    /// Italian codice fiscale: 16 characters (with omocodia letters), odd/even tables mod 26.
    case itFiscalCode = "it-fiscal-code"
    /// Polish PESEL: a valid encoded birth date and weights 1-3-7-9 mod 10.
    case plPESEL = "pl-pesel"
    /// Swedish personnummer or samordningsnummer: a valid date and Luhn over the last 10 digits.
    case sePersonnummer = "se-personnummer"
    /// French NIR (social security number): 13 characters and a key of 97 - (number mod 97).
    case frNIR = "fr-nir"
    /// Finnish henkilötunnus: a valid date, century sign, and the mod 31 control character.
    case fiHETU = "fi-hetu"
    /// German Steuer-IdNr: digit-frequency rule of the first ten digits and ISO 7064 MOD 11,10.
    case deTaxID = "de-tax-id"
    /// Turkish T.C. Kimlik No: first digit not 0 and its two check digits.
    case trTCKN = "tr-tckn"
}

/// A check applied to a match before it counts.
public enum Validator: Hashable, Sendable, CustomStringConvertible {
    /// A check-digit or format algorithm.
    case checksum(Checksum)
    /// Shannon entropy of the text is at least this many bits per character.
    case entropy(Double)

    public var description: String {
        switch self {
        case .checksum(let kind): return kind.rawValue
        case .entropy(let minimum): return "entropy>=\(minimum)"
        }
    }
}

/// Where a pattern can match: every match holds one of `literals` (lowercased) starting at
/// most `lead` bytes after the match's own start, so the pattern need only be tried that far
/// before each occurrence of one (0 for terms: a match starts with its first word).
public struct MatchWindow: Sendable, Hashable {
    public let literals: [String]
    /// `unboundedLead` when nothing bounds it but `leadBytes`, which then must be known.
    public let lead: Int
    public static let unboundedLead = Int.max
    /// Every match starts a word, with a literal (`lead` is 0): true for term lists, whose
    /// pattern opens with a lookbehind that refuses a letter or digit before the first word.
    /// Then an occurrence glued to an ASCII letter or digit (`le` in `table`, `plan` in
    /// `deplaning`) cannot start a match.
    public let startsWord: Bool
    /// Literals (lowercased) one of which starts every match, when `literals` can lie far into
    /// it (empty: none known): the pattern is then tried only where one of these occurs within
    /// `lead` bytes before an occurrence of `literals`, not at every byte before it.
    public let openers: [String]
    /// Every byte a match can hold before its literal, when known and narrow (no space or line
    /// feed): the
    /// pattern need then be tried only as far back before an occurrence as such bytes run.
    public let leadBytes: ByteSet?
    /// For a term list, by literal (a first word's stem), what must follow an occurrence of it
    /// for a term to match there (nil: nothing known); empty for a pattern.
    public let nextWords: [NextWord?]
    /// What every match holds just before its literal, when known (a prefix word and the
    /// separators after it): then `openers` are not needed.
    public let closer: LeadCloser?

    public init(literals: [String], lead: Int, startsWord: Bool = false, openers: [String] = [], leadBytes: ByteSet? = nil,
                nextWords: [NextWord?] = [], closer: LeadCloser? = nil) {
        precondition(nextWords.isEmpty || nextWords.count == literals.count, "one next word per literal")
        self.literals = literals
        self.lead = lead
        self.startsWord = startsWord && lead == 0
        self.openers = lead == 0 ? [] : openers
        self.leadBytes = lead == 0 ? nil : leadBytes
        self.nextWords = lead == 0 ? nextWords : []
        self.closer = lead == 0 ? nil : closer
    }
}

/// Just before the literal of every match: a run of `gap` bytes (one to `gapMaximum`), right
/// after one of `closers`, whose last bytes are not `gap` bytes; the match starts at most
/// `reach` bytes before that run. So the run before an occurrence is its longest run of `gap`
/// bytes, and a closer must end where it begins: a codename's prefix form (`project`, `team`
/// and `code name` before separators and `kestrel`) is tried only where one of its prefix
/// words ends just before the separators before a codename, and those words, among the most
/// frequent of corporate prose, need not be found everywhere.
public struct LeadCloser: Sendable, Hashable {
    /// Lowercased ASCII.
    public let closers: [String]
    public let gap: ByteSet
    public let gapMaximum: Int
    public let reach: Int

    public init(closers: [String], gap: ByteSet, gapMaximum: Int, reach: Int) {
        self.closers = closers
        self.gap = gap
        self.gapMaximum = gapMaximum
        self.reach = reach
    }
}

/// The longest a match can be, in bytes: `fixed` plus, for each of `separatorRuns` runs of
/// whitespace, `_` or `-` (a term's word separator, unbounded), the longest such run in the
/// text. After normalisation all whitespace is ASCII, so the runs are runs of bytes.
public struct LengthBound: Sendable, Hashable {
    public let fixed: Int
    public let separatorRuns: Int

    public init(fixed: Int, separatorRuns: Int) {
        self.fixed = fixed
        self.separatorRuns = separatorRuns
    }

    /// The bound in a text whose longest separator run is `longestRun` bytes.
    public func bytes(longestRun: Int) -> Int { fixed + separatorRuns * longestRun }

    /// Whether `byte` belongs to a separator run.
    @inline(__always)
    public static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || byte == 0x5F || byte == 0x2D
    }
}

/// How a match is found: a pattern, the group it reports, validators and evidence.
public struct MatchSpec: Sendable {
    /// Index into `PolicySet.patterns`.
    public let patternID: Int
    /// The capture group reported as the match (0: the whole match).
    public let group: Int
    /// Checks a match must pass.
    public let validators: [Validator]
    /// Conditions on nearby text; all must hold.
    public let evidence: [EvidenceClause]
    /// What the author wrote (`pattern` text or the terms), for explanations.
    public let summary: String
    /// When set, the pattern runs only in windows around these literals.
    public let window: MatchWindow?
    /// When set, every match holds an ASCII digit at most this many bytes after its start, so
    /// the pattern need only be tried this far before a run of digits (and, with `window`,
    /// only where both allow).
    public let digitWindow: Int?
    /// When set (only for a pattern with neither of the windows above), every match holds an
    /// ASCII digit or a `:` at most this many bytes after its start: the pattern need only be
    /// tried this far before a run of them.
    public let digitOrColonWindow: Int?
    /// When known, the longest a match can be (evidence near a match is then looked for near
    /// it only, not over the whole item).
    public let lengthBound: LengthBound?
}

/// Supporting (`require`) or excluding (`unless`) evidence within a window of words.
public struct EvidenceClause: Sendable {
    public enum Kind: String, Sendable { case require, unless }
    public enum Side: String, Sendable, CaseIterable { case before, after, either }

    public let kind: Kind
    /// At most this many words strictly between the match and the evidence.
    public let within: Int
    public let side: Side
    public let matcher: MatchSpec
}

/// Texts a rule must fire on and must not fire on; run by `hieros policy test`.
public struct RuleExamples: Hashable, Sendable {
    public let match: [String]
    public let noMatch: [String]
}

/// Where something was written in a policy file.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }
}

/// Drops a rule's match that is a known false positive (a test fixture, an example domain).
public enum AllowRule: Sendable {
    /// What an allow pattern is searched in.
    public enum Target: String, Sendable, CaseIterable {
        /// The reported text (the rule's `group`, e.g. the secret of `key = secret`).
        case secret
        /// The whole match.
        case match
        /// The line(s) holding the match.
        case line
    }

    /// The match is dropped when the pattern (an index into `PolicySet.patterns`) occurs in the target.
    case pattern(patternID: Int, target: Target)
    /// The match is dropped when its reported text contains one of these (lowercased) words.
    case stopwords([String])
}

/// One classification rule.
public struct Rule: Sendable, Identifiable {
    /// Unique, lowercase, dotted kebab-case id, e.g. `codename.prefix-form`.
    public let id: String
    /// The level an item reaches when the rule fires.
    public let level: Level
    /// What the rule encodes.
    public let description: String
    /// What the author should do about a finding.
    public let message: String
    /// References such as the standard's rule ids.
    public let tags: [String]
    /// The main match.
    public let spec: MatchSpec
    /// Lowercased, normalised literals; the rule runs only when one occurs. Empty: always runs.
    /// Declared in the policy, or derived from the terms or the pattern.
    public let keywords: [String]
    /// Minimum number of distinct matches for the rule to fire (1: any match).
    public let minDistinct: Int
    /// The rule's own examples.
    public let examples: RuleExamples
    /// Known false positives to drop.
    public let allow: [AllowRule]
    /// The pack the rule comes from, when it was included from one.
    public let pack: String?
    /// Where the rule is defined.
    public let location: SourceLocation
}

extension Rule {
    /// How much of an item the rule's pattern has to be tried on, cheapest first.
    public enum Reach: String, Sendable, CaseIterable {
        /// Only in windows around literals every match holds, when its keywords occur.
        case nearLiterals = "near its literals"
        /// Only where a match can hold a digit (or a colon, for a pattern with nothing else to
        /// find it by), on every item.
        case nearDigits = "near digits"
        /// The whole item, when one of its keywords occurs.
        case wholeItemOnKeyword = "the whole item when a keyword occurs"
        /// The whole of every item.
        case everyItem = "the whole of every item"
    }

    /// How much of an item the rule's main pattern is tried on (see `policy validate`).
    public var reach: Reach {
        if spec.window != nil { return .nearLiterals }
        if spec.digitWindow != nil || spec.digitOrColonWindow != nil { return .nearDigits }
        return keywords.isEmpty ? .everyItem : .wholeItemOnKeyword
    }
}
