import CByteKernels
import Foundation

/// Applies the standard's normalisation (section 10, E1–E6) to an item.
///
/// Non-ASCII whitespace becomes a space (a line break for U+0085, U+2028, U+2029);
/// E1 invisible characters are deleted; E2 NFKC folds compatibility forms and typographic
/// quotes and dashes are folded to ASCII, decimal digits of every script become ASCII digits;
/// E3 diacritics are removed; E6 runs of three or more single letters separated by one
/// repeated separator are joined. Case is kept (S2(d) needs it). Bytes that are not valid
/// UTF-8 are passed through unchanged.
public struct TextNormalizer: Sendable {
    /// The invisible characters of E1, deleted by normalisation (and hidden in excerpts).
    public static let invisibleScalars: Set<UInt32> = [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E, 0x00AD]

    /// Whether letter-spaced words (`K E S T R E L`) are joined (E6).
    public var joinsSpacedLetters: Bool

    public init(joinsSpacedLetters: Bool = true) {
        self.joinsSpacedLetters = joinsSpacedLetters
    }

    /// Normalises `bytes`, keeping a map back to them.
    public func normalize(_ bytes: [UInt8]) -> NormalizedText {
        var folder = ScalarFolder()
        let (folded, foldMap, invalidOffset) = folder.fold(bytes)
        guard joinsSpacedLetters else {
            return NormalizedText(original: bytes, bytes: folded, maps: [foldMap], firstInvalidUTF8Offset: invalidOffset)
        }
        let (joined, joinMap) = SpacedLetterJoiner.join(folded)
        return NormalizedText(
            original: bytes, bytes: joined, maps: [foldMap, joinMap], firstInvalidUTF8Offset: invalidOffset)
    }

    /// Normalises a policy string (a pattern, a term, a keyword) the way items are normalised,
    /// so that what an author writes with accents or typographic quotes still matches.
    public func normalize(_ string: String) -> String {
        String(decoding: normalize(Array(string.utf8)).bytes, as: UTF8.self)
    }
}

/// E1, E2, E3 on each scalar, cached per scalar for the duration of one item.
struct ScalarFolder {
    private var cache: [UInt32: [UInt8]] = [:]

    static let invisible = TextNormalizer.invisibleScalars

    /// `fold(_:)` one scalar at a time in Swift: the definition the kernel's fold is tested
    /// against, and what folds a text whose folding grows beyond the kernel's room (`fold`).
    mutating func foldScalarByScalar(_ bytes: [UInt8]) -> ([UInt8], OffsetMap, Int?) {
        var output = FoldOutput()
        var firstInvalid: Int?
        let count = bytes.count
        bytes.withUnsafeBufferPointer { source in
            var index = 0
            while index < count {
                let lead = source[index]
                if lead < 0x80 {
                    // Pass the whole ASCII run at once: most text is mostly ASCII (SSE2, `CByteKernels`).
                    index = hieros_first_non_ascii(source.baseAddress!, index + 1, count)  // not empty: `index < count`
                    continue
                }
                guard let (scalar, length) = UTF8Decoding.scalar(in: bytes, at: index) else {
                    if firstInvalid == nil { firstInvalid = index }
                    index += 1  // passed through unchanged
                    continue
                }
                if scalar < 0x800, let packed = Self.packedReplacement(for: scalar) {
                    // Two-byte scalars (Latin, Greek, Cyrillic…): the common case of accented text.
                    let replacementCount = Int(packed >> 24 & 0x3)
                    if replacementCount != length || packed & 0xFF != UInt32(lead) || packed >> 8 & 0xFF != UInt32(source[index + 1]) {
                        output.rewrite(source, at: index, length: length, replacementCount: replacementCount) { output in
                            for position in 0..<replacementCount {
                                output.append(UInt8(truncatingIfNeeded: packed >> UInt32(position * 8)))
                            }
                        }
                    }
                    index += length
                    continue
                }
                let replacement = replacement(for: scalar)
                if !replacement.elementsEqual(source[index..<(index + length)]) {
                    output.rewrite(source, at: index, length: length, replacementCount: replacement.count) {
                        $0.append(contentsOf: replacement)
                    }
                }
                index += length
            }
        }
        guard !output.map.isIdentity else { return (bytes, output.map, firstInvalid) }
        bytes.withUnsafeBufferPointer { output.copyVerbatim($0, upTo: count) }
        return (output.bytes, output.map, firstInvalid)
    }

