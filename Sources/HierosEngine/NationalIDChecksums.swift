import HierosPolicy

/// Check digits and structural rules of national identifiers and account numbers (the
/// `personal-data` pack).
///
/// Each check takes the reported text of a match (normalised UTF-8; separators such as spaces,
/// hyphens and dots are ignored where the format allows them) and says whether it is a
/// well-formed identifier. A pattern finds the shape; these functions only reject what the
/// issuing authority would never issue: a wrong check digit, an impossible date, a reserved
/// digit structure. They never widen a match.
enum NationalIDChecksums {
    static func passes(_ kind: Checksum, _ text: ArraySlice<UInt8>) -> Bool {
        switch kind {
        case .luhn: return ValidatorRunner.passesLuhn(text)
        case .iban: return ValidatorRunner.passesMod97(text)
        case .ibanExact: return ValidatorRunner.passesMod97(ArraySlice(text.filter { $0 != 0x2D }))
        case .ukNHS: return ukNHS(text)
        case .esNIF: return esNIF(text)
        case .itFiscalCode: return itFiscalCode(text)
        case .plPESEL: return plPESEL(text)
        case .sePersonnummer: return sePersonnummer(text)
        case .frNIR: return frNIR(text)
        case .fiHETU: return fiHETU(text)
        case .deTaxID: return deTaxID(text)
        case .trTCKN: return trTCKN(text)
        }
    }

    // MARK: United Kingdom

    /// NHS number: 10 digits; weights 10 down to 2 on the first nine, check = 11 - (sum mod 11),
    /// 11 reads 0 and 10 is never issued. A run of one repeated digit is not a number.
    static func ukNHS(_ text: ArraySlice<UInt8>) -> Bool {
        let d = digits(text)
        guard d.count == 10, Set(d).count > 1 else { return false }
        let sum = (0..<9).reduce(0) { $0 + d[$1] * (10 - $1) }
        let check = (11 - sum % 11) % 11
        return check != 10 && check == d[9]
    }

    // MARK: Spain

    /// DNI/NIF (7 or 8 digits) or NIE (`X`, `Y` or `Z` read as 0, 1, 2, then 7 digits),
    /// followed by the control letter of the number mod 23.
    static func esNIF(_ text: ArraySlice<UInt8>) -> Bool {
        var chars = upperAlphanumerics(text)
        guard let letter = chars.popLast(), isLetter(letter), let first = chars.first else { return false }
        if let prefix = [UInt8(ascii: "X"), UInt8(ascii: "Y"), UInt8(ascii: "Z")].firstIndex(of: first) {
            guard chars.count == 8 else { return false }
            chars[0] = UInt8(ascii: "0") + UInt8(prefix)
        }
        guard (7...8).contains(chars.count), chars.allSatisfy(isDigit) else { return false }
        let number = chars.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let letters = Array("TRWAGMYFPDXBNJZSQVHLCKE".utf8)
        return letters[number % 23] == letter
    }

    // MARK: Italy

    /// Codice fiscale: 6 letters (surname, name), 2 year digits, month letter, 2 day digits,
    /// 4 characters of the place of birth, and the control letter. Digits of the year, day and
    /// place may be replaced by the omocodia letters L M N P Q R S T U V.
    static func itFiscalCode(_ text: ArraySlice<UInt8>) -> Bool {
        let chars = upperAlphanumerics(text)
        guard chars.count == 16 else { return false }
        let omocodia = Array("LMNPQRSTUV".utf8)
        func digitLike(_ c: UInt8) -> Bool { isDigit(c) || omocodia.contains(c) }
        let shape = chars.enumerated().allSatisfy { index, c in
            switch index {
            case 0...5, 11, 15: return isLetter(c)
            case 8: return Array("ABCDEHLMPRST".utf8).contains(c)
            default: return digitLike(c)
            }
        }
        guard shape else { return false }
        // Values of a character in an odd (1st, 3rd, …) position, for 0-9 and for A-Z.
        let odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
        var sum = 0
        for (index, c) in chars.prefix(15).enumerated() {
            let value = isDigit(c) ? Int(c - 0x30) : Int(c - 0x41)
            sum += index % 2 == 0 ? odd[value] : value
        }
        return chars[15] == UInt8(0x41 + sum % 26)
    }

    // MARK: Poland

    /// PESEL: exactly 11 digits (it is never written with separators): YYMMDD with the century
    /// in the month (+80 1800s, +0 1900s, +20 2000s, +40, +60), a serial, and a check digit
    /// with weights 1 3 7 9 1 3 7 9 1 3.
    static func plPESEL(_ text: ArraySlice<UInt8>) -> Bool {
        guard text.count == 11, text.allSatisfy(isDigit) else { return false }
        let d = digits(text)
        let encodedMonth = d[2] * 10 + d[3]
        let centuries = [80: 1800, 0: 1900, 20: 2000, 40: 2100, 60: 2200]
        guard let offset = centuries.keys.first(where: { (1...12).contains(encodedMonth - $0) }),
              let century = centuries[offset],
              isValidDate(year: century + d[0] * 10 + d[1], month: encodedMonth - offset, day: d[4] * 10 + d[5])
        else { return false }
        let weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]
        let sum = zip(d, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return (10 - sum % 10) % 10 == d[10]
    }

    // MARK: Sweden

