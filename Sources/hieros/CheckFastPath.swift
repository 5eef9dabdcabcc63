/// `hieros check` with plain arguments, read without swift-argument-parser.
///
/// swift-argument-parser builds its view of a command by reflection, and in a fresh process
/// the Swift runtime's first look-ups of each generic type and conformance that takes scan
/// every conformance record of the binary (6,300 with Foundation linked in). That was about
/// half of a one-post `check`, the command people run on every post and that the README
/// compares with ripgrep. So the plain forms of `check` are read here; anything else (help,
/// `--version`, a short or unknown option, a missing or odd value, `--`, an option given twice)
/// returns nil and goes to swift-argument-parser, which gives the usual messages.
///
/// The two must agree on every argument list this accepts: CheckFastPathTests compares them,
/// and fails when `Hieros.Check` gains an option this does not know.
enum CheckFastPath {
    /// The request `arguments` (without the program name) ask for, or nil when they are not
    /// a plain `check`.
    static func request(for arguments: [String]) -> CheckRequest? {
        guard arguments.first == "check" else { return nil }
        var request = CheckRequest(channel: "")
        var seen: [String] = []
        var path: String?
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                // "-" is standard input; any other single dash is a short option.
                guard path == nil, !argument.isEmpty, argument == "-" || !argument.hasPrefix("-") else { return nil }
                path = argument
                continue
            }
            let body = argument.dropFirst(2)
            let name: String
            var value: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                value = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
            }
            guard Self.options.contains(name), name == "policies" || !seen.contains(name) else { return nil }
            seen.append(name)
            if Self.flags.contains(name) {
                guard value == nil else { return nil }
                switch name {
                case "suggest": request.suggest = true
                case "no-cache": request.policy.noCache = true
                default: return nil
                }
                continue
            }
            if value == nil, index < arguments.count {
                value = arguments[index]
                index += 1
            }
            guard let value, !value.isEmpty, !value.hasPrefix("-"), set(name, to: value, in: &request) else { return nil }
        }
        guard seen.contains("channel") else { return nil }
        if let path { request.path = path }
        return request
    }

    /// The long names of Hieros.Check's options and flags (the flags also in `flags`).
    static let options = ["channel", "format", "color", "policies", "max-bytes", "no-cache", "suggest"]
    static let flags = ["no-cache", "suggest"]

    private static func set(_ name: String, to value: String, in request: inout CheckRequest) -> Bool {
        switch name {
        case "channel": request.channel = value
        case "policies": request.policy.paths.append(value)
        case "format":
            guard let format = OutputFormat(rawValue: value) else { return false }
            request.format = format
        case "color":
            guard let color = ColorChoice(rawValue: value) else { return false }
            request.color = color
        case "max-bytes":
            // Plain decimal digits only: whatever else Int(_:) would take is left to the parser.
            guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let bytes = Int(value), bytes > 0
            else { return false }
            request.maxBytes = bytes
        default: return false
        }
        return true
    }
}
