/// An item in its normalised form, with the way back to the original bytes.
public struct NormalizedText: Sendable {
    /// The original UTF-8 bytes (possibly invalid UTF-8).
    public let original: [UInt8]
    /// The normalised bytes rules run on.
    public let bytes: [UInt8]
    /// Maps are applied last-first: each one maps its output back to its input.
    let maps: [OffsetMap]
    /// Byte offset of the first invalid UTF-8 sequence in the original, if any.
    public let firstInvalidUTF8Offset: Int?

    init(original: [UInt8], bytes: [UInt8], maps: [OffsetMap], firstInvalidUTF8Offset: Int?) {
        self.original = original
        self.bytes = bytes
        self.maps = maps.filter { !$0.isIdentity }
        self.firstInvalidUTF8Offset = firstInvalidUTF8Offset
    }

    /// The original byte range that the normalised byte range `range` came from.
    public func originalRange(_ range: Range<Int>) -> Range<Int> {
        maps.reversed().reduce(range) { $1.originalRange($0) }
    }
}
