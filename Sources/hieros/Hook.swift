import ArgumentParser
import Foundation
import HierosScan

extension Hieros {
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hook",
            abstract: "Install or remove the git hooks that run Hieros as a content gate.",
            subcommands: [Install.self, Uninstall.self])
    }
}

/// The hooks Hieros can install and what each runs.
enum HookKind: String, ExpressibleByArgument, CaseIterable {
    case preCommit = "pre-commit"
    case commitMsg = "commit-msg"
    case prePush = "pre-push"

    /// Marks a hook file as written by Hieros: only such files are replaced or removed.
    static let marker = "# hieros-managed-hook"

    func script(binary: String) -> String {
        let run: String
        switch self {
        case .preCommit:
            run = "exec \"$HIEROS\" scan --staged"
        case .commitMsg:
            run = "exec \"$HIEROS\" scan --commit-msg \"$1\""
        case .prePush:
            run = """
                zero=0000000000000000000000000000000000000000
                empty_tree=$(git hash-object -t tree /dev/null)
                status=0
                while read -r local_ref local_sha remote_ref remote_sha; do
                    [ "$local_sha" = "$zero" ] && continue          # a deleted branch adds nothing
                    base="$remote_sha"
                    [ "$base" = "$zero" ] && base="$empty_tree"     # a new branch: check all of it
                    "$HIEROS" scan --range "$base..$local_sha" || status=$?
                done
                exit $status
                """
        }
        return """
            #!/bin/sh
            \(Self.marker) (\(rawValue)): installed by 'hieros hook install'; remove with 'hieros hook uninstall'.
            # Fails closed: if hieros cannot be found or cannot check the change, git stops.
            HIEROS="${HIEROS:-\(binary)}"
            if ! command -v "$HIEROS" >/dev/null 2>&1; then HIEROS=hieros; fi
            if ! command -v "$HIEROS" >/dev/null 2>&1; then
                echo "hieros: not found, so the change cannot be checked; install hieros or run 'hieros hook uninstall'" >&2
                exit 2
            fi
            \(run)

            """
    }
}

extension Hieros.Hook {
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Write a hook into the repository (honours core.hooksPath).",
            discussion: "Refuses to replace a hook Hieros did not write unless --force is given.")

        @Option(help: "Which hook: pre-commit (staged changes), commit-msg (the message) or pre-push (pushed commits).")
        var hook: HookKind = .preCommit

        @Flag(help: "Replace an existing hook that Hieros did not write.")
        var force = false

        func run() throws {
            let directory: String
            do { directory = try Git(directory: FileManager.default.currentDirectoryPath).hooksDirectory() } catch {
                Output.error.write("error: \(error)\n")
                throw Status.error
            }
            let path = (directory as NSString).appendingPathComponent(hook.rawValue)
            if let existing = FileManager.default.contents(atPath: path), !force,
               !String(decoding: existing, as: UTF8.self).contains(HookKind.marker) {
                Output.error.write("error: \(path) exists and was not written by Hieros; use --force to replace it\n")
                throw Status.error
            }
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
            let resolved = CommandLine.arguments[0].contains("/") ? binary : "hieros"
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try hook.script(binary: resolved).write(toFile: path, atomically: true, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            } catch {
                Output.error.write("error: cannot write \(path): \(error.localizedDescription)\n")
                throw Status.error
            }
            Output.standard.write("installed \(hook.rawValue) hook: \(path)\n")
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove the hooks Hieros installed (others are left alone).")

        func run() throws {
            let directory: String
            do { directory = try Git(directory: FileManager.default.currentDirectoryPath).hooksDirectory() } catch {
                Output.error.write("error: \(error)\n")
                throw Status.error
            }
            var removed = 0
            for hook in HookKind.allCases {
                let path = (directory as NSString).appendingPathComponent(hook.rawValue)
                guard let contents = FileManager.default.contents(atPath: path),
                      String(decoding: contents, as: UTF8.self).contains(HookKind.marker) else { continue }
                do { try FileManager.default.removeItem(atPath: path) } catch {
                    Output.error.write("error: cannot remove \(path): \(error.localizedDescription)\n")
                    throw Status.error
                }
                Output.standard.write("removed \(hook.rawValue) hook: \(path)\n")
                removed += 1
            }
            if removed == 0 { Output.standard.write("no Hieros hook installed in \(directory)\n") }
        }
    }
}
