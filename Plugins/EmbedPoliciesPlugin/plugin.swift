import Foundation
import PackagePlugin

/// Regenerates the embedded copy of `policies/` whenever a policy file changes.
@main
struct EmbedPoliciesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let policies = context.package.directoryURL.appendingPathComponent("policies")
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BundledPolicyFiles.swift")
        let inputs = (FileManager.default.enumerator(atPath: policies.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
            .map { policies.appendingPathComponent($0) }
        return [
            .buildCommand(
                displayName: "Embedding bundled policies",
                executable: try context.tool(named: "EmbedPolicies").url,
                arguments: [policies.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
