/// One problem in a policy file, pointing at the place that causes it.
public struct PolicyDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    /// The rule the problem belongs to, when there is one.
    public let ruleID: String?
    public let message: String

    public init(location: SourceLocation, ruleID: String?, message: String) {
        self.location = location
        self.ruleID = ruleID
        self.message = message
    }

    /// `path:line:col: rule-id: message`.
    public var description: String {
        if let ruleID { return "\(location): \(ruleID): \(message)" }
        return "\(location): \(message)"
    }
}

/// Loading a policy set failed; `diagnostics` lists every problem found, in file order.
public struct PolicyLoadError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [PolicyDiagnostic]

    public init(_ diagnostics: [PolicyDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
