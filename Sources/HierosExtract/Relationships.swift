/// The relationships of an Office Open XML part (its `_rels/NAME.rels`): how a workbook finds its
/// sheets and a slide its notes.
struct Relationships {
    /// One relationship; `target` is resolved to a path inside the container.
    struct Relationship {
        let id: String
        let type: String
        let target: String
    }

    /// The relationships, in file order.
    let all: [Relationship]

    /// The relationship with the given id.
    func target(id: String) -> Relationship? { all.first { $0.id == id } }

    /// The first relationship whose type ends with `/suffix` (types are URIs that differ between the
    /// transitional and strict flavours of the format, but not in their last segment).
    func first(typeSuffix suffix: String) -> Relationship? { all.first { $0.type.hasSuffix("/" + suffix) } }

    /// The relationships of `part` in `container`; none when it has no relationships part.
    static func of(_ part: String, in container: ZipContainer, context: ExtractionContext) throws -> Relationships {
        let folder = directory(of: part)
        let name = part.split(separator: "/").last.map(String.init) ?? part
        let path = (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
        guard let bytes = try container.read(path, context: context) else { return Relationships(all: []) }
        var all: [Relationship] = []
        try XMLScanner(part: path, bytes: bytes).scan { event in
            guard case .start("Relationship", let attributes) = event else { return }
            func value(_ key: String) -> String? { attributes.first { $0.name == key }?.value }
            guard let id = value("Id"), let type = value("Type"), let target = value("Target"),
                  value("TargetMode") != "External" else { return }
            all.append(Relationship(id: id, type: type, target: resolve(target, from: folder)))
        }
        return Relationships(all: all)
    }

    /// The folder of a part path ("ppt/slides/slide1.xml" → "ppt/slides").
    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[..<slash])
    }

    /// `target` as a container path: absolute targets start at the root, relative ones at `folder`.
    static func resolve(_ target: String, from folder: String) -> String {
        var components: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return components.joined(separator: "/")
    }
}
