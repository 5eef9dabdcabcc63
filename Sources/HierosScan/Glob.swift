// HierosScan turns paths, folders and git's index into classified documents: it walks trees
// (honouring .gitignore and globs, never looping on symlinks), extracts document text,
// classifies on every core with one session per worker, applies inline suppressions and
// baselines, and accounts for every file it was given, as a result or as an issue.

import HierosPCRE2

/// A gitignore-style glob compiled to PCRE2: `*` and `?` stay within a path segment, `**`
/// crosses segments, `[…]` is a character class. It keeps its matcher (the walk tests every
/// path against every glob), so it belongs to the one thread that walks.
final class Glob {
    let source: String
    private let matcher: Matcher

    /// Nil when the glob does not translate (an unterminated class, for instance).
    init?(_ glob: String, anchored: Bool) {
        source = glob
        var regex = anchored ? "^" : "(?:^|/)"
        let characters = Array(glob)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "*":
                if index + 1 < characters.count, characters[index + 1] == "*" {
                    let followedBySlash = index + 2 < characters.count && characters[index + 2] == "/"
                    regex += followedBySlash ? "(?:.*/)?" : ".*"
                    index += followedBySlash ? 3 : 2
                    continue
                }
                regex += "[^/]*"
            case "?":
                regex += "[^/]"
            case "[":
                guard let close = characters[(index + 1)...].firstIndex(of: "]") else { return nil }
                var body = String(characters[(index + 1)..<close])
                if body.hasPrefix("!") { body = "^" + body.dropFirst() }
                regex += "[" + body.replacingOccurrences(of: "\\", with: "\\\\") + "]"
                index = close + 1
                continue
            case "\\":
                if index + 1 < characters.count {
                    regex += Self.escape(characters[index + 1])
                    index += 2
                    continue
                }
            default:
                regex += Self.escape(character)
            }
            index += 1
        }
        regex += "(?:/.*)?$"  // a directory pattern also covers everything below it
        guard let compiled = try? Pattern(regex) else { return nil }
        matcher = Matcher(pattern: compiled, limits: .standard)
    }

    private static func escape(_ character: Character) -> String {
        "\\^$.|?*+()[]{}#/- ".contains(character) ? "\\" + String(character) : String(character)
    }

    /// Whether the slash-separated relative `path` matches.
    func matches(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        return bytes.withUnsafeBufferPointer { (try? matcher.firstMatch(in: $0, from: 0)) != nil } 
    }
}

/// The rules of one `.gitignore` file, applied to paths relative to its folder.
struct IgnoreFile {
    struct Rule {
        let glob: Glob
        let negated: Bool
        let directoryOnly: Bool
    }

    let rules: [Rule]

    init(contents: String) {
        var rules: [Rule] = []
        for rawLine in contents.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(rawLine)
            if line.hasSuffix("\r") { line.removeLast() }
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line.removeLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var negated = false
            if line.hasPrefix("!") { negated = true; line.removeFirst() }
            if line.hasPrefix("\\#") || line.hasPrefix("\\!") { line.removeFirst() }
            var directoryOnly = false
            if line.hasSuffix("/") { directoryOnly = true; line.removeLast() }
            let anchored = line.dropLast().contains("/")
            if line.hasPrefix("/") { line.removeFirst() }
            if let glob = Glob(line, anchored: anchored) {
                rules.append(Rule(glob: glob, negated: negated, directoryOnly: directoryOnly))
            }
        }
        self.rules = rules
    }

    /// True (ignored), false (re-included by a negation) or nil (no rule says anything).
    func verdict(for relativePath: String, isDirectory: Bool) -> Bool? {
        var result: Bool?
        for rule in rules where !rule.directoryOnly || isDirectory || rule.glob.matchesParentOf(relativePath) {
            if rule.glob.matches(relativePath) { result = !rule.negated }
        }
        return result
    }
}

extension Glob {
    /// Whether the glob names a folder that contains `path` (so a `dir/` rule covers its files).
    func matchesParentOf(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard parts.count > 1 else { return false }
        for end in 1..<parts.count where matchesExactly(parts[0..<end].joined(separator: "/")) { return true }
        return false
    }

    private func matchesExactly(_ path: String) -> Bool { matches(path) }
}
