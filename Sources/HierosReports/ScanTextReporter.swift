import HierosEngine
import HierosPolicy

/// `hieros scan --format text`: each document that has findings, suppressed findings or
/// unverified parts (`path: level`, then one block per finding), the files that were skipped
/// or could not be checked, then a summary: documents per level, the most sensitive folders,
/// findings per rule, suppressions, expired baseline entries and the verdict against the
/// threshold. Clean documents appear only in the counts.
public struct ScanTextReporter {
    /// Colours, on a terminal only.
    public let style: TerminalStyle
    /// How many folders the summary lists (the most sensitive first).
    public let topFolders: Int

    public init(style: TerminalStyle, topFolders: Int = 10) {
        self.style = style
        self.topFolders = topFolders
    }

    /// The report as terminal text.
    public func render(_ report: ScanReport) -> String {
        var text = ""
        for document in report.documents
        where !document.findings.isEmpty || !document.suppressed.isEmpty || !document.unverified.isEmpty {
            text += render(document, in: report)
        }
        for issue in report.issues {
            let kind = issue.kind == .error ? style.red("error") : style.yellow("skipped")
            text += "\(style.bold(t(issue.path))): \(kind): \(t(issue.reason))\n"
        }
        return text + (text.isEmpty ? "" : "\n") + summary(report)
    }

    private func render(_ document: DocumentResult, in report: ScanReport) -> String {
        var counts = [document.findings.isEmpty ? "no findings" : counted(document.findings.count, "finding")]
        if !document.suppressed.isEmpty { counts.append("\(document.suppressed.count) suppressed") }
        var text = "\(style.bold(t(document.path))): \(paint(document.level, report)) (\(counts.joined(separator: ", ")))\n"
        for entry in ScanOrder.entries(document) {
            let finding = entry.finding
            let place = (entry.item.part.map { "\(t($0)) › " } ?? "") + "\(finding.line):\(finding.column)"
            let tags = finding.tags.isEmpty ? "" : " [\(t(finding.tags.joined(separator: ", ")))]"
            let prefix = entry.isSuppressed ? style.dim("suppressed") + "  " : ""
            text += "  \(prefix)\(place)  \(paint(finding.level, report))  \(t(finding.ruleID))\(tags)  \"\(t(finding.excerpt))\"\n"
            if let suppression = entry.item.suppression, entry.isSuppressed {
                let source = suppression.kind == .inline ? "inline hieros:allow" : "baseline"
                text += "      \(style.dim("\(source): \(t(suppression.reason))"))\n"
            } else {
                text += "      \(style.dim(t(finding.message)))\n"
            }
        }
        for item in document.unverified { text += "  \(style.red("unverified")): \(t(item.reason))\n" }
        return text
    }

    private func summary(_ report: ScanReport) -> String {
        let totals = ScanTotals(report)
        var text = "\(counted(totals.documents, "document")) scanned, \(totals.documentsWithFindings) with findings"
        text += ", \(totals.skipped) skipped, \(counted(totals.errors, "error"))\n"

        let levelWidth = max(12, (report.scale.levels.map(\.name.count).max() ?? 0) + 2)
        text += "documents per level:\n"
        for (level, count) in report.documentsPerLevel {
            text += "  " + pad(level.name, levelWidth) + lpad(String(count), 6) + "\n"
        }

        let folders = report.foldersBySensitivity
        if !folders.isEmpty {
            let shown = folders.prefix(topFolders)
            let heading = folders.count > shown.count ? "top \(shown.count) of \(folders.count) folders" : "documents per folder"
            text += "\(heading) (most sensitive first):\n"
            let folderWidth = max(8, (shown.map { t($0.folder).count }.max() ?? 0) + 2)
            let widths = report.scale.levels.map { max(8, $0.name.count + 2) }
            text += "  " + pad("folder", folderWidth)
                + zip(report.scale.levels, widths).map { lpad($0.name, $1) }.joined() + "\n"
            for (folder, counts) in shown {
                text += "  " + pad(t(folder), folderWidth) + zip(counts, widths).map { lpad(String($0), $1) }.joined() + "\n"
            }
        }

        let rules = report.findingsPerRule
        if !rules.isEmpty {
            text += "findings per rule:\n"
            let width = max(24, (rules.map(\.rule.count).max() ?? 0) + 2)
            for (rule, count) in rules { text += "  " + pad(t(rule), width) + lpad(String(count), 6) + "\n" }
        }
        if totals.suppressed > 0 {
            text += "suppressed: \(totals.suppressed) (\(totals.suppressedInline) inline, \(totals.suppressedBaseline) baseline)\n"
        }
        if !report.expiredBaselineEntries.isEmpty {
            text += style.yellow("expired baseline entries") + " (they no longer suppress anything):\n"
            for entry in report.expiredBaselineEntries { text += "  \(t(entry))\n" }
        }

        var problems: [String] = []
        if totals.errors > 0 { problems.append("\(counted(totals.errors, "file")) could not be checked") }
        if totals.unverifiedDocuments > 0 { problems.append("\(counted(totals.unverifiedDocuments, "document")) unverified") }
        let threshold = report.threshold.name
        if totals.failingFindings > 0 {
            text += style.red("FAILED") + ": \(counted(totals.failingFindings, "finding")) above \(threshold)"
                + " in \(counted(totals.failingDocuments, "document"))"
        } else if !problems.isEmpty {
            text += style.red("FAILED") + ": no finding above \(threshold)"
        } else {
            text += style.green("ok") + ": no finding above \(threshold)"
        }
        return text + problems.map { "; \($0)" }.joined() + "\n"
    }

    private func paint(_ level: Level, _ report: ScanReport) -> String {
        switch ScanSeverity(level, in: report) {
        case .error: style.red(level.name)
        case .warning: style.yellow(level.name)
        case .note: level.name
        }
    }

    /// Report text made safe for a terminal.
    private func t(_ text: String) -> String { TerminalText.sanitized(text) }

    private func pad(_ text: String, _ count: Int) -> String {
        text + String(repeating: " ", count: max(1, count - text.count))
    }

    private func lpad(_ text: String, _ count: Int) -> String {
        String(repeating: " ", count: max(1, count - text.count)) + text
    }
}
