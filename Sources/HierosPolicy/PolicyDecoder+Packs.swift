import Yams

extension PolicyDecoder {
    func decodeInclude(_ node: Node) -> RawInclude? {
        let keys = ["pack", "disable", "levels", "allow"]
        guard let map = MappingReader(node, allowed: keys, sink: sink, rule: nil, what: "an include"),
              map.required("pack", what: "an include") != nil, let pack = map.string("pack") else { return nil }
        var levels: [(rule: String, level: String, node: Node)] = []
        if let node = map.value("levels") {
            if case .mapping(let mapping) = node {
                for (key, value) in mapping {
                    guard let rule = key.scalar?.string, let level = value.scalar?.string else {
                        sink.error(key, "'levels' maps rule ids to level names")
                        continue
                    }
                    levels.append((rule, level, key))
                }
            } else {
                sink.error(node, "'levels' must be a mapping from rule ids to levels")
            }
        }
        let allow = map.value("allow").map { sequence($0, what: "'allow'").compactMap { decodeAllow($0, rule: nil, inInclude: true) } } ?? []
        return RawInclude(pack: pack, disable: map.stringList("disable") ?? [], levels: levels, allow: allow, node: node)
    }

    func decodeAllow(_ node: Node, rule: String?, inInclude: Bool = false) -> RawAllow? {
        let keys = ["pattern", "stopwords", "target"] + (inInclude ? ["rules"] : [])
        guard let map = MappingReader(node, allowed: keys, sink: sink, rule: rule, what: "an allow entry") else { return nil }
        var allow = RawAllow(node: node)
        if let value = map.value("pattern"), let text = map.string("pattern") { allow.pattern = (text, value) }
        allow.stopwords = map.stringList("stopwords")
        if let value = map.value("target"), let text = map.string("target") { allow.target = (text, value) }
        allow.rules = map.stringList("rules")
        guard (allow.pattern == nil) != (allow.stopwords == nil) else {
            sink.error(node, rule: rule, "an allow entry needs exactly one of 'pattern' or 'stopwords'")
            return nil
        }
        return allow
    }
}
