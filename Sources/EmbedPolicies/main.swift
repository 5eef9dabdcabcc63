// Build-time tool: writes a Swift file that embeds every policy file of a folder, so that the
// hieros binary carries its bundled policies and works from any directory once installed.
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: EmbedPolicies POLICY_DIR OUTPUT.swift\n".utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[1]).standardizedFileURL
let output = URL(fileURLWithPath: arguments[2])

let relativePaths = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? [])
    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
    .sorted()

/// A raw string literal whose delimiter cannot occur in `text`.
func literal(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"" + hashes) || text.contains(hashes + "\"") || text.contains("\\" + hashes) { hashes += "#" }
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

var source = """
// Generated at build time by EmbedPolicies from the policies/ folder. Do not edit.

/// The policy files bundled with Hieros, as (path relative to `policies/`, contents), in path order.
public let bundledPolicyFiles: [(path: String, contents: String)] = [

"""
for path in relativePaths {
    let data = try Data(contentsOf: root.appendingPathComponent(path))
    guard let text = String(data: data, encoding: .utf8) else {
        FileHandle.standardError.write(Data("EmbedPolicies: \(path) is not valid UTF-8\n".utf8))
        exit(1)
    }
    let quotedPath = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    source += "    (\"\(quotedPath)\", \(literal(text))),\n"
}
source += "]\n"

// FNV-1a over every path and file: a compiled-policy cache keys bundled policies by this and
// the executable's identity, which a rebuild of the same size and time could leave unchanged.
var digest: UInt64 = 0xcbf2_9ce4_8422_2325
for path in relativePaths {
    let bytes = Array(path.utf8) + [0] + Array(try Data(contentsOf: root.appendingPathComponent(path))) + [0]
    for byte in bytes { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3 }
}
source += """

/// A digest of every bundled policy file and its path (FNV-1a, 64 bits), for cache keys.
public let bundledPolicyDigest = "\(String(digest, radix: 16))"

"""
try Data(source.utf8).write(to: output, options: .atomic)
