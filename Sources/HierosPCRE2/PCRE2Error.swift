import CPCRE2

/// An error reported by PCRE2, with PCRE2's own message.
public enum PCRE2Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// The pattern does not compile; `offset` is the code-unit offset inside the pattern.
    case compile(code: Int32, offset: Int, message: String)
    /// A match attempt failed for a reason other than "no match" (limits, bad input...).
    case match(code: Int32, message: String)
    /// Scanning a text took longer than its time budget (`MatchLimits.timeMsPerMiB`).
    case timeBudget(milliseconds: Int)

    /// True when the failure is one of the resource limits (match, depth, heap, JIT stack).
    public var isLimit: Bool {
        if case .timeBudget = self { return true }
        guard case .match(let code, _) = self else { return false }
        return [PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT,
                PCRE2_ERROR_JIT_STACKLIMIT].contains(code)
    }

    public var description: String {
        switch self {
        case .compile(_, let offset, let message):
            return "\(message) at pattern offset \(offset)"
        case .match(_, let message):
            return message
        case .timeBudget(let milliseconds):
            return "time budget of \(milliseconds) ms exceeded"
        }
    }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBufferPointer {
            pcre2_get_error_message_8(code, $0.baseAddress, $0.count)
        }
        guard count > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(count)], as: UTF8.self)
    }
}
