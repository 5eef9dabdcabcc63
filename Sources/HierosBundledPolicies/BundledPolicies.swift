// The policies/ folder of this repository, compiled into the binary by EmbedPoliciesPlugin
// (see BundledPolicyFiles.swift in the plugin's output). Nothing here reads the disk.

/// Where bundled policies are reported as coming from, e.g. `<bundled>/policies/codenames.yaml`.
public let bundledPolicyPrefix = "<bundled>/policies/"
