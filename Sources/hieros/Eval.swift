import ArgumentParser
import Foundation
import HierosEngine
import HierosEval
import HierosReports
import HierosSources

extension Hieros {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Measure the policy set on labelled corpora (JSON Lines with text, level, optional id and channel).",
            discussion: """
                Prints the confusion matrix, per-level precision, recall and over-classification, the share of \
                leaks to a channel that the gate blocks, and every misclassified item.
                Floors make it a CI check: exit 1 when one fails, 2 on unreadable or malformed corpora.
                """)

        @OptionGroup var policy: PolicyOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var input: InputOptions

        @Option(name: .customLong("min-recall"), help: ArgumentHelp("Recall floor for a level.", valueName: "level=ratio"))
        var minRecall: [String] = []
        @Option(name: .customLong("min-precision"), help: ArgumentHelp("Precision floor for a level.", valueName: "level=ratio"))
        var minPrecision: [String] = []
        @Option(name: .customLong("max-overclassified"),
                help: ArgumentHelp("Highest share of a level's items classified above it.", valueName: "level=ratio"))
        var maxOverclassified: [String] = []
        @Option(name: .customLong("min-blocked-leaks"),
                help: ArgumentHelp("Lowest share of leaks (label above the channel) the gate must block.", valueName: "ratio"))
        var minBlockedLeaks: Double?

        @Argument(help: "Corpus files (JSON Lines).")
        var corpora: [String]

        var floors: [EvaluationFloor] {
            get throws {
                var floors: [EvaluationFloor] = []
                for (metric, values) in [(EvaluationFloor.Metric.minRecall, minRecall), (.minPrecision, minPrecision),
                                         (.maxOverclassified, maxOverclassified)] {
                    for value in values {
                        let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                        guard parts.count == 2, let ratio = Double(parts[1]), (0...1).contains(ratio) else {
                            throw ValidationError("--\(metric.rawValue) takes LEVEL=RATIO with a ratio from 0 to 1, not '\(value)'")
                        }
                        floors.append(EvaluationFloor(metric: metric, level: parts[0], value: ratio))
                    }
                }
                if let minBlockedLeaks { floors.append(EvaluationFloor(metric: .minBlockedLeaks, level: nil, value: minBlockedLeaks)) }
                return floors
            }
        }

        func validate() throws {
            guard !corpora.isEmpty else { throw ValidationError("give at least one corpus file") }
            _ = try floors
        }

        func run() throws {
            let classifier = Classifier(policy: try policy.load())
            let session = classifier.makeSession()
            let reader = InputReader(maxBytes: input.maxBytes)
            var items: [EvaluatedItem] = []
            var errors: [String] = []
            for path in corpora {
                let bytes: [UInt8]
                do { bytes = try reader.read(path) } catch {
                    errors.append(error.description)
                    continue
                }
                for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                    let origin = "\(path):\(index + 1)"
                    guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) else { continue }
                    switch CorpusLine.parse(Array(line), origin: origin, classifier: classifier, session: session) {
                    case .success(let item): items.append(item)
                    case .failure(let error): errors.append("\(origin): \(error.message)")
                    }
                }
            }
            for error in errors { Output.error.write("error: \(error)\n") }
            let summary = EvaluationSummary(scale: classifier.policy.scale, items: items)
            let failures = try floors.compactMap { $0.failure(in: summary) }
            switch output.format {
            case .text: Output.standard.write(EvaluationTextReporter(style: output.style).render(summary, failures: failures))
            case .json: Output.standard.write(EvaluationJSONReporter().render(summary, failures: failures))
            }
            if !errors.isEmpty { throw Status.error }
            if !failures.isEmpty { throw Status.blocked }
        }
    }
}

/// One labelled corpus line: the stream input plus the expected `level`.
enum CorpusLine {
    static func parse(_ line: [UInt8], origin: String, classifier: Classifier,
                      session: ClassificationSession) -> Result<EvaluatedItem, StreamLineError> {
        let request: StreamRequest
        switch StreamRequest.parse(line) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): request = parsed
        }
        guard let name = request.members["level"]?.string else {
            return .failure(StreamLineError(message: "missing 'level' (the expected level, a string)"))
        }
        guard let expected = classifier.policy.scale.level(named: name) else {
            return .failure(StreamLineError(message: "unknown level '\(name)'"))
        }
        let id = request.members["id"]?.string ?? request.rawID.map { String(decoding: $0, as: UTF8.self) } ?? origin
        let classification = session.classify(request.text)
        let verdict = request.channel.map { classifier.verdict(for: classification, channel: $0) }
        return .success(EvaluatedItem(id: id, origin: origin, expected: expected, predicted: classification.level,
                                      verdict: verdict, verified: classification.isVerified))
    }
}