    /// The replacement of a scalar below U+0800 packed as `1 << 31 | count << 24 | bytes`
    /// (little-endian), when it is at most 3 bytes long. Precomputed (TwoByteFolding.swift):
    /// computing them went through Foundation's normaliser, whose first use was a fair part of a
    /// one-post check, and each item paid again for each accented letter.
    @inline(__always)
    static func packedReplacement(for scalar: UInt32) -> UInt32? {
        let entry = TwoByteFolding.table[Int(scalar)]
        return entry & (1 << 31) != 0 ? entry : nil
    }

    /// `replacement` packed as in TwoByteFolding (`1 << 30`: longer than 3 bytes).
    static func packed(_ replacement: [UInt8]) -> UInt32 {
        guard replacement.count <= 3 else { return 1 << 30 }
        var entry = 1 << 31 | UInt32(replacement.count) << 24
        for (position, byte) in replacement.enumerated() { entry |= UInt32(byte) << UInt32(position * 8) }
        return entry
    }

    mutating func replacement(for scalar: UInt32) -> [UInt8] {
        if let cached = cache[scalar] { return cached }
        let result = Self.computeReplacement(for: scalar)
        cache[scalar] = result
        return result
    }

    static func computeReplacement(for value: UInt32) -> [UInt8] {
        if invisible.contains(value) { return [] }
        switch value {
        case 0x2018, 0x2019, 0x201A, 0x201B: return Array("'".utf8)
        case 0x201C, 0x201D, 0x201E, 0x201F: return Array("\"".utf8)
        case 0x2010...0x2015: return Array("-".utf8)
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { return [] }
        // Unicode line and paragraph separators are line breaks, other spaces are spaces, so
        // that word counting and phrase separators only ever see ASCII whitespace.
        if scalar.properties.isWhitespace {
            return [0x2028, 0x2029, 0x0085].contains(value) ? [0x0A] : [0x20]
        }
        let compatible = String(Character(scalar)).precomposedStringWithCompatibilityMapping
        let stripped = compatible.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            $0.properties.generalCategory != .nonspacingMark && !invisible.contains($0.value)
        }
        // Decimal digits of every script read as ASCII digits: `\d` then means the same with or
        // without UCP, and the engine's digit prefilter need only look for 0-9.
        let digits = stripped.map { scalar -> Unicode.Scalar in
            guard scalar.value >= 0x80, scalar.properties.numericType == .decimal,
                  let value = scalar.properties.numericValue else { return scalar }
            return Unicode.Scalar(0x30 + UInt8(value))
        }
        var text = String(String.UnicodeScalarView(digits))
        // NFKC may produce typographic characters of its own (e.g. from compatibility forms).
        if text.unicodeScalars.contains(where: { $0.value >= 0x2010 && $0.value <= 0x201F }) {
            text = String(text.unicodeScalars.map { Character(Unicode.Scalar(fold($0.value)) ?? $0) })
        }
        return Array(text.precomposedStringWithCanonicalMapping.utf8)
    }

    private static func fold(_ value: UInt32) -> UInt32 {
        switch value {
        case 0x2018, 0x2019, 0x201A, 0x201B: return 0x27
        case 0x201C, 0x201D, 0x201E, 0x201F: return 0x22
        case 0x2010...0x2015: return 0x2D
        default: return value
        }
    }
}

/// The folded text as it is built: the rewritten pieces, and what lies between them copied in
/// one piece when the next rewrite comes (`verbatim`: where that stretch of the source starts).
private struct FoldOutput {
    var bytes: [UInt8] = []
    var map = OffsetMap()
    var verbatim = 0

