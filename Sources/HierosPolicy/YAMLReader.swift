import Yams

/// Collects diagnostics for one file while it is read and compiled.
final class DiagnosticSink {
    let path: String
    private(set) var errors: [PolicyDiagnostic] = []
    private(set) var warnings: [PolicyDiagnostic] = []

    init(path: String) { self.path = path }

    func location(_ node: Node?) -> SourceLocation {
        let mark = node?.mark
        return SourceLocation(path: path, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    func error(_ node: Node?, rule: String? = nil, _ message: String) {
        errors.append(PolicyDiagnostic(location: location(node), ruleID: rule, message: message))
    }

    func error(at location: SourceLocation, rule: String?, _ message: String) {
        errors.append(PolicyDiagnostic(location: location, ruleID: rule, message: message))
    }

    func warning(_ node: Node?, rule: String? = nil, _ message: String) {
        warnings.append(PolicyDiagnostic(location: location(node), ruleID: rule, message: message))
    }
}

/// Reads one YAML mapping strictly: unknown keys and wrongly typed values are errors.
struct MappingReader {
    let node: Node
    let sink: DiagnosticSink
    let rule: String?
    private var entries: [String: (key: Node, value: Node)] = [:]

    /// Nil (after reporting) when `node` is not a mapping.
    init?(_ node: Node, allowed: [String], sink: DiagnosticSink, rule: String?, what: String) {
        self.node = node
        self.sink = sink
        self.rule = rule
        guard case .mapping(let mapping) = node else {
            sink.error(node, rule: rule, "\(what) must be a mapping")
            return nil
        }
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                sink.error(key, rule: rule, "\(what) has a key that is not a string")
                continue
            }
            if entries[name] != nil {
                sink.error(key, rule: rule, "duplicate key '\(name)' in \(what)")
            } else if !allowed.contains(name) {
                let hint = closest(to: name, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
                sink.error(key, rule: rule, "unknown key '\(name)' in \(what)\(hint)")
            }
            entries[name] = (key, value)
        }
    }

    func has(_ key: String) -> Bool { entries[key] != nil }
    func value(_ key: String) -> Node? { entries[key]?.value }
    func keyNode(_ key: String) -> Node? { entries[key]?.key }

    func required(_ key: String, what: String) -> Node? {
        if let value = value(key) { return value }
        sink.error(node, rule: rule, "\(what) is missing required key '\(key)'")
        return nil
    }

    func string(_ key: String) -> String? {
        guard let value = value(key) else { return nil }
        return scalarString(value, what: "'\(key)'")
    }

    func scalarString(_ value: Node, what: String) -> String? {
        guard case .scalar(let scalar) = value else {
            sink.error(value, rule: rule, "\(what) must be a string")
            return nil
        }
        return scalar.string
    }

    func int(_ key: String, minimum: Int = 0) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .scalar(let scalar) = value, let number = Int(scalar.string) else {
            sink.error(value, rule: rule, "'\(key)' must be a whole number")
            return nil
        }
        guard number >= minimum else {
            sink.error(value, rule: rule, "'\(key)' must be at least \(minimum)")
            return nil
        }
        return number
    }

    func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        switch value.scalar?.string {
        case "true": return true
        case "false": return false
        default:
            sink.error(value, rule: rule, "'\(key)' must be true or false")
            return nil
        }
    }

    /// A list of strings; a single string is not accepted, to keep files unambiguous.
    func stringList(_ key: String) -> [(String, Node)]? {
        guard let value = value(key) else { return nil }
        guard case .sequence(let sequence) = value else {
            sink.error(value, rule: rule, "'\(key)' must be a list")
            return nil
        }
        return sequence.compactMap { item in scalarString(item, what: "each item of '\(key)'").map { ($0, item) } }
    }
}

/// The allowed key nearest to a misspelt one, when it is near enough to be a likely typo.
func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
    guard let (candidate, distance) = scored, distance <= max(1, word.count / 3) else { return nil }
    return candidate
}

private func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs), b = Array(rhs)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
