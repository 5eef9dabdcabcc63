/// `hieros:allow RULE-ID reason` on the line of a finding or the line before suppresses that
/// rule there (repositories only; `check` on posts never honours it). A reason is required:
/// a bare marker does not suppress, so that every accepted finding says why.
enum InlineSuppression {
    static let marker = "hieros:allow"
    private static let markerBytes = Array(marker.utf8)

    /// The reason given for `rule` on the line holding `range` of `bytes`, or the line before.
    static func reason(for rule: String, at range: Range<Int>, in bytes: [UInt8]) -> String? {
        var lineStart = min(range.lowerBound, bytes.count)
        while lineStart > 0, bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var lineEnd = range.lowerBound
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        var previousStart = max(0, lineStart - 1)
        while previousStart > 0, bytes[previousStart - 1] != 0x0A { previousStart -= 1 }
        // Nearly no line holds a marker: look for its bytes before decoding the lines.
        guard containsMarker(bytes[previousStart..<lineEnd]) else { return nil }
        let previous = lineStart > 0 ? Substring(String(decoding: bytes[previousStart..<(lineStart - 1)], as: UTF8.self)) : ""
        let current = Substring(String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self))
        return reason(for: rule, line: 2, lines: [previous, current])
    }

    private static func containsMarker(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= markerBytes.count else { return false }
        for start in bytes.startIndex...(bytes.endIndex - markerBytes.count) where bytes[start] == markerBytes[0] {
            if bytes[start..<(start + markerBytes.count)].elementsEqual(markerBytes) { return true }
        }
        return false
    }

    /// The reason given for `rule` on line `line` (1-based) or the line before it, if any.
    static func reason(for rule: String, line: Int, lines: [Substring]) -> String? {
        for index in [line - 1, line - 2] where index >= 0 && index < lines.count {
            let text = lines[index]
            var search = text[...]
            while let found = search.range(of: marker) {
                let rest = search[found.upperBound...].drop { $0 == " " || $0 == "\t" }
                let id = rest.prefix { !$0.isWhitespace }
                let reason = rest.dropFirst(id.count).trimmingCharacters(in: .whitespaces)
                let cleaned = reason.trimmingCharacters(in: CharacterSet(charactersIn: "*/-#>").union(.whitespaces))
                if id == rule && !cleaned.isEmpty { return cleaned }
                search = search[found.upperBound...]
            }
        }
        return nil
    }
}

import Foundation
