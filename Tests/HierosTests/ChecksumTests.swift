import Foundation
@testable import HierosEngine
import HierosPolicy
import Testing

/// The check-digit validators of national identifiers (NationalIDChecksums.swift), on values
/// computed by hand from each specification, and on the checksum cases of Presidio's own tests.
@Suite("National identifier checksums")
struct ChecksumTests {
    static func passes(_ kind: Checksum, _ text: String) -> Bool {
        NationalIDChecksums.passes(kind, ArraySlice(Array(text.utf8)))
    }

    @Test(arguments: [
        // (checksum, valid values, invalid values)
        (Checksum.ukNHS, ["4010232137", "401-023-2137", "943 476 5919", "0032698674"],
         ["4010232138", "9434765918", "0000000000", "401023213"]),
        (Checksum.esNIF, ["12345678Z", "12345678-z", "1111111G", "01111111G", "X1234567L", "Y7654321-G", "z0123456c", "Y8063915-Z"],
         ["12345678A", "X1234567A", "W1234567L", "1234567Z", "X12345678L"]),
        (Checksum.itFiscalCode, ["RSSMRA85T10A562S", "AAAAAA00B11C333Y", "BNCGPP80A01H501E", "VRDLGU70M41F205M"],
         ["RSSMRA85T10A562T", "AAAAAA00B11C333N", "RSSMRA85Z10A562S", "A55AAA00B11C333N"]),
        (Checksum.plPESEL, ["44051401458", "02070803628", "11111111116", "90010101239"],
         ["44051401459", "11110021111", "44-051401458", "4405140145"]),
        (Checksum.sePersonnummer, ["811218-9876", "8112189876", "19811218-9876", "640823-3234", "9001011239"],
         ["811218-9877", "19001309-2393", "200504422381", "21811218-9876"]),
        (Checksum.frNIR, ["185057800608491", "1 85 05 78 006 084 91", "269014912031032", "1 85 05 2A 123 456 33"],
         ["185057800608436", "585057800608491", "185137800608491", "18505780060849"]),
        (Checksum.fiHETU, ["131052-308T", "010594Y9032", "020594X903P", "010516B903X"],
         ["131052-308U", "310289-211C", "012245A110G", "131052/308T"]),
        (Checksum.deTaxID, ["11234567890", "46230519688", "46230519661", "35740128590"],
         ["12345678903", "02345678903", "11112345678", "46230519689", "12222234567"]),
        (Checksum.trTCKN, ["10000000146", "76543210794", "36493665440", "12345678950"],
         ["12345678900", "02531814694", "10000000145", "1000000014"]),
        (Checksum.ibanExact, ["FR7630006000011234567890189", "AL47-2121-1009-0000-0002-3569-8741", "GB29 NWBK 6016 1331 9268 19"],
         ["FR7630006000011234567890188", "GB29 NWBK 6016 1331 9268 19 X", "AL47/2121/1009/0000/0002/3569/8741"]),
    ])
    func acceptsValidAndRejectsInvalid(_ kind: Checksum, _ valid: [String], _ invalid: [String]) {
        for value in valid { #expect(Self.passes(kind, value), "\(kind.rawValue) should accept \(value)") }
        for value in invalid { #expect(!Self.passes(kind, value), "\(kind.rawValue) should reject \(value)") }
    }

    @Test func policiesNameEveryChecksum() {
        let names = Checksum.allCases.map(\.rawValue)
        #expect(names == ["luhn", "iban", "iban-exact", "uk-nhs", "es-nif", "it-fiscal-code", "pl-pesel", "se-personnummer",
                          "fr-nir", "fi-hetu", "de-tax-id", "tr-tckn"])
    }

    @Test func impossibleDatesAreRejected() {
        #expect(NationalIDChecksums.isValidDate(year: 2024, month: 2, day: 29))
        #expect(!NationalIDChecksums.isValidDate(year: 2023, month: 2, day: 29))
        #expect(!NationalIDChecksums.isValidDate(year: 1900, month: 2, day: 29))
        #expect(NationalIDChecksums.isValidDate(year: 2000, month: 2, day: 29))
        #expect(!NationalIDChecksums.isValidDate(year: 2024, month: 4, day: 31))
        #expect(!NationalIDChecksums.isValidDate(year: 2024, month: 13, day: 1))
    }

    /// Presidio's checksum tests (`validate_result`) for the identifiers the pack shares with it.
    /// Two German tax IDs Presidio calls valid break the digit-frequency rule of §139b AO (ten
    /// distinct leading digits); we reject them on purpose.
    @Test func presidioValidationCasesAgree() throws {
        struct Case: Decodable {
            let entity: String
            let method: String
            let text: String
            let expected: Bool?
        }
        let url = PeerSuites.folder.appendingPathComponent("presidio-validation-cases.jsonl")
        try #require(FileManager.default.fileExists(atPath: url.path), "peer suites not found at \(PeerSuites.folder.path)")
        let cases = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
        let kinds: [String: Checksum] = ["PL_PESEL": .plPESEL, "DE_TAX_ID": .deTaxID]
        let disputed: Set<String> = ["12345678903", "98765432106"]
        var checked = 0
        for item in cases where item.method == "validate_result" {
            guard let kind = kinds[item.entity], let expected = item.expected else { continue }
            checked += 1
            let verdict = Self.passes(kind, item.text)
            if disputed.contains(item.text) {
                #expect(!verdict, "\(item.text): ten distinct leading digits is not a valid Steuer-IdNr")
            } else {
                #expect(verdict == expected, "\(item.entity) \(item.text): expected \(expected)")
            }
        }
        #expect(checked == 20)
    }
}
