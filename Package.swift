// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Hieros",
    platforms: [.macOS(.v15)],  // Synchronization's Mutex
    products: [
        .executable(name: "hieros", targets: ["hieros"]),
        .library(
            name: "Hieros",
            targets: ["HierosEngine", "HierosPolicy", "HierosText", "HierosPCRE2", "HierosBundledPolicies"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C shim: the only place that sees pcre2.h.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // C shim for glibc's mallopt, used by the executable only (see Sources/hieros/Allocator.swift).
        .systemLibrary(name: "CMalloc"),
        // SIMD loops in C where Swift's vectoriser does not reach (sign masks, separator masks).
        .target(name: "CByteKernels"),
        // The only user of CPCRE2: compiled patterns, matching, limits, errors.
        .target(name: "HierosPCRE2", dependencies: ["CPCRE2"]),
        // Text normalisation (standard section 10) with a map back to original offsets.
        .target(name: "HierosText", dependencies: ["CByteKernels"]),
        // Policy model and loader: YAML -> validated, compiled, immutable policy set.
        .target(
            name: "HierosPolicy",
            dependencies: [
                "HierosPCRE2", "HierosText", "HierosSources", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Text -> classification; no I/O, no printing.
        .target(name: "HierosEngine", dependencies: ["HierosPolicy", "HierosPCRE2", "HierosText", "CByteKernels"]),
        // Inputs: files, stdin, JSONL streams, project configuration.
        .target(name: "HierosSources"),
        // Document text extraction (OOXML, MIME mail, HTML, PDF through pdftotext) for batch scans.
        .target(name: "HierosExtract", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Folder walks, git's index, parallel document scans, inline suppressions, baselines.
        .target(
            name: "HierosScan",
            dependencies: [
                "HierosEngine", "HierosPolicy", "HierosText", "HierosSources", "HierosExtract", "HierosReports",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Imports of other tools' configurations (gitleaks TOML) into Hieros policy YAML.
        .target(
            name: "HierosImport",
            dependencies: [
                "HierosPolicy", .product(name: "TOMLKit", package: "TOMLKit"), .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Output formats: pure types, findings in, bytes out.
        .target(name: "HierosReports", dependencies: ["HierosEngine", "HierosEval"]),
        // Corpus evaluation: labelled items in, metrics out.
        .target(name: "HierosEval", dependencies: ["HierosEngine"]),
        // The bundled policies/ folder, embedded at build time so that an installed binary
        // needs no files beside it.
        .target(
            name: "HierosBundledPolicies",
            plugins: [.plugin(name: "EmbedPoliciesPlugin")]
        ),
        .executableTarget(name: "EmbedPolicies"),
        .plugin(
            name: "EmbedPoliciesPlugin",
            capability: .buildTool(),
            dependencies: ["EmbedPolicies"]
        ),
        .executableTarget(
            name: "hieros",
            dependencies: [
                "HierosEngine", "HierosPolicy", "HierosSources", "HierosReports", "HierosEval",
                "HierosBundledPolicies", "HierosImport", "HierosScan", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // A release binary carries the Swift runtime and Foundation: it starts faster (no
            // dynamic loading and relocation of libswiftCore and libFoundation), which is a fair
            // part of a one-post `check`, and it runs on a machine without a Swift toolchain.
            // `-static-stdlib` alone does not pull in Foundation's own static libraries (SwiftPM's
            // `--static-swift-stdlib` compiles against a different resource directory), hence the
            // group; libpcre2-8, libz and libstdc++ stay dynamic. `-no-pie`: a position-independent
            // binary of this size spends about 2 ms of every start applying 87,000 relocations.
            linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xclang-linker", "-no-pie", "-Xlinker", "--start-group", "-lFoundation", "-lFoundationEssentials", "-lFoundationInternationalization", "-lCoreFoundation", "-l_FoundationICU", "-l_FoundationCShims", "-l_FoundationCollections", "-lswiftSynchronization", "-lswiftDispatch", "-ldispatch", "-lBlocksRuntime", "-Xlinker", "--end-group", "-lstdc++"], .when(configuration: .release))]
        ),
        .testTarget(
            name: "HierosTests",
            dependencies: [
                "HierosPCRE2", "HierosText", "HierosPolicy", "HierosEngine", "HierosSources", "HierosReports",
                "HierosEval", "HierosBundledPolicies", "HierosImport", "HierosExtract", "HierosScan", "hieros", "CByteKernels",
            ],
            exclude: ["Fixtures"]
        ),
    ]
)
