import CPCRE2
import Synchronization

/// A compiled PCRE2 pattern in UTF mode, JIT-compiled (when the platform allows) the first
/// time a `Matcher` is made for it.
///
/// Shared by all threads; each thread matches through its own `Matcher`.
public final class Pattern: @unchecked Sendable {
    /// The source the pattern was compiled from.
    public let source: String
    /// The options it was compiled with.
    public let options: PatternOptions
    /// The number of capture groups (group 0, the whole match, not counted).
    public let captureCount: Int
    /// Nil until the first `isJITCompiled`; then whether JIT compilation succeeded.
    private let jit = Mutex<Bool?>(nil)

    let code: OpaquePointer

    /// Compiles `source`; throws `PCRE2Error.compile` with PCRE2's message and offset.
    public init(_ source: String, options: PatternOptions = []) throws(PCRE2Error) {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let compiled: OpaquePointer? = source.utf8CString.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { bytes in
                pcre2_compile_8(
                    bytes.baseAddress, bytes.count - 1, options.compileFlags,
                    &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw .compile(code: errorCode, offset: errorOffset, message: PCRE2Error.message(for: errorCode))
        }
        code = compiled
        self.source = source
        self.options = options
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
    }

    /// Whether the pattern runs JIT-compiled (matching falls back to the interpreter otherwise).
    /// The first call compiles it: JIT compilation is most of the cost of loading a policy set,
    /// and a run needs only the patterns whose keywords occur (for one short post, a few).
    /// Matchers ask before their first match, so no thread matches while another compiles.
    public var isJITCompiled: Bool {
        jit.withLock { state in
            if let state { return state }
            let compiled = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0
            state = compiled
            return compiled
        }
    }

    deinit { pcre2_code_free_8(code) }

    /// The number of the named group `name`, or nil when the pattern has no such group.
    public func groupNumber(named name: String) -> Int? {
        let number = name.withCString { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: name.utf8.count + 1) {
                pcre2_substring_number_from_name_8(code, $0)
            }
        }
        return number > 0 ? Int(number) : nil
    }
}
