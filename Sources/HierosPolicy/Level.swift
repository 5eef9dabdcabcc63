// HierosPolicy reads policy files into plain data, then validates and compiles them into an
// immutable, Sendable `PolicySet`. Every problem becomes a `PolicyDiagnostic` that points into
// the file (`path:line:col: rule-id: message`); nothing here prints, exits or crashes on input.

/// A classification level. Levels compare by their rank in the policy set's ordered scale.
public struct Level: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The machine label, e.g. `strategic-secret`.
    public let name: String
    /// Position in the scale, 0 for the lowest level.
    public let rank: Int

    public init(name: String, rank: Int) {
        self.name = name
        self.rank = rank
    }

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    public var description: String { name }
}

/// The ordered levels of a policy set, lowest first.
public struct LevelScale: Hashable, Sendable {
    /// All levels, lowest first.
    public let levels: [Level]

    /// The scale used when a policy set declares none: `public < internal < strategic-secret`.
    public static let standard = LevelScale(names: ["public", "internal", "strategic-secret"])

    public init(names: [String]) {
        levels = names.enumerated().map { Level(name: $1, rank: $0) }
    }

    /// The lowest level: what an item with no finding is.
    public var lowest: Level { levels[0] }
    /// The highest level.
    public var highest: Level { levels[levels.count - 1] }

    /// The level called `name`, if the scale has one.
    public func level(named name: String) -> Level? {
        levels.first { $0.name == name }
    }
}

/// A publication channel and the highest level it may carry (standard section 9).
public struct Channel: Hashable, Sendable {
    /// The canonical id, e.g. `x`.
    public let id: String
    /// Other names for the same channel, e.g. `twitter`.
    public let aliases: [String]
    /// The highest level the channel may carry.
    public let maxLevel: Level
    /// What the channel is.
    public let description: String

    public init(id: String, aliases: [String], maxLevel: Level, description: String) {
        self.id = id
        self.aliases = aliases
        self.maxLevel = maxLevel
        self.description = description
    }
}

/// The channel a requested name resolved to. Unknown names resolve to the most restrictive
/// channel of the set (standard G2: fail closed).
public struct ChannelResolution: Hashable, Sendable {
    /// The name the caller asked for.
    public let requested: String
    /// The channel the gate applies: the named one, or the most restrictive one.
    public let channel: Channel
    /// False when `requested` named no channel and the most restrictive one was used.
    public let isKnown: Bool
}
