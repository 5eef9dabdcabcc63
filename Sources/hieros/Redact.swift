import ArgumentParser
import HierosEngine
import HierosSources

extension Hieros {
    struct Redact: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redact",
            abstract: "Write the input with every finding above a level masked: a publishable version of a blocked post.",
            discussion: """
                Each masked character becomes █ (whitespace is kept), the rest is unchanged and the output stays valid UTF-8.
                Exit 0; 2 when the input could not be read or fully checked (nothing is written then: a partial redaction could leak).
                """)

        @OptionGroup var policy: PolicyOptions
        @OptionGroup var input: InputOptions

        @Option(help: "The highest level that may stay visible, e.g. public.")
        var maxLevel: String

        @Argument(help: "The text to redact ('-' or nothing for standard input).")
        var path: String = "-"

        func run() throws {
            let classifier = Classifier(policy: try policy.load())
            guard let level = classifier.policy.scale.level(named: maxLevel) else {
                Output.error.write("error: unknown level '\(maxLevel)'; the levels are: \(classifier.policy.scale.levels.map(\.name).joined(separator: ", "))\n")
                throw Status.error
            }
            let bytes: [UInt8]
            do { bytes = try InputReader(maxBytes: input.maxBytes).read(path) } catch {
                Output.error.write("error: \(error.description)\n")
                throw Status.error
            }
            let classification = classifier.classify(bytes: bytes)
            guard classification.isVerified else {
                for item in classification.unverified { Output.error.write("error: \(item.reason)\n") }
                throw Status.error
            }
            Output.standard.write(String(decoding: Redactor.redact(bytes, classification: classification, above: level), as: UTF8.self))
        }
    }
}