    /// Copies the unchanged stretch before `index`.
    @inline(__always)
    mutating func copyVerbatim(_ source: UnsafeBufferPointer<UInt8>, upTo index: Int) {
        if bytes.isEmpty { bytes.reserveCapacity(source.count) }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[verbatim..<index]))
    }

    /// Replaces the `length` bytes at `index` by the `replacementCount` bytes `write` appends.
    @inline(__always)
    mutating func rewrite(_ source: UnsafeBufferPointer<UInt8>, at index: Int, length: Int, replacementCount: Int,
                          _ write: (inout [UInt8]) -> Void) {
        copyVerbatim(source, upTo: index)
        map.record(rewritten: bytes.count, rewrittenLength: replacementCount, original: index, originalLength: length)
        write(&bytes)
        verbatim = index + length
    }
}

/// E6: `K E S T R E L`, `k.e.s.t.r.e.l`, `O-R-I-O-N` read as one word.
enum SpacedLetterJoiner {
    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x2E || byte == 0x2D || byte == 0x5F }
    static let minimumLetters = 3

    /// The joined text and its map. A text without a run comes back as it is, not copied: runs
    /// are rare, and copying every piece of a large scan once more cost more than the search.
    static func join(_ bytes: [UInt8]) -> ([UInt8], OffsetMap) {
        var output: [UInt8] = []
        var map = OffsetMap()
        var index = 0
        var verbatim = 0  // bytes[verbatim..<index] are still to be copied, unchanged
        let count = bytes.count
        while index < count {
            // Only a letter followed by a separator can start a run; skip everything up to one.
            // A run needs a letter, a separator and a letter, as single letters: test all of that
            // here, or every word followed by a space would be a candidate.
            var next = index
            bytes.withUnsafeBufferPointer { buffer in
                while next + 2 < count {
                    // A run at n has the same separator at n+1 and n+3: skip sixteen starts at a
                    // time (SSE2, `CByteKernels`) to one where both may be separators…
                    next = hieros_spaced_letter_candidate(buffer.baseAddress!, next, count)  // not empty: `index < count`
                    // …then test twelve from there one by one (and the last few of the text).
                    let end = min(next + 12, count - 2)
                    while next < end {
                        if isSeparator(buffer[next + 1]), isLetter(buffer[next]), isLetter(buffer[next + 2]),
                           next == 0 || !isAlphanumeric(buffer[next - 1]),
                           next + 3 >= count || !isAlphanumeric(buffer[next + 3]) { return }
                        next += 1
                    }
                }
            }
            if next + 2 >= count { break }
            index = next
            guard let runEnd = spacedRun(in: bytes, at: index) else {
                index += 1
                continue
            }
            if output.isEmpty { output.reserveCapacity(count) }
            output.append(contentsOf: bytes[verbatim..<index])
            var position = index
            while position < runEnd {
                if position % 2 == index % 2 {
                    output.append(bytes[position])
                } else {
                    map.record(rewritten: output.count, rewrittenLength: 0, original: position, originalLength: 1)
                }
                position += 1
            }
            index = runEnd
            verbatim = runEnd
        }
        guard !map.isIdentity else { return (bytes, map) }
        output.append(contentsOf: bytes[verbatim..<count])
        return (output, map)
    }

    /// The end of a spaced-letter run starting at `start`, or nil when there is none.
    private static func spacedRun(in bytes: [UInt8], at start: Int) -> Int? {
        guard isLetter(bytes[start]), start == 0 || !isAlphanumeric(bytes[start - 1]) else { return nil }
        guard start + 2 < bytes.count, isSeparator(bytes[start + 1]) else { return nil }
        if start >= 2, bytes[start - 1] == bytes[start + 1], isLetter(bytes[start - 2]),
           start == 2 || !isAlphanumeric(bytes[start - 3]) {
            return nil  // inside a spaced run that did not qualify at its real start
        }
        let separator = bytes[start + 1]
        var letters = 1
        var position = start
        while position + 2 < bytes.count, bytes[position + 1] == separator, isLetter(bytes[position + 2]),
              position + 3 >= bytes.count || !isAlphanumeric(bytes[position + 3]) {
            letters += 1
            position += 2
        }
        guard letters >= minimumLetters else { return nil }
        return position + 1
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool { ByteScan.isASCIIAlphanumeric(byte) || byte >= 0x80 }
}
