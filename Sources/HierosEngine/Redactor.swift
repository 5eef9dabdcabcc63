import HierosPolicy

/// Writes an item with every finding above a level masked, so that a blocked post gets a
/// publishable version. The output stays valid UTF-8 (each masked character becomes `█`,
/// whitespace is kept so the layout survives) and nothing outside the findings changes.
public enum Redactor {
    public static let mask = "█"

    /// `bytes` with the findings of `classification` above `maxLevel` masked.
    public static func redact(_ bytes: [UInt8], classification: Classification, above maxLevel: Level) -> [UInt8] {
        let ranges = merged(classification.findings.filter { $0.level > maxLevel }.map(\.range))
        guard !ranges.isEmpty else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var cursor = 0
        for range in ranges {
            output += bytes[cursor..<range.lowerBound]
            var index = range.lowerBound
            while index < range.upperBound {
                let byte = bytes[index]
                if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    output.append(byte)
                    index += 1
                    continue
                }
                let length = byte < 0x80 ? 1 : (byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1)
                output += Array(mask.utf8)
                index = min(range.upperBound, index + length)
            }
            cursor = range.upperBound
        }
        output += bytes[cursor...]
        return output
    }

    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
