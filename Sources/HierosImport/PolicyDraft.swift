import Yams

/// An allow entry of the policy being written (`{pattern, target}` or `{stopwords}`).
enum AllowDraft: Hashable {
    case pattern(String, target: String)
    case stopwords([String])
}

extension AllowDraft {
    /// True for a pattern searched in the whole match or its lines rather than the secret.
    var looksAtWholeMatch: Bool {
        if case .pattern(_, let target) = self { return target != "secret" }
        return false
    }
}

/// A rule of the policy being written, in the shape of the Hieros policy format.
struct RuleDraft {
    var sourceID: String
    var id: String
    var description: String
    var message: String
    var tags: [String]
    var pattern: String
    var group: Int?
    var entropy: Double?
    var keywords: [String]
    var allow: [AllowDraft]
}

/// A whole policy file; written with Yams so that quoting is always right.
struct PolicyDraft {
    var header: [String] = []
    /// Declared only to check pieces alone (a custom level must exist in the checking set).
    var levels: [String]?
    var level: String
    var allow: [AllowDraft] = []
    var rules: [RuleDraft] = []

    func yaml() throws(ImportError) -> String {
        var pairs: [(Node, Node)] = [(key("version"), Node.scalar(.init("1")))]
        if let levels { pairs.append((key("levels"), .sequence(.init(levels.map(string), .implicit, .flow)))) }
        if !allow.isEmpty { pairs.append((key("allow"), .sequence(.init(allow.map(node))))) }
        pairs.append((key("rules"), .sequence(.init(rules.map(node)))))
        let body: String
        do {
            body = try Yams.serialize(node: .mapping(.init(pairs)), width: -1, allowUnicode: true)
        } catch {
            throw .cannotWriteYAML("\(error)")
        }
        let comments = header.map { line in
            "#" + (line.isEmpty ? "" : " " + line.map { $0.isNewline ? " " : $0 }.reduce(into: "") { $0.append($1) })
        }
        return (comments.isEmpty ? "" : comments.joined(separator: "\n") + "\n") + body
    }

    private func node(_ rule: RuleDraft) -> Node {
        var pairs: [(Node, Node)] = [
            (key("id"), string(rule.id)),
            (key("level"), string(level)),
            (key("description"), string(rule.description)),
            (key("message"), string(rule.message)),
            (key("tags"), flowList(rule.tags)),
            (key("pattern"), quoted(rule.pattern)),
            (key("options"), .sequence(.init([], .implicit, .flow))),
        ]
        if let group = rule.group { pairs.append((key("group"), .scalar(.init(String(group))))) }
        if let entropy = rule.entropy {
            let validator = Node.mapping(.init([(key("entropy"), .scalar(.init(String(entropy))))], .implicit, .flow))
            pairs.append((key("validate"), .sequence(.init([validator], .implicit, .flow))))
        }
        if !rule.keywords.isEmpty { pairs.append((key("keywords"), flowList(rule.keywords))) }
        if !rule.allow.isEmpty { pairs.append((key("allow"), .sequence(.init(rule.allow.map(node))))) }
        return .mapping(.init(pairs))
    }

    private func node(_ allow: AllowDraft) -> Node {
        switch allow {
        case .pattern(let pattern, let target):
            return .mapping(.init([(key("pattern"), quoted(pattern)), (key("target"), string(target))], .implicit, .flow))
        case .stopwords(let words):
            // One word a line, as gitleaks writes them: the lists run to hundreds of words.
            return .mapping(.init([(key("stopwords"), .sequence(.init(words.map(string))))]))
        }
    }

    private func key(_ text: String) -> Node { .scalar(.init(text)) }

    /// A string that stays a string: Yams quotes it when it would read as a number, boolean…
    private func string(_ text: String) -> Node { .scalar(text.represented()) }

    /// Patterns are single-quoted (backslashes stay as written); libyaml switches to double
    /// quotes by itself when single quotes cannot hold the text.
    private func quoted(_ text: String) -> Node { .scalar(.init(text, .init(.str), .singleQuoted)) }

    private func flowList(_ items: [String]) -> Node { .sequence(.init(items.map(string), .implicit, .flow)) }
}
