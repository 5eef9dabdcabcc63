import ArgumentParser
import Foundation
import Testing

@testable import hieros

/// `hieros check` reads plain argument lists itself (CheckFastPath); swift-argument-parser
/// must read each of them the same way, and everything else must go to it.
@Suite("check's own argument reading")
struct CheckFastPathTests {
    static let plain: [[String]] = [
        ["check", "--channel", "linkedin"],
        ["check", "--channel", "linkedin", "post.txt"],
        ["check", "post.txt", "--channel", "x"],
        ["check", "--channel=x", "-"],
        ["check", "--channel", "a=b", "--format", "json", "--color", "never", "p"],
        ["check", "--channel=a=b", "--format=text", "--color=always"],
        ["check", "--policies", "one.yaml", "--policies=@bundled", "--policies", "folder", "--channel", "hive"],
        ["check", "--no-cache", "--suggest", "--channel", "x", "--max-bytes", "4096", "p"],
        ["check", "--max-bytes=007", "--channel", "x"],
        ["check", "--channel", "x", "check"],
    ]

    @Test(arguments: plain)
    func readsPlainArgumentsAsTheParserDoes(_ arguments: [String]) throws {
        let own = try #require(CheckFastPath.request(for: arguments))
        let parsed = try #require(try Hieros.parseAsRoot(arguments) as? Hieros.Check)
        #expect(own == parsed.request)
    }

    static let others: [[String]] = [
        [], ["scan", "."], ["help", "check"],
        ["check"], ["check", "post.txt"], ["check", "--channel"], ["check", "--channel", "--format", "json"],
        ["check", "--help"], ["check", "-h"], ["check", "--version"], ["check", "--experimental-dump-help"],
        ["check", "--generate-completion-script", "bash"],
        ["check", "--channel", "x", "-v"], ["check", "--chanel", "x"], ["check", "-channel", "x"],
        ["check", "--channel", "x", "--channel", "y"], ["check", "--suggest", "--suggest", "--channel", "x"],
        ["check", "--channel", "x", "a", "b"], ["check", "--channel", "x", "--", "p"],
        ["check", "--channel", "-x"], ["check", "--channel=", "p"], ["check", "--channel", "x", ""],
        ["check", "--suggest=true", "--channel", "x"],
        ["check", "--format", "xml", "--channel", "x"], ["check", "--color", "auto ", "--channel", "x"],
        ["check", "--max-bytes", "0", "--channel", "x"], ["check", "--max-bytes", "+5", "--channel", "x"],
        ["check", "--max-bytes", "99999999999999999999", "--channel", "x"],
    ]

    @Test(arguments: others)
    func leavesEverythingElseToTheParser(_ arguments: [String]) {
        #expect(CheckFastPath.request(for: arguments) == nil)
    }

    /// A new option of Hieros.Check would otherwise be refused (left to the parser, so still
    /// correct, but slow) or, worse, read differently.
    @Test func knowsEveryOptionOfCheck() throws {
        struct Dump: Decodable {
            struct Command: Decodable { let arguments: [Argument] }
            struct Argument: Decodable {
                struct Name: Decodable { let kind, name: String }
                let kind: String
                let names: [Name]?
            }
            let command: Command
        }
        let dump = try JSONDecoder().decode(Dump.self, from: Data(Hieros.Check._dumpHelp().utf8))
        let named = dump.command.arguments.filter { $0.kind != "positional" }
        let builtIn: Set = ["help", "version"]
        func longNames(_ arguments: [Dump.Argument]) -> Set<String> {
            Set(arguments.flatMap { $0.names ?? [] }.filter { $0.kind == "long" }.map(\.name)).subtracting(builtIn)
        }
        #expect(longNames(named) == Set(CheckFastPath.options))
        #expect(longNames(named.filter { $0.kind == "flag" }) == Set(CheckFastPath.flags))
        // No short names besides help's -h: this reads long names only.
        let shortNames: [String] = named.flatMap { $0.names ?? [] }.filter { $0.kind != "long" }.map(\.name)
        #expect(shortNames == ["h"])
        let positionals = dump.command.arguments.filter { $0.kind == "positional" }
        #expect(positionals.count == 1)
    }
}
