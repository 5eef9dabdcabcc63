// The hieros command line: parses arguments, wires the library together and maps outcomes to
// exit codes (0 ok/allow, 1 block or failed check, 2 error). Only this module prints or exits.

import ArgumentParser
import Foundation

@main
struct Hieros: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "hieros",
        abstract: "Classify content into ordered levels and gate what may be published where.",
        discussion: """
            Exit codes: 0 success (check: ALLOW), 1 check BLOCK / policy test or eval floor failed, \
            2 error (unreadable input, invalid policy, item that could not be fully checked, usage error).
            """,
        version: version,
        subcommands: [Classify.self, Check.self, Redact.self, Scan.self, Hook.self, Explain.self, Eval.self, Policy.self]
    )

    static func main() {
        signal(SIGPIPE, SIG_IGN)
        Allocator.keepLargeBlocks()
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            if let check = CheckFastPath.request(for: arguments) {
                try check.run()
            } else {
                var command = try parseAsRoot(arguments)
                try command.run()
            }
            Output.standard.flush()
            Output.error.flush()
        } catch {
            Output.standard.flush()
            Output.error.flush()
            if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Output.standard.write(message + "\n") }
                Output.standard.flush()
                Foundation.exit(0)
            }
            Output.error.write(message + "\n")
            Output.error.flush()
            Foundation.exit(2)
        }
    }
}

/// Exit statuses, in one place.
enum Status {
    static let ok = ExitCode(0)
    static let blocked = ExitCode(1)
    static let error = ExitCode(2)
}
