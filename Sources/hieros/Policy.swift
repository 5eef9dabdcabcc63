import ArgumentParser
import HierosEngine
import HierosPolicy

extension Hieros {
    struct Policy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "policy",
            abstract: "Validate and test policy sets.",
            subcommands: [Validate.self, Test.self, Import.self, Export.self])
    }
}

extension Hieros.Policy {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Load, validate and compile a policy set; report every problem as path:line:col: rule-id: message.",
            discussion: "Exit 0 when the set is valid (warnings are printed), 2 when it is not.")

        @OptionGroup var policy: PolicyOptions

        func run() throws {
            let set = try policy.load(lint: true)
            for warning in set.warnings { Output.error.write("warning: \(warning)\n") }
            let files = set.sourcePaths.count
            Output.standard.write("ok: \(set.rules.count) rules, \(set.channels.count) channels, "
                + "\(set.scale.levels.count) levels (\(set.scale.levels.map(\.name).joined(separator: " < "))) "
                + "in \(files) file\(files == 1 ? "" : "s")\n")
            // What a policy author can make cheaper: a keyword, or a pattern with a bound on how
            // far into a match its literal or first digit is, which then runs only just before them.
            for reach in [Rule.Reach.everyItem, .wholeItemOnKeyword] {
                let rules = set.rules.filter { $0.reach == reach }.map(\.id)
                guard !rules.isEmpty else { continue }
                Output.standard.write("costly: \(rules.count) rule\(rules.count == 1 ? "" : "s") run over \(reach.rawValue) "
                    + "(no keyword, or no bound before its literal or digit): \(rules.joined(separator: ", "))\n")
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run every rule's examples: each 'match' must fire its rule (also behind a multi-byte prefix), each 'no_match' must not.",
            discussion: "Exit 0 when all pass, 1 when an example fails, 2 when the policy set is invalid.")

        @OptionGroup var policy: PolicyOptions

        func run() throws {
            let runner = ExampleRunner(classifier: Classifier(policy: try policy.load()))
            let failures = runner.run()
            for failure in failures { Output.standard.write("FAIL \(failure)\n") }
            let rules = runner.classifier.policy.rules.count
            Output.standard.write("\(runner.exampleCount) examples of \(rules) rules: "
                + (failures.isEmpty ? "all passed\n" : "\(failures.count) failed\n"))
            if !failures.isEmpty { throw Status.blocked }
        }
    }
}
