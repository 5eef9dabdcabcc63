import Foundation

/// The environment variables the CLI reads, looked up one by one: `ProcessInfo`'s
/// dictionary of the whole environment cost a fair part of a one-post check.
enum Environment {
    /// The value of `name`, or nil when it is unset or empty.
    static func value(_ name: String) -> String? {
        guard let pointer = getenv(name) else { return nil }
        let value = String(cString: pointer)
        return value.isEmpty ? nil : value
    }

    /// Whether `name` is set to something other than the empty string (as `NO_COLOR` means).
    static func isSet(_ name: String) -> Bool { value(name) != nil }
}
