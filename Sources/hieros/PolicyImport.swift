import ArgumentParser
import Foundation
import HierosImport
import HierosSources

/// Configuration formats `policy import` reads.
enum ImportFormat: String, ExpressibleByArgument, CaseIterable {
    case gitleaks
}

extension Hieros.Policy {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Convert another tool's configuration (a gitleaks TOML file) into one Hieros policy file.",
            discussion: """
                Prints the policy (YAML, version 1) on standard output, or writes it to --output. Every rule \
                or field that could not be converted is reported on standard error with the reason (file \
                paths and commits, for instance, have no counterpart: Hieros classifies content). \
                Exit 0 when a policy was written, even in part; 2 when FILE cannot be read or is not valid TOML.
                """)

        @Option(name: .customLong("from"), help: ArgumentHelp("The format of FILE.", valueName: "format"))
        var format: ImportFormat

        @Argument(help: ArgumentHelp("The configuration to convert; '-' for standard input.", valueName: "file"))
        var file: String

        @Option(help: "The level of every converted rule (a level of the policy set the file will join).")
        var level: String = GitleaksImporter.defaultLevel

        @Option(help: ArgumentHelp("Write the policy to this file (atomically) instead of standard output.", valueName: "file"))
        var output: String?

        @OptionGroup var input: InputOptions

        func run() throws {
            let reader = InputReader(maxBytes: input.maxBytes)
            let name = file == "-" ? InputReader.standardInputName : file
            let text = try Self.text(of: file, reader: reader)
            let result: ImportResult
            do {
                result = try GitleaksImporter(level: level).convert(text, path: name) { path throws in
                    try Self.text(of: path, reader: reader, reporting: false)
                }
            } catch {
                Output.error.write("error: \(error)\n")
                throw Status.error
            }
            for note in result.notes { Output.error.write("\(name): \(note)\n") }
            let dropped = result.unconvertedRules.count
            let total = result.converted.count + dropped
            Output.error.write("\(name): converted \(result.converted.count) of \(total) rules"
                + (result.notes.isEmpty ? "\n" : "; \(dropped) not converted, \(result.notes.count - dropped) fields dropped or approximated (listed above)\n"))
            guard let output else {
                Output.standard.write(result.yaml)
                return
            }
            do {
                try Data(result.yaml.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                Output.error.write("error: \(output): cannot write: \(error.localizedDescription)\n")
                throw Status.error
            }
        }

        /// The UTF-8 text of a file (or standard input); failures are printed unless the caller
        /// reports them itself.
        static func text(of path: String, reader: InputReader, reporting: Bool = true) throws -> String {
            do {
                let bytes = try reader.read(path)
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw InputError.unreadable(path: path, reason: "not valid UTF-8")
                }
                return text
            } catch {
                guard reporting else { throw error }
                Output.error.write("error: \(error)\n")
                throw Status.error
            }
        }
    }
}
