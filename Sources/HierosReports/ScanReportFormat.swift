import HierosEngine

/// The report formats of `hieros scan`, each rendered by one small pure reporter.
///
/// Every format is deterministic: documents by path, findings by (part, line, column) with
/// parts in natural order (`slide 2` before `slide 10`), and the tool version comes from
/// `ScanReport.toolVersion`. Excerpts are always the masked `Finding.excerpt`.
public enum ScanReportFormat: String, CaseIterable, Sendable {
    /// Human-readable, for a terminal: findings per document, then a summary.
    case text
    /// One JSON object for dashboards and scripts.
    case json
    /// JSON Lines: one line per document, then one line per file issue.
    case jsonl
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    case sarif
    /// RFC 4180 CSV, one row per finding (active and suppressed), for spreadsheets.
    case csv
    /// JUnit XML, one test case per file, for CI test-report views.
    case junit
    /// One self-contained HTML page for a compliance officer.
    case html

    /// Renders `report` in this format. `style` only affects `text` (colours on a terminal).
    public func render(_ report: ScanReport, style: TerminalStyle) -> String {
        switch self {
        case .text: ScanTextReporter(style: style).render(report)
        case .json: ScanJSONReporter().render(report)
        case .jsonl: ScanJSONLinesReporter().render(report)
        case .sarif: ScanSARIFReporter().render(report)
        case .csv: ScanCSVReporter().render(report)
        case .junit: ScanJUnitReporter().render(report)
        case .html: ScanHTMLReporter().render(report)
        }
    }

    /// `render` as UTF-8 bytes: the JSON formats write bytes, and a report of ten thousand
    /// findings is written out without making it a `String` and back.
    public func renderUTF8(_ report: ScanReport, style: TerminalStyle) -> [UInt8] {
        switch self {
        case .json: ScanJSONReporter().renderUTF8(report)
        case .jsonl: ScanJSONLinesReporter().renderUTF8(report)
        default: Array(render(report, style: style).utf8)
        }
    }
}
