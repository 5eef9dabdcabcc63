/// Warns about pattern shapes that make PCRE2 backtrack badly: a repeated group whose every
/// item is itself variable (`(a+)+`, `(\w+\s?)*`), and two long variable runs over the same
/// characters one after the other (`[\w.-]{0,50}?(?i:[\w.-]{0,50}?…)`, which tries 50 × 50
/// splits at every start position). It reads the pattern source only; it is a heuristic that
/// points policy authors at the places to look, and the match limit still guards run time.
enum BacktrackingLint {
    /// A quantified atom: its source text and repetition bounds.
    private struct Item {
        var atom: String
        var offset: Int
        var minimum: Int
        var maximum: Int?  // nil: unbounded
        var isLong: Bool { maximum.map { $0 >= 10 } ?? true }
    }

    private struct Group {
        var offset: Int
        var allVariable = true
        var hasItems = false
    }

    static func warnings(for source: String) -> [String] {
        let characters = Array(source)
        var warnings: [String] = []
        var groups = [Group(offset: 0)]
        var previous: Item?
        var index = 0

        func quantifier(at position: Int) -> (minimum: Int, maximum: Int?, end: Int, possessive: Bool)? {
            guard position < characters.count else { return nil }
            var bounds: (Int, Int?)
            var end = position + 1
            switch characters[position] {
            case "*": bounds = (0, nil)
            case "+": bounds = (1, nil)
            case "?": bounds = (0, 1)
            case "{":
                guard let close = characters[position...].firstIndex(of: "}") else { return nil }
                let parts = String(characters[(position + 1)..<close]).split(separator: ",", omittingEmptySubsequences: false)
                guard let low = Int(parts.first ?? "") else { return nil }
                if parts.count == 1 { bounds = (low, low) } else { bounds = (low, parts[1].isEmpty ? nil : Int(parts[1])) }
                end = close + 1
            default: return nil
            }
            var possessive = false
            if end < characters.count, characters[end] == "+" { possessive = true; end += 1 }
            else if end < characters.count, characters[end] == "?" { end += 1 }
            return (bounds.0, bounds.1, end, possessive)
        }

        func record(_ atom: String, at start: Int, next: Int) -> Int {
            guard let q = quantifier(at: next) else {
                // A fixed atom separates what comes before from what comes after.
                groups[groups.count - 1].allVariable = false
                groups[groups.count - 1].hasItems = true
                previous = nil
                return next
            }
            let item = Item(atom: String(characters[start..<q.end]), offset: start, minimum: q.minimum, maximum: q.maximum)
            groups[groups.count - 1].hasItems = true
            // A mandatory item of fixed length (`x`, `[A-Z]{4}`) anchors each repetition.
            if q.minimum > 0 && q.maximum == q.minimum { groups[groups.count - 1].allVariable = false }
            if !q.possessive, item.isLong, let before = previous, before.isLong, overlaps(before.atom, item.atom) {
                warnings.append("pattern may backtrack badly: '\(before.atom)' at offset \(before.offset) and '\(item.atom)' at offset \(start) repeat over the same characters one after the other; bound one of them, drop the redundant one, or make it possessive")
            }
            previous = q.possessive ? nil : item
            return q.end
        }

        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\\":
                var end = min(index + 2, characters.count)
                if end < characters.count, characters[end] == "{", ["x", "p", "P", "o", "g", "k"].contains(characters[index + 1]) {
                    end = (characters[end...].firstIndex(of: "}") ?? characters.count - 1) + 1
                }
                if index + 1 < characters.count, characters[index + 1] == "Q" {
                    end = characters.count
                    if let stop = String(characters[index...]).range(of: "\\E") {
                        end = index + String(characters[index...]).distance(from: String(characters[index...]).startIndex, to: stop.upperBound)
                    }
                }
                index = record(String(characters[index..<end]), at: index, next: end)
            case "[":
                var end = index + 1
                if end < characters.count, characters[end] == "^" { end += 1 }
                if end < characters.count, characters[end] == "]" { end += 1 }
                while end < characters.count, characters[end] != "]" {
                    if characters[end] == "\\" { end += 1 }
                    else if characters[end] == "[", end + 1 < characters.count, characters[end + 1] == ":",
                            let close = String(characters[(end + 2)...]).range(of: ":]") {
                        end += 2 + String(characters[(end + 2)...]).distance(from: String(characters[(end + 2)...]).startIndex, to: close.upperBound) - 1
                    }
                    end += 1
                }
                end = min(end + 1, characters.count)
                index = record(String(characters[index..<end]), at: index, next: end)
            case "(":
                groups.append(Group(offset: index))
                var end = index + 1
                if end < characters.count, characters[end] == "?" {
                    // Skip the group's flags or name: (?:  (?i:  (?<name>  (?=  …
                    while end < characters.count, !":)>=!'".contains(characters[end]) { end += 1 }
                    if end < characters.count, characters[end] == ")" {
                        groups.removeLast()  // an inline option setting such as (?i)
                    }
                    end += 1
                }
                index = end
            case ")":
                guard groups.count > 1 else { index += 1; continue }
                let group = groups.removeLast()
                let atom = String(characters[group.offset...index])
                if let q = quantifier(at: index + 1), !q.possessive, (q.maximum ?? 2) > 1, group.hasItems, group.allVariable {
                    warnings.append("pattern may backtrack badly: the repeated group '\(atom)' at offset \(group.offset) contains only variable-length items (nested quantifiers); make the inner items possessive or atomic, or anchor each repetition on a fixed character")
                }
                if let q = quantifier(at: index + 1) {
                    groups[groups.count - 1].hasItems = true
                    if q.minimum > 0 && q.maximum == q.minimum && !group.allVariable { groups[groups.count - 1].allVariable = false }
                    index = q.end
                } else {
                    index += 1
                }
            case "|":
                previous = nil
                index += 1
            default:
                index = record(String(character), at: index, next: index + 1)
            }
        }
        return warnings
    }

    /// Whether two quantified atoms can match the same characters (conservatively: the same
    /// class whatever its bounds, or `.`/`\S` on either side).
    private static func overlaps(_ first: String, _ second: String) -> Bool {
        let a = atomOnly(first), b = atomOnly(second)
        return a == b || [a, b].contains(".") || [a, b].contains("\\S")
    }

    private static func atomOnly(_ quantified: String) -> String {
        var text = quantified
        while let last = text.last, "*+?}0123456789,{".contains(last), text.count > 1 {
            if last == "}" { text = String(text[..<(text.lastIndex(of: "{") ?? text.endIndex)]); continue }
            text.removeLast()
        }
        return text
    }
}
