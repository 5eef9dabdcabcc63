import TOMLKit

/// A gitleaks configuration as written (`config/gitleaks.toml` format, v8), decoded into plain
/// values. Keys are matched case-insensitively, as gitleaks (viper) does; keys it does not
/// know and values of the wrong type become notes.
struct GitleaksConfig {
    struct Extend {
        var path: String?
        var url: String?
        var useDefault = false
        var disabledRules: [String] = []
    }

    var extend: Extend?
    var rules: [GitleaksRule] = []
    /// `[allowlist]` and `[[allowlists]]`: apply to every rule, or to `targetRules`.
    var allowlists: [GitleaksAllowlist] = []
}

struct GitleaksRule {
    /// The rule's id, or `rules[N]` when it has none (for notes).
    var id: String
    var hasID: Bool
    var description: String?
    var regex: String?
    var secretGroup: Int?
    var entropy: Double?
    var path: String?
    var keywords: [String] = []
    var tags: [String] = []
    var allowlists: [GitleaksAllowlist] = []
    /// Ids of the rules a composite rule requires nearby (`[[rules.required]]`).
    var required: [String] = []
    var skipReport = false
}

struct GitleaksAllowlist {
    /// Where it was written, for notes: `allowlist`, `allowlists[2]`.
    var label: String
    var condition: String?
    var commits: [String] = []
    var paths: [String] = []
    var regexTarget: String?
    var regexes: [String] = []
    var stopwords: [String] = []
    var targetRules: [String]?
}

/// Decodes TOML text into a `GitleaksConfig`, collecting notes about what it ignores.
struct GitleaksConfigDecoder {
    private(set) var notes: [ImportNote] = []

    static let fileKeys = ["title", "description", "minversion", "extend", "rules", "allowlist", "allowlists"]
    static let ruleKeys = ["id", "description", "regex", "secretgroup", "entropy", "path", "keywords", "tags",
                           "allowlist", "allowlists", "required", "skipreport"]
    static let allowlistKeys = ["description", "condition", "commits", "paths", "regextarget", "regexes", "stopwords"]
    static let extendKeys = ["path", "url", "usedefault", "disabledrules"]

    mutating func decode(_ text: String, path: String) throws(ImportError) -> GitleaksConfig {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .invalidTOML(path: path, line: error.source.begin.line, column: error.source.begin.column,
                               message: error.description)
        } catch {
            throw .invalidTOML(path: path, line: 1, column: 1, message: "\(error)")
        }
        var file = Table(root, rule: nil, prefix: "", keys: Self.fileKeys)
        var config = GitleaksConfig()
        if let extend = file.table("extend") {
            var table = Table(extend, rule: nil, prefix: "extend.", keys: Self.extendKeys)
            config.extend = GitleaksConfig.Extend(
                path: table.string("path"), url: table.string("url"), useDefault: table.bool("usedefault") ?? false,
                disabledRules: table.strings("disabledrules"))
            notes += table.notes
        }
        if let legacy = file.table("allowlist") {
            config.allowlists.append(decodeAllowlist(legacy, rule: nil, label: "allowlist", global: true))
        }
        for (index, table) in file.tables("allowlists").enumerated() {
            config.allowlists.append(decodeAllowlist(table, rule: nil, label: "allowlists[\(index + 1)]", global: true))
        }
        for (index, table) in file.tables("rules").enumerated() {
            config.rules.append(decodeRule(table, index: index))
        }
        notes = file.notes + notes
        return config
    }

    private mutating func decodeRule(_ table: TOMLTable, index: Int) -> GitleaksRule {
        let id = table["id"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        var reader = Table(table, rule: id ?? "rules[\(index + 1)]", prefix: "", keys: Self.ruleKeys)
        var rule = GitleaksRule(id: id ?? "rules[\(index + 1)]", hasID: id != nil)
        _ = reader.string("id")
        rule.description = reader.string("description")
        rule.regex = reader.string("regex")
        rule.secretGroup = reader.int("secretgroup")
        rule.entropy = reader.double("entropy")
        rule.path = reader.string("path")
        rule.keywords = reader.strings("keywords")
        rule.tags = reader.strings("tags")
        rule.skipReport = reader.bool("skipreport") ?? false
        if let legacy = reader.table("allowlist") {
            rule.allowlists.append(decodeAllowlist(legacy, rule: rule.id, label: "allowlist", global: false))
        }
        for (position, allowlist) in reader.tables("allowlists").enumerated() {
            rule.allowlists.append(decodeAllowlist(allowlist, rule: rule.id, label: "allowlists[\(position + 1)]", global: false))
        }
        for (position, required) in reader.tables("required").enumerated() {
            rule.required.append(required["id"]?.string ?? "required[\(position + 1)]")
        }
        notes += reader.notes
        return rule
    }

    private mutating func decodeAllowlist(_ table: TOMLTable, rule: String?, label: String, global: Bool) -> GitleaksAllowlist {
        var reader = Table(table, rule: rule, prefix: label + ".", keys: Self.allowlistKeys + (global ? ["targetrules"] : []))
        _ = reader.string("description")
        var allowlist = GitleaksAllowlist(label: label)
        allowlist.condition = reader.string("condition")
        allowlist.commits = reader.strings("commits")
        allowlist.paths = reader.strings("paths")
        allowlist.regexTarget = reader.string("regextarget")
        allowlist.regexes = reader.strings("regexes")
        allowlist.stopwords = reader.strings("stopwords")
        if global, reader.has("targetrules") { allowlist.targetRules = reader.strings("targetrules") }
        notes += reader.notes
        return allowlist
    }
}

