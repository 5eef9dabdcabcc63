import ArgumentParser
import HierosPolicy
import HierosReports

extension Hieros.Policy {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export the policy set's main patterns, one PCRE2 pattern per line (for pcre2grep -f and rg -f comparisons).",
            discussion: """
                Options are inlined ((?i), (*UCP)); extended-mode patterns are flattened to one line. Evidence windows, \
                counts, validators, allow entries and normalisation are not part of a pattern: the export shows the bare \
                matching work only.
                """)

        @OptionGroup var policy: PolicyOptions

        @Flag(help: "Export the patterns (the only export so far; required so that future exports stay explicit).")
        var patterns = false

        func validate() throws {
            guard patterns else { throw ValidationError("say what to export: --patterns") }
        }

        func run() throws {
            let set = try policy.load()
            for line in PatternExporter.lines(for: set) { Output.standard.write(line + "\n") }
        }
    }
}
