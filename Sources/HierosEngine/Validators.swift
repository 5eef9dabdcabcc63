import HierosPolicy

/// Runs a `Validator` on the bytes of a match; returns the accepted range (validators may
/// narrow it, e.g. an IBAN without its trailing groups) or nil when the match is rejected.
enum ValidatorRunner {
    static func accept(_ validator: Validator, bytes: [UInt8], range: Range<Int>) -> Range<Int>? {
        switch validator {
        case .checksum(.luhn): return passesLuhn(bytes[range]) ? range : nil
        case .checksum(.iban): return ibanRange(bytes: bytes, range: range)
        case .checksum(let kind): return NationalIDChecksums.passes(kind, bytes[range]) ? range : nil
        case .entropy(let minimum): return shannonEntropy(bytes[range]) >= minimum ? range : nil
        }
    }

    /// Luhn over the digits of `text`; other characters (spaces, hyphens) are ignored.
    static func passesLuhn(_ text: ArraySlice<UInt8>) -> Bool {
        let digits = text.filter { $0 >= 0x30 && $0 <= 0x39 }.map { Int($0 - 0x30) }
        guard digits.count >= 2 else { return false }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            if index % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// The IBAN within `range`: the whole candidate, or (standard I10) the candidate with whole
    /// trailing space-separated groups removed, whichever first passes mod-97.
    static func ibanRange(bytes: [UInt8], range: Range<Int>) -> Range<Int>? {
        var end = range.upperBound
        while end - range.lowerBound >= 15 {
            if passesMod97(bytes[range.lowerBound..<end]) { return range.lowerBound..<end }
            guard let space = bytes[range.lowerBound..<end].lastIndex(of: 0x20) else { return nil }
            end = space
        }
        return nil
    }

    /// ISO 13616: move the first four characters to the end, letters to numbers, mod 97 == 1.
    static func passesMod97(_ text: ArraySlice<UInt8>) -> Bool {
        let characters = text.filter { $0 != 0x20 }.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
        guard characters.count >= 15, characters.count <= 34 else { return false }
        guard characters.prefix(2).allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }),
              characters.dropFirst(2).prefix(2).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        var remainder = 0
        for character in characters.dropFirst(4) + characters.prefix(4) {
            switch character {
            case 0x30...0x39: remainder = (remainder * 10 + Int(character - 0x30)) % 97
            case 0x41...0x5A: remainder = (remainder * 100 + Int(character - 0x41 + 10)) % 97
            default: return false
            }
        }
        return remainder == 1
    }

    /// Shannon entropy in bits per character (UTF-8 scalars).
    static func shannonEntropy(_ text: ArraySlice<UInt8>) -> Double {
        let scalars = Array(String(decoding: text, as: UTF8.self).unicodeScalars)
        guard !scalars.isEmpty else { return 0 }
        var counts: [Unicode.Scalar: Int] = [:]
        for scalar in scalars { counts[scalar, default: 0] += 1 }
        let total = Double(scalars.count)
        return counts.values.reduce(0) { sum, count in
            let p = Double(count) / total
            return sum - p * log2(p)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
