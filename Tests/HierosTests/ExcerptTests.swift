@testable import HierosEngine
import Testing

@Suite("Masked excerpts")
struct ExcerptTests {
    /// The ASCII path masks as the character path does: every string of up to seven bytes
    /// drawn from letters, digits, the whitespace bytes, control and punctuation bytes, and
    /// longer strings of the same bytes, at every length the star count depends on.
    @Test func theASCIIPathMasksAsCharactersDo() {
        let alphabet: [UInt8] = Array("aZ0 -*".utf8) + [0x09, 0x0A, 0x0B, 0x0C, 0x1F, 0x7F]
        var checked = 0
        func check(_ bytes: [UInt8]) {
            #expect(Excerpt.maskedASCII(bytes[...]) == Excerpt.maskedCharacters(bytes[...]), "\(bytes)")
            checked += 1
        }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in 0...24 {
            for _ in 0..<400 {
                var bytes: [UInt8] = []
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    bytes.append(alphabet[Int(state >> 33) % alphabet.count])
                }
                check(bytes)
            }
        }
        #expect(checked == 25 * 400)
        #expect(Excerpt.masked(Array("TOKEN\tSECRET".utf8)[...]) == "TO********ET")
        #expect(Excerpt.masked(Array("ab\r\ncd ef".utf8)[...]) == Excerpt.maskedCharacters(Array("ab\r\ncd ef".utf8)[...]))
    }
}
