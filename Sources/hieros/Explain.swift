import ArgumentParser
import HierosEngine
import HierosReports
import HierosSources

extension Hieros {
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Show, for each rule whose keywords occur, what matched and why it did or did not fire.",
            discussion: "Excerpts stay masked. Exit 0, or 2 when the input could not be read or fully checked.")

        @OptionGroup var policy: PolicyOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var input: InputOptions

        @Option(name: .customLong("rule"), help: "Only explain these rules (repeatable).")
        var rules: [String] = []

        @Argument(help: "The item to explain ('-' or nothing for standard input).")
        var path: String = "-"

        func run() throws {
            let classifier = Classifier(policy: try policy.load())
            let bytes: [UInt8]
            do {
                bytes = try InputReader(maxBytes: input.maxBytes).read(path)
            } catch {
                Output.error.write("error: \(error.description)\n")
                throw Status.error
            }
            let (classification, allTraces) = classifier.makeSession().explain(bytes: bytes)
            let traces = rules.isEmpty ? allTraces : allTraces.filter { rules.contains($0.ruleID) }
            let lines = LineIndex(bytes)
            let name = path == "-" ? InputReader.standardInputName : path
            Output.standard.write(ExplainTextReporter(style: output.style).render(
                source: name, classification: classification, traces: traces, position: lines.position(of:)))
            if !classification.isVerified { throw Status.error }
        }
    }
}