/// Typed, case-insensitive reads from one TOML table; unknown keys and wrong types become notes.
private struct Table {
    let table: TOMLTable
    let rule: String?
    let prefix: String
    private var byKey: [String: String] = [:]
    private(set) var notes: [ImportNote] = []

    init(_ table: TOMLTable, rule: String?, prefix: String, keys: [String]) {
        self.table = table
        self.rule = rule
        self.prefix = prefix
        for key in table.keys {
            let folded = key.lowercased()
            if keys.contains(folded) {
                byKey[folded] = key
            } else {
                notes.append(ImportNote(rule: rule, field: prefix + key, reason: "not a gitleaks setting; ignored"))
            }
        }
    }

    func has(_ key: String) -> Bool { byKey[key] != nil }

    private func value(_ key: String) -> TOMLValueConvertible? {
        byKey[key].flatMap { table[$0] }
    }

    private mutating func wrongType(_ key: String, _ expected: String) {
        notes.append(ImportNote(rule: rule, field: prefix + (byKey[key] ?? key), reason: "must be \(expected); ignored"))
    }

    mutating func string(_ key: String) -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.string else {
            wrongType(key, "a string")
            return nil
        }
        return string
    }

    mutating func int(_ key: String) -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.int else {
            wrongType(key, "an integer")
            return nil
        }
        return int
    }

    mutating func double(_ key: String) -> Double? {
        guard let value = value(key) else { return nil }
        guard let number = value.double ?? value.int.map(Double.init) else {
            wrongType(key, "a number")
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool else {
            wrongType(key, "true or false")
            return nil
        }
        return bool
    }

    mutating func strings(_ key: String) -> [String] {
        guard let value = value(key) else { return [] }
        let strings = value.array?.compactMap(\.string)
        guard let strings, strings.count == value.array?.count else {
            wrongType(key, "a list of strings")
            return []
        }
        return strings
    }

    mutating func table(_ key: String) -> TOMLTable? {
        guard let value = value(key) else { return nil }
        guard let table = value.table else {
            wrongType(key, "a table")
            return nil
        }
        return table
    }

    mutating func tables(_ key: String) -> [TOMLTable] {
        guard let value = value(key) else { return [] }
        if let table = value.table { return [table] }
        let tables = value.array?.compactMap(\.table)
        guard let tables, tables.count == value.array?.count else {
            wrongType(key, "an array of tables")
            return []
        }
        return tables
    }
}
