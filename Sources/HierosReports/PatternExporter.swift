import HierosPCRE2
import HierosPolicy

/// `hieros policy export --patterns`: each rule's main pattern as one line of PCRE2, with
/// its options inlined (`(?i)`, `(*UCP)`…), so that `pcre2grep -f`, `rg -P -f` and
/// `rg -f` can run the same patterns on the same corpus for comparison. Evidence, counts,
/// validators and normalisation are Hieros's own and are not part of the export.
public enum PatternExporter {
    public static func lines(for policy: PolicySet) -> [String] {
        policy.rules.map { line(for: policy.patterns[$0.spec.patternID].pattern) }
    }

    static func line(for pattern: Pattern) -> String {
        var prefix = ""
        if pattern.options.contains(.ucp) { prefix += "(*UCP)" }
        var flags = ""
        if pattern.options.contains(.caseless) { flags += "i" }
        if pattern.options.contains(.multiline) { flags += "m" }
        if pattern.options.contains(.dotall) { flags += "s" }
        var source = pattern.source
        if pattern.options.contains(.extended) { source = flattenExtended(source) }
        return prefix + (flags.isEmpty ? "" : "(?\(flags))") + source
    }

    /// An extended-mode pattern on one line: comments dropped, unescaped whitespace outside
    /// character classes dropped (it is insignificant in extended mode).
    static func flattenExtended(_ source: String) -> String {
        var output = ""
        var inClass = false
        var escaped = false
        var inComment = false
        for character in source {
            if inComment {
                if character == "\n" { inComment = false }
                continue
            }
            if escaped {
                output.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true; output.append(character)
            case "[": inClass = true; output.append(character)
            case "]": inClass = false; output.append(character)
            case "#" where !inClass: inComment = true
            default:
                if character.isWhitespace && !inClass { continue }
                output.append(character)
            }
        }
        return output
    }
}