    /// Personnummer (YYMMDD-NNNC, or with the century YYYYMMDDNNNC) or samordningsnummer (day
    /// + 60): a valid date and Luhn over the ten digits without the century.
    static func sePersonnummer(_ text: ArraySlice<UInt8>) -> Bool {
        var d = digits(text)
        if d.count == 12 {
            guard (18...20).contains(d[0] * 10 + d[1]) else { return false }
            d.removeFirst(2)
        }
        guard d.count == 10 else { return false }
        let month = d[2] * 10 + d[3]
        var day = d[4] * 10 + d[5]
        if day > 60 { day -= 60 }
        // The century is unknown in the short form: accept 29 February.
        guard isValidDate(year: 2000 + d[0] * 10 + d[1], month: month, day: day)
                || (month == 2 && day == 29) else { return false }
        return ValidatorRunner.passesLuhn(ArraySlice(d.map { UInt8($0) + 0x30 }))
    }

    // MARK: France

    /// NIR (numéro de sécurité sociale): sex, year, month (01-12, or 20 and 30-42 and 50-99 for
    /// unknown months), département (2A/2B for Corsica), commune, order, then the key
    /// 97 - (the 13-digit number mod 97), Corsica read as 19 (2A) and 18 (2B).
    static func frNIR(_ text: ArraySlice<UInt8>) -> Bool {
        var chars = upperAlphanumerics(text)
        guard chars.count == 15, Array("123478".utf8).contains(chars[0]) else { return false }
        switch (chars[5], chars[6]) {
        case (UInt8(ascii: "2"), UInt8(ascii: "A")): chars[5] = UInt8(ascii: "1"); chars[6] = UInt8(ascii: "9")
        case (UInt8(ascii: "2"), UInt8(ascii: "B")): chars[5] = UInt8(ascii: "1"); chars[6] = UInt8(ascii: "8")
        default: break
        }
        guard chars.allSatisfy(isDigit) else { return false }
        let d = chars.map { Int($0 - 0x30) }
        let month = d[3] * 10 + d[4]
        guard (1...12).contains(month) || month == 20 || (30...42).contains(month) || month >= 50 else { return false }
        let number = d.prefix(13).reduce(0) { $0 * 10 + $1 }
        return 97 - number % 97 == d[13] * 10 + d[14]
    }

    // MARK: Finland

    /// Henkilötunnus: DDMMYY, the century sign (+ 1800s; - Y X W V U 1900s; A B C D E F 2000s),
    /// an individual number from 002, and the control character of DDMMYYNNN mod 31.
    static func fiHETU(_ text: ArraySlice<UInt8>) -> Bool {
        let chars = Array(text)
        guard chars.count == 11, chars.prefix(6).allSatisfy(isDigit), chars[7..<10].allSatisfy(isDigit) else { return false }
        let century: Int
        switch chars[6] {
        case UInt8(ascii: "+"): century = 1800
        case UInt8(ascii: "-"), UInt8(ascii: "Y"), UInt8(ascii: "X"), UInt8(ascii: "W"), UInt8(ascii: "V"), UInt8(ascii: "U"):
            century = 1900
        case UInt8(ascii: "A")...UInt8(ascii: "F"): century = 2000
        default: return false
        }
        let d = chars.map { Int($0) - 0x30 }
        guard isValidDate(year: century + d[4] * 10 + d[5], month: d[2] * 10 + d[3], day: d[0] * 10 + d[1]),
              d[7] * 100 + d[8] * 10 + d[9] >= 2 else { return false }
        let number = (d[0...5] + d[7...9]).reduce(0) { $0 * 10 + $1 }
        return Array("0123456789ABCDEFHJKLMNPRSTUVWXY".utf8)[number % 31] == chars[10]
    }

    // MARK: Germany

    /// Steuerliche Identifikationsnummer: 11 digits, no leading 0; in the first ten digits
    /// exactly one digit occurs twice or three times (three times never all in a row) and the
    /// others at most once; the last digit is the ISO 7064 MOD 11,10 check digit.
    static func deTaxID(_ text: ArraySlice<UInt8>) -> Bool {
        let d = digits(text)
        guard d.count == 11, d[0] != 0 else { return false }
        var counts = [Int](repeating: 0, count: 10)
        for digit in d.prefix(10) { counts[digit] += 1 }
        let repeated = counts.indices.filter { counts[$0] > 1 }
        guard repeated.count == 1, let digit = repeated.first, counts[digit] <= 3 else { return false }
        let count = counts[digit]
        if count == 3, (0..<8).contains(where: { d[$0] == digit && d[$0 + 1] == digit && d[$0 + 2] == digit }) {
            return false
        }
        var product = 10
        for digit in d.prefix(10) {
            var sum = (digit + product) % 10
            if sum == 0 { sum = 10 }
            product = (2 * sum) % 11
        }
        return (11 - product) % 10 == d[10]
    }

    // MARK: Turkey

    /// T.C. Kimlik No: 11 digits, no leading 0; the 10th digit is (7 × the sum of the odd-placed
    /// first nine digits - the sum of the even-placed ones) mod 10, the 11th the sum of the
    /// first ten mod 10.
    static func trTCKN(_ text: ArraySlice<UInt8>) -> Bool {
        let d = digits(text)
        guard d.count == 11, d[0] != 0 else { return false }
        let odd = d[0] + d[2] + d[4] + d[6] + d[8]
        let even = d[1] + d[3] + d[5] + d[7]
        return ((odd * 7 - even) % 10 + 10) % 10 == d[9] && d.prefix(10).reduce(0, +) % 10 == d[10]
    }

    // MARK: Helpers

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isLetter(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }

    static func digits(_ text: ArraySlice<UInt8>) -> [Int] {
        text.filter(isDigit).map { Int($0 - 0x30) }
    }

    /// The ASCII letters and digits of `text`, letters upper-cased; separators dropped.
    static func upperAlphanumerics(_ text: ArraySlice<UInt8>) -> [UInt8] {
        text.compactMap { c in
            switch c {
            case 0x30...0x39, 0x41...0x5A: return c
            case 0x61...0x7A: return c - 0x20
            default: return nil
            }
        }
    }

    static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}
