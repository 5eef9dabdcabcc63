import CByteKernels

extension ScalarFolder {
    /// Pieces of the map passed from the kernel at a time.
    static let pieceBatch = 1024

    /// The folded text, its map, and the offset of the first byte that is not UTF-8. Unchanged
    /// stretches are copied in one piece when the next change comes, and a text without any
    /// change (plain ASCII, most posts and code) comes back as it is, not copied.
    ///
    /// ASCII runs, two-byte scalars and the three-byte ones seen before are folded by the
    /// kernel of `CByteKernels`; the rest (a first three-byte scalar, four-byte scalars, bytes
    /// that are not UTF-8, foldings longer than three bytes) here. The output is sized for
    /// foldings of at most three bytes for two, with room to spare; a text whose longer
    /// foldings (`½` is `1⁄2`) outgrow it is folded again by `foldScalarByScalar`.
    mutating func fold(_ bytes: [UInt8]) -> ([UInt8], OffsetMap, Int?) {
        var map = OffsetMap()
        var firstInvalid: Int?
        var folded: [UInt8]?
        var outgrown = false
        bytes.withUnsafeBufferPointer { source in
            TwoByteFolding.table.withUnsafeBufferPointer { table in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 512) { cache in
                    cache.initialize(repeating: 0)
                    withUnsafeTemporaryAllocation(of: Int64.self, capacity: 4 * Self.pieceBatch) { pieces in
                        var state = hieros_fold(
                            source: source.baseAddress, count: source.count, out: nil, out_capacity: 0, written: 0,
                            verbatim: 0, pieces: pieces.baseAddress, piece_capacity: Self.pieceBatch, piece_count: 0,
                            two_byte: table.baseAddress, cache_keys: cache.baseAddress, cache_values: cache.baseAddress! + 256)
                        var index = 0
                        guard run(&state, from: &index, source: bytes, map: &map, firstInvalid: &firstInvalid) == .needsOutput
                        else { return }
                        folded = [UInt8](unsafeUninitializedCapacity: source.count + source.count / 2 + 16) { out, initialized in
                            state.out = out.baseAddress
                            state.out_capacity = out.count
                            guard run(&state, from: &index, source: bytes, map: &map, firstInvalid: &firstInvalid) == .done else {
                                outgrown = true
                                initialized = 0
                                return
                            }
                            let rest = source.count - state.verbatim
                            (out.baseAddress! + state.written).update(from: source.baseAddress! + state.verbatim, count: rest)
                            initialized = state.written + rest
                        }
                        Self.takePieces(&state, into: &map)
                    }
                }
            }
        }
        if outgrown { return foldScalarByScalar(bytes) }
        guard let folded, !map.isIdentity else { return (bytes, OffsetMap(), firstInvalid) }
        return (folded, map, firstInvalid)
    }

    private enum Stop { case done, needsOutput, outgrown }

    /// Runs the kernel from `index` to the end of the text, handling the scalars it leaves;
    /// without output yet, stops at the first change.
    private mutating func run(_ state: inout hieros_fold, from index: inout Int, source: [UInt8], map: inout OffsetMap,
                              firstInvalid: inout Int?) -> Stop {
        while true {
            switch Int(hieros_fold_run(&state, &index)) {
            case Int(HIEROS_FOLD_DONE): return .done
            case Int(HIEROS_FOLD_NEEDS_OUTPUT): return .needsOutput
            case Int(HIEROS_FOLD_PIECES_FULL): Self.takePieces(&state, into: &map)
            default:
                guard let (scalar, length) = UTF8Decoding.scalar(in: source, at: index) else {
                    if firstInvalid == nil { firstInvalid = index }
                    index += 1  // passed through unchanged
                    continue
                }
                let replacement = replacement(for: scalar)
                if length == 3, replacement.count <= 3 {
                    // Into the kernel's cache: it folds this scalar now, and the next ones.
                    state.cache_keys[Int(scalar & 0xFF)] = scalar
                    state.cache_values[Int(scalar & 0xFF)] = Self.packed(replacement)
                    continue
                }
                if replacement.elementsEqual(source[index..<(index + length)]) {
                    index += length
                    continue
                }
                guard state.out != nil else { return .needsOutput }
                // Room for this folding and for what the kernel may write after it.
                let written = state.written + (index - state.verbatim) + replacement.count
                guard written + (source.count - index - length) * 3 / 2 + 3 <= state.out_capacity else { return .outgrown }
                if state.piece_count == state.piece_capacity { Self.takePieces(&state, into: &map) }
                replacement.withUnsafeBufferPointer { hieros_fold_rewrite(&state, index, length, $0.baseAddress, $0.count) }
                index += length
            }
        }
    }

    /// Moves the kernel's pieces into `map`.
    private static func takePieces(_ state: inout hieros_fold, into map: inout OffsetMap) {
        // `Int` is 64 bits wherever Swift runs Hieros (the package builds for 64-bit Linux and macOS).
        UnsafeRawPointer(state.pieces!).withMemoryRebound(to: Int.self, capacity: 4 * state.piece_count) {
            map.record(pieces: UnsafeBufferPointer(start: $0, count: 4 * state.piece_count))
        }
        state.piece_count = 0
    }
}
