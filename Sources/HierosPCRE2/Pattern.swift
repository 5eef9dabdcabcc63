import CPCRE2
import Synchronization

/// A compiled PCRE2 pattern in UTF mode, JIT-compiled (when the platform allows) the first
/// time it is matched.
///
/// Shared by all threads; each thread matches through its own `Matcher`.
public final class Pattern: @unchecked Sendable {
    /// The source the pattern was compiled from.
    public let source: String
    /// The options it was compiled with.
    public let options: PatternOptions
    /// The number of capture groups (group 0, the whole match, not counted).
    public let captureCount: Int
    /// The compiled code (nil until first use for a pattern made `compiledBefore`), and
    /// whether JIT compilation succeeded (nil until first use).
    private let state: Mutex<State>

    private struct State {
        var code: OpaquePointer?
        var jit: Bool?
    }

    /// Compiles `source`; throws `PCRE2Error.compile` with PCRE2's message and offset.
    public init(_ source: String, options: PatternOptions = []) throws(PCRE2Error) {
        let code = try Self.compile(source, options: options)
        self.source = source
        self.options = options
        captureCount = Self.captureCount(of: code)
        state = Mutex(State(code: code, jit: nil))
    }

    /// The most capture groups PCRE2 allows in a pattern.
    public static let maximumCaptureCount = 65_535

    /// A pattern that this PCRE2 library compiled before, with the number of groups it had then
    /// (one read back from the compiled-policy cache). It is compiled on first use: a policy set
    /// has dozens of patterns, and a short post needs the few whose keywords it contains.
    public init(compiledBefore source: String, options: PatternOptions, captureCount: Int) {
        precondition((0...Self.maximumCaptureCount).contains(captureCount), "capture count out of range")
        self.source = source
        self.options = options
        self.captureCount = captureCount
        state = Mutex(State(code: nil, jit: nil))
    }

    /// The version of the PCRE2 library in use, e.g. "10.42 2022-12-11": what a pattern compiled
    /// before by this version compiles to again.
    public static let libraryVersion: String = {
        var buffer = [UInt8](repeating: 0, count: 64)
        let written = buffer.withUnsafeMutableBytes { pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), $0.baseAddress) }
        return String(decoding: buffer.prefix(max(0, Int(written) - 1)), as: UTF8.self)
    }()

    private static func compile(_ source: String, options: PatternOptions) throws(PCRE2Error) -> OpaquePointer {
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
        return compiled
    }

    private static func captureCount(of code: OpaquePointer) -> Int {
        var count: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        return Int(count)
    }

    /// The compiled code, compiling it on the first call for a pattern made `compiledBefore`.
    func code() throws(PCRE2Error) -> OpaquePointer { try resolve(jit: false).code }

    /// The compiled code and whether it runs JIT-compiled (matching falls back to the
    /// interpreter otherwise). The first call JIT-compiles it: JIT compilation is most of the
    /// cost of loading a policy set, and a run needs only the patterns whose keywords occur.
    func compiled() throws(PCRE2Error) -> (code: OpaquePointer, isJIT: Bool) {
        let resolved = try resolve(jit: true)
        return (resolved.code, resolved.isJIT ?? false)
    }

    /// Whether the pattern runs JIT-compiled; compiles it when that has not happened yet.
    public var isJITCompiled: Bool { (try? compiled().isJIT) ?? false }

    /// Compiles what has not been yet. Only a pattern made `compiledBefore` can fail here: when
    /// the library no longer compiles it, or compiles it to a different number of groups.
    private func resolve(jit: Bool) throws(PCRE2Error) -> (code: OpaquePointer, isJIT: Bool?) {
        // The pointer crosses the lock as bits: OpaquePointer is not Sendable.
        let (bits, isJIT) = try state.withLock { state throws(PCRE2Error) -> (UInt, Bool?) in
            let code: OpaquePointer
            if let compiled = state.code {
                code = compiled
            } else {
                code = try Self.compile(source, options: options)
                guard Self.captureCount(of: code) == captureCount else {
                    pcre2_code_free_8(code)
                    throw .compile(code: 0, offset: 0,
                                   message: "the pattern no longer has the \(captureCount) groups it was compiled with")
                }
                state.code = code
            }
            if jit, state.jit == nil { state.jit = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0 }
            return (UInt(bitPattern: code), state.jit)
        }
        return (OpaquePointer(bitPattern: bits)!, isJIT)
    }

    deinit {
        if let code = OpaquePointer(bitPattern: state.withLock { UInt(bitPattern: $0.code) }) { pcre2_code_free_8(code) }
    }

    /// The number of the named group `name`, or nil when the pattern has no such group (or no
    /// longer compiles).
    public func groupNumber(named name: String) -> Int? {
        guard let code = try? code() else { return nil }
        let number = name.withCString { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: name.utf8.count + 1) {
                pcre2_substring_number_from_name_8(code, $0)
            }
        }
        return number > 0 ? Int(number) : nil
    }
}
