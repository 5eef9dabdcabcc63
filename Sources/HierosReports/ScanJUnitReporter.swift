import HierosEngine

/// `hieros scan --format junit`: JUnit XML for CI test-report views (GitLab, Jenkins, Azure).
///
/// One `<testsuite>` inside `<testsuites>`; one `<testcase>` per file, `classname` its folder
/// (`.` at the root), `name` and `file` its path. A testcase holds at most one outcome, as
/// the common JUnit schemas allow:
/// - `<error>` for a file that could not be checked, and for an unverified document (its
///   findings above the threshold are listed in the body too);
/// - `<failure>` for a document with active findings above the threshold: the `message`
///   lists each one as `rule line:col "masked excerpt"`, the body adds level, part and the
///   rule's message;
/// - `<skipped>` for a file deliberately not checked.
/// Findings at or below the threshold and suppressed findings go to `<system-out>`. Every
/// text and attribute is XML-escaped; characters XML 1.0 forbids become U+FFFD.
public struct ScanJUnitReporter {
    public init() {}

    private enum Outcome {
        case pass, failure, error, skipped
    }

    private struct TestCase {
        let path: String
        let outcome: Outcome
        let body: String
    }

    /// The report as a JUnit XML document.
    public func render(_ report: ScanReport) -> String {
        var cases: [TestCase] = report.documents.map { testCase($0, report: report) }
        cases += report.issues.map { issue in
            let element = issue.kind == .error ? "error" : "skipped"
            let body = "      <\(element) message=\"\(Markup.escape(issue.reason))\"/>\n"
            return TestCase(path: issue.path, outcome: issue.kind == .error ? .error : .skipped, body: body)
        }
        cases.sort { $0.path < $1.path }
        let counts = "tests=\"\(cases.count)\" failures=\"\(cases.filter { $0.outcome == .failure }.count)\""
            + " errors=\"\(cases.filter { $0.outcome == .error }.count)\" skipped=\"\(cases.filter { $0.outcome == .skipped }.count)\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"hieros scan\" \(counts)>\n"
        xml += "  <testsuite name=\"hieros scan\" \(counts)>\n"
        xml += "    <properties>\n"
        xml += "      <property name=\"hieros.version\" value=\"\(Markup.escape(report.toolVersion))\"/>\n"
        xml += "      <property name=\"threshold\" value=\"\(Markup.escape(report.threshold.name))\"/>\n"
        for entry in report.expiredBaselineEntries {
            xml += "      <property name=\"expired-baseline-entry\" value=\"\(Markup.escape(entry))\"/>\n"
        }
        xml += "    </properties>\n"
        for testCase in cases {
            let folder = testCase.path.split(separator: "/").dropLast().joined(separator: "/")
            let attributes = "classname=\"\(Markup.escape(folder.isEmpty ? "." : folder))\" name=\"\(Markup.escape(testCase.path))\""
                + " file=\"\(Markup.escape(testCase.path))\""
            xml += testCase.body.isEmpty
                ? "    <testcase \(attributes)/>\n"
                : "    <testcase \(attributes)>\n\(testCase.body)    </testcase>\n"
        }
        xml += "  </testsuite>\n"
        xml += "</testsuites>\n"
        return xml
    }

    private func testCase(_ document: DocumentResult, report: ScanReport) -> TestCase {
        let entries = ScanOrder.entries(document)
        let failing = entries.filter { !$0.isSuppressed && $0.finding.level > report.threshold }
        let other = entries.filter { $0.isSuppressed || $0.finding.level <= report.threshold }
        var body = ""
        let threshold = report.threshold.name
        if !document.unverified.isEmpty {
            let reasons = document.unverified.map(\.reason)
            var text = reasons.map { "unverified: \($0)" }
            text += failing.map(line)
            body += "      <error type=\"unverified\" message=\"\(Markup.escape("unverified: " + reasons.joined(separator: "; ")))\">"
                + Markup.escapeText(text.joined(separator: "\n")) + "</error>\n"
        } else if !failing.isEmpty {
            let summary = "\(counted(failing.count, "finding")) above \(threshold): "
                + failing.map { "\($0.finding.ruleID) \(place($0)) \"\($0.finding.excerpt)\"" }.joined(separator: "; ")
            body += "      <failure type=\"\(Markup.escape(document.level.name))\" message=\"\(Markup.escape(summary))\">"
                + Markup.escapeText(failing.map(line).joined(separator: "\n")) + "</failure>\n"
        }
        if !other.isEmpty {
            body += "      <system-out>" + Markup.escapeText(other.map(line).joined(separator: "\n")) + "</system-out>\n"
        }
        let outcome: Outcome = !document.unverified.isEmpty ? .error : failing.isEmpty ? .pass : .failure
        return TestCase(path: document.path, outcome: outcome, body: body)
    }

    private func place(_ entry: ScanEntry) -> String {
        (entry.item.part.map { "\($0) › " } ?? "") + "\(entry.finding.line):\(entry.finding.column)"
    }

    /// `level  rule  place  "excerpt"  message` (or the suppression for a suppressed finding).
    private func line(_ entry: ScanEntry) -> String {
        let finding = entry.finding
        var text = "\(finding.level.name)  \(finding.ruleID)  \(place(entry))  \"\(finding.excerpt)\"  "
        if entry.isSuppressed, let suppression = entry.item.suppression {
            text += "suppressed (\(suppression.kind.rawValue)): \(suppression.reason)"
        } else {
            text += finding.message
        }
        return text
    }
}
