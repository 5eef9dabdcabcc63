import HierosEngine

/// `hieros scan --format csv`: RFC 4180 CSV for spreadsheets, one row per finding.
///
/// - The header row is always written, also when nothing was found:
///   `path,part,line,column,level,rule,excerpt,status,fingerprint`.
/// - Rows: documents in path order, findings in (part, line, column) order, active and
///   suppressed findings together (`status` is `active` or `suppressed`); `part` is empty
///   for a plain file.
/// - Records end with CRLF; a field containing `,`, `"`, CR or LF is quoted and its quotes
///   doubled. Nothing else is altered: a path beginning with `=` stays as it is, so open
///   untrusted reports in a spreadsheet with formula evaluation in mind.
/// - Files that were skipped or could not be checked, unverified documents and expired
///   baseline entries are not rows: a CSV row is a finding, so that every row has the same
///   meaning and can be counted. They are in the text, JSON, SARIF, JUnit and HTML reports.
public struct ScanCSVReporter {
    /// The header row's fields.
    public static let header = ["path", "part", "line", "column", "level", "rule", "excerpt", "status", "fingerprint"]

    public init() {}

    /// The report as CSV.
    public func render(_ report: ScanReport) -> String {
        var text = Self.record(Self.header)
        for document in report.documents {
            for entry in ScanOrder.entries(document) {
                let finding = entry.finding
                text += Self.record([document.path, entry.item.part ?? "", String(finding.line), String(finding.column),
                                     finding.level.name, finding.ruleID, finding.excerpt, entry.status, entry.item.fingerprint])
            }
        }
        return text
    }

    /// One CSV record, CRLF-terminated.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A field, quoted when it contains a comma, a quote, CR or LF (RFC 4180, section 2).
    public static func field(_ value: String) -> String {
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return value }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(scalar) }
        }
        return quoted + "\""
    }
}
