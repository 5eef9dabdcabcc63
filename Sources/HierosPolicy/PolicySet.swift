/// A loaded, validated and compiled policy set: immutable and safe to share between threads.
public struct PolicySet: Sendable {
    /// The ordered levels.
    public let scale: LevelScale
    /// Channels in declaration order.
    public let channels: [Channel]
    /// Rules in policy order (file order, then order within the file).
    public let rules: [Rule]
    /// Every compiled pattern, indexed by `MatchSpec.patternID`.
    public let patterns: [CompiledPattern]
    /// Problems that do not stop the set from loading (e.g. a rule without examples).
    public let warnings: [PolicyDiagnostic]
    /// The files the set was loaded from.
    public let sourcePaths: [String]

    /// The channel called `name` (id or alias, case-insensitive); unknown names resolve to the
    /// most restrictive channel (the lowest maximum level), or to a synthetic channel at the
    /// lowest level when the set declares none.
    public func resolveChannel(_ name: String) -> ChannelResolution {
        let key = name.lowercased()
        if let channel = channels.first(where: { $0.id.lowercased() == key || $0.aliases.contains { $0.lowercased() == key } }) {
            return ChannelResolution(requested: name, channel: channel, isKnown: true)
        }
        let strictest = channels.min { $0.maxLevel < $1.maxLevel }
            ?? Channel(id: name, aliases: [], maxLevel: scale.lowest, description: "unknown channel")
        return ChannelResolution(requested: name, channel: strictest, isKnown: false)
    }

    /// The rule with this id.
    public func rule(id: String) -> Rule? { rules.first { $0.id == id } }
}
