import ArgumentParser
import HierosEngine
import HierosReports
import HierosSources

extension Hieros {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Pre-publication gate: may this post go out on this channel?",
            discussion: """
                Prints ALLOW or BLOCK; for BLOCK, every finding above the channel's maximum level with \
                line:column, level, rule, masked excerpt and message. An unknown channel is treated as the \
                most restrictive channel of the policy set.
                Exit 0 ALLOW, 1 BLOCK, 2 error (unreadable input, invalid policy, item that could not be fully checked).
                """)

        @OptionGroup var policy: PolicyOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var input: InputOptions

        @Option(help: "The channel id or alias, e.g. linkedin, x, hive.")
        var channel: String

        @Flag(help: "On BLOCK, also print the post with what must go masked (see 'hieros redact').")
        var suggest = false

        @Argument(help: "The post to check ('-' or nothing for standard input).")
        var path: String = "-"

        /// The parsed options as plain values, which is what runs.
        var request: CheckRequest {
            CheckRequest(
                policy: policy.choice, format: output.format, color: output.color, maxBytes: input.maxBytes,
                channel: channel, suggest: suggest, path: path)
        }

        func run() throws { try request.run() }
    }
}

/// A `check` to run, apart from how its arguments were parsed: by swift-argument-parser
/// (`Hieros.Check`) or by CheckFastPath.
struct CheckRequest: Equatable {
    var policy = PolicyChoice()
    var format = OutputFormat.text
    var color = ColorChoice.auto
    var maxBytes = InputOptions.defaultMaxBytes
    var channel: String
    var suggest = false
    var path = "-"

    func run() throws {
        let classifier = Classifier(policy: try policy.load())
        let name = path == "-" ? InputReader.standardInputName : path
        let bytes: [UInt8]
        do {
            bytes = try InputReader(maxBytes: maxBytes).read(path)
        } catch {
            Output.error.write("error: \(error.description)\n")
            throw Status.error
        }
        let verdict = classifier.verdict(for: classifier.classify(bytes: bytes), channel: channel)
        let suggestion = suggest && verdict.decision == .block && verdict.classification.isVerified
            ? String(decoding: Redactor.redact(bytes, classification: verdict.classification, above: verdict.channel.channel.maxLevel),
                     as: UTF8.self)
            : nil
        switch format {
        case .text:
            Output.standard.write(CheckTextReporter(style: color.style).render(verdict, source: name))
            if let suggestion { Output.standard.write("suggested version:\n" + suggestion + (suggestion.hasSuffix("\n") ? "" : "\n")) }
        case .json:
            Output.standard.write(CheckJSONReporter().render(verdict, source: name, suggestion: suggestion))
        }
        if !verdict.classification.isVerified { throw Status.error }
        if verdict.decision == .block { throw Status.blocked }
    }
}
