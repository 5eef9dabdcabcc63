/// HTML character references: numeric ones (`&#233;`, `&#xE9;`) and the named ones that occur in
/// practice (Latin-1, typography, arrows, a few symbols). An unknown name stays as written.
enum HTMLEntities {
    /// `text` with its character references replaced.
    static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if let (scalars, end) = reference(after) {
                result.unicodeScalars.append(contentsOf: scalars)
                rest = after[end...]
            } else {
                result += "&"
                rest = after
            }
        }
        return result + rest
    }

    /// The characters of the reference at the start of `text` (after `&`) and where it ends.
    private static func reference(_ text: Substring) -> ([Unicode.Scalar], Substring.Index)? {
        if text.first == "#" {
            let body = text.dropFirst()
            let hex = body.first == "x" || body.first == "X"
            let digits = (hex ? body.dropFirst() : body).prefix { hex ? $0.isHexDigit : $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 8, let value = UInt32(digits, radix: hex ? 16 : 10) else { return nil }
            var end = digits.endIndex
            if end < text.endIndex, text[end] == ";" { end = text.index(after: end) }
            let scalar = value == 0 ? "\u{FFFD}" : Unicode.Scalar(windows1252Fixups[value] ?? value) ?? "\u{FFFD}"
            return ([scalar], end)
        }
        let name = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(32)
        guard !name.isEmpty else { return nil }
        if name.endIndex < text.endIndex, text[name.endIndex] == ";", let value = named[String(name)] {
            return (Array(value.unicodeScalars), text.index(after: name.endIndex))
        }
        // Legacy references that browsers accept without a semicolon.
        for legacy in ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"] where name.hasPrefix(legacy) {
            let end = text.index(text.startIndex, offsetBy: legacy.count)
            return (Array(named[legacy]!.unicodeScalars), end)
        }
        return nil
    }

    /// Numeric references in 0x80–0x9F mean Windows-1252 characters, as in browsers.
    private static let windows1252Fixups: [UInt32: UInt32] = [
        0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
        0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
        0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
        0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
    ]

    static let named: [String: String] = {
        var table: [String: String] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
            "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}", "zwnj": "\u{200C}", "zwj": "\u{200D}",
            "lrm": "\u{200E}", "rlm": "\u{200F}", "ndash": "–", "mdash": "—", "lsquo": "‘", "rsquo": "’",
            "sbquo": "‚", "ldquo": "“", "rdquo": "”", "bdquo": "„", "dagger": "†", "Dagger": "‡", "bull": "•",
            "hellip": "…", "permil": "‰", "prime": "′", "Prime": "″", "lsaquo": "‹", "rsaquo": "›", "oline": "‾",
            "euro": "€", "trade": "™", "larr": "←", "uarr": "↑", "rarr": "→", "darr": "↓", "harr": "↔",
            "minus": "−", "le": "≤", "ge": "≥", "ne": "≠", "asymp": "≈", "infin": "∞", "sum": "∑", "prod": "∏",
            "radic": "√", "part": "∂", "nabla": "∇", "isin": "∈", "cap": "∩", "cup": "∪", "int": "∫",
            "OElig": "Œ", "oelig": "œ", "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ", "fnof": "ƒ", "circ": "ˆ",
            "tilde": "˜", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "pi": "π", "sigma": "σ",
            "mu": "μ", "Omega": "Ω", "omega": "ω", "spades": "♠", "clubs": "♣", "hearts": "♥", "diams": "♦",
            "check": "✓", "star": "☆", "phone": "☎",
        ]
        // Latin-1 (U+00A0–U+00FF), in code point order.
        let latin1 = """
            nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 \
            acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde \
            Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute \
            Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde \
            auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute \
            ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml
            """
        for (offset, name) in latin1.split(separator: " ").enumerated() {
            table[String(name)] = String(Character(Unicode.Scalar(UInt32(0xA0 + offset))!))
        }
        return table
    }()
}
