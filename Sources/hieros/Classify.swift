import ArgumentParser
import Foundation
import HierosEngine
import HierosReports
import HierosSources

extension Hieros {
    struct Classify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classify",
            abstract: "Classify inputs: each one's level and findings.",
            discussion: """
                Reads each PATH (standard input when none is given or PATH is '-').
                With --jsonl, reads one JSON object per line ({"text": …, "id": …, "channel": …}) and \
                writes one result line per input line, in order.
                Exit 0 whatever the levels; 2 when an input could not be read or fully checked.
                """)

        @OptionGroup var policy: PolicyOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var input: InputOptions

        @Flag(help: "Stream mode: JSON Lines in, JSON Lines out.")
        var jsonl = false

        @Argument(help: "Files to classify ('-' for standard input).")
        var paths: [String] = []

        func validate() throws {
            if jsonl && paths.count > 1 { throw ValidationError("--jsonl reads one stream: give one PATH or '-'") }
            if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be read only once") }
        }

        func run() throws {
            let classifier = Classifier(policy: try policy.load())
            if jsonl {
                try JSONLStream(classifier: classifier, maxLineBytes: input.maxBytes).run(path: paths.first ?? "-")
                return
            }
            let reader = InputReader(maxBytes: input.maxBytes)
            let session = classifier.makeSession()
            var results: [InputResult] = []
            for path in paths.isEmpty ? ["-"] : paths {
                let name = path == "-" ? InputReader.standardInputName : path
                do {
                    let bytes = try reader.read(path)
                    results.append(InputResult(source: name, outcome: .success(session.classify(bytes: bytes))))
                } catch {
                    results.append(InputResult(source: name, outcome: .failure(InputFailure(message: error.description))))
                }
                if output.format == .text, let last = results.last {
                    Output.standard.write(ClassifyTextReporter(style: output.style).render([last]))
                }
            }
            if output.format == .json { Output.standard.write(ClassifyJSONReporter().render(results)) }
            let failed = results.contains {
                switch $0.outcome {
                case .failure: return true
                case .success(let classification): return !classification.isVerified
                }
            }
            if failed { throw Status.error }
        }
    }
}

/// `classify --jsonl`: one output line per input line, in order, with constant memory.
struct JSONLStream {
    let classifier: Classifier
    let maxLineBytes: Int

    func run(path: String) throws {
        let descriptor: Int32
        if path == "-" {
            descriptor = STDIN_FILENO
        } else {
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                Output.error.write("error: \(InputError.unreadable(path: path, reason: String(cString: strerror(errno))))\n")
                throw Status.error
            }
        }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        let reader = LineReader(descriptor: descriptor, maxLineBytes: maxLineBytes)
        let session = classifier.makeSession()
        var number = 0
        var failed = false
        while !Output.standard.isBroken {
            let line: LineReader.Line?
            do {
                line = try reader.next()
            } catch {
                Output.error.write("error: \(error.description)\n")
                throw Status.error
            }
            guard let line else { break }
            number += 1
            let text: String
            switch line {
            case .tooLong:
                failed = true
                text = StreamLineEncoder.encodeError(line: number, message: "line is longer than --max-bytes (\(maxLineBytes) bytes)")
            case .text(let bytes):
                switch StreamRequest.parse(bytes) {
                case .failure(let error):
                    failed = true
                    text = StreamLineEncoder.encodeError(line: number, message: error.message)
                case .success(let request):
                    let classification = session.classify(request.text)
                    let verdict = request.channel.map { classifier.verdict(for: classification, channel: $0) }
                    if !classification.isVerified { failed = true }
                    let rawID = request.rawID.map { String(decoding: $0, as: UTF8.self) }
                    text = StreamLineEncoder.encode(rawID: rawID, classification: classification, verdict: verdict)
                }
            }
            Output.standard.write(text)
            Output.standard.flush()
        }
        if failed { throw Status.error }
    }
}
