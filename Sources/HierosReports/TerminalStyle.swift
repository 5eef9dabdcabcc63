/// How text reports decorate their output: ANSI colours only on a terminal, never with NO_COLOR.
public struct TerminalStyle: Sendable {
    public let colors: Bool

    public init(colors: Bool) { self.colors = colors }

    public static let plain = TerminalStyle(colors: false)

    func paint(_ text: String, _ code: String) -> String { colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { paint(text, "1") }
    func red(_ text: String) -> String { paint(text, "1;31") }
    func green(_ text: String) -> String { paint(text, "1;32") }
    func yellow(_ text: String) -> String { paint(text, "33") }
    func dim(_ text: String) -> String { paint(text, "2") }
}
