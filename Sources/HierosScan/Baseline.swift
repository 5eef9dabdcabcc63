import Foundation
import HierosEngine
import HierosReports
import HierosSources

/// Accepted findings, keyed by fingerprint (never by line number), one JSON object per line,
/// sorted, so that a baseline merges cleanly and a moved finding stays accepted.
///
/// `{"fingerprint":"…","rule":"…","path":"…","reason":"…","owner":"…","expires":"YYYY-MM-DD"}`
/// (`reason`, `owner` and `expires` optional). An entry past its `expires` date no longer
/// suppresses anything, and the scan says so.
public struct Baseline: Sendable {
    public struct Entry: Sendable, Hashable {
        public var fingerprint: String
        public var rule: String
        public var path: String
        public var reason: String?
        public var owner: String?
        public var expires: String?
    }

    public private(set) var entries: [String: Entry]

    public init(entries: [Entry] = []) {
        self.entries = Dictionary(entries.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Reads a baseline file; malformed lines are errors with their line number.
    public static func load(path: String) throws(ScanError) -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .baseline(path: path, line: 0, message: "cannot read baseline file")
        }
        var entries: [Entry] = []
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let bytes = Array(line)
            guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) else { continue }
            let members: [String: JSONObjectScanner.Member]
            do { members = try JSONObjectScanner.parseObject(bytes) } catch {
                throw .baseline(path: path, line: index + 1, message: "invalid JSON: \(error.description)")
            }
            guard let fingerprint = members["fingerprint"]?.string, let rule = members["rule"]?.string else {
                throw .baseline(path: path, line: index + 1, message: "an entry needs 'fingerprint' and 'rule'")
            }
            let expires = members["expires"]?.string
            if let expires, Self.date(expires) == nil {
                throw .baseline(path: path, line: index + 1, message: "'expires' must be a date YYYY-MM-DD, not '\(expires)'")
            }
            entries.append(Entry(fingerprint: fingerprint, rule: rule, path: members["path"]?.string ?? "",
                                 reason: members["reason"]?.string, owner: members["owner"]?.string, expires: expires))
        }
        return Baseline(entries: entries)
    }

    /// The entry that accepts `fingerprint`, when it exists and has not expired on `today`.
    func suppression(for fingerprint: String, today: String) -> Suppression? {
        guard let entry = entries[fingerprint], !isExpired(entry, today: today) else { return nil }
        return Suppression(kind: .baseline, reason: entry.reason ?? "accepted in the baseline")
    }

    func isExpired(_ entry: Entry, today: String) -> Bool {
        guard let expires = entry.expires else { return false }
        return expires < today
    }

    /// Entries past their date on `today`, described for the report.
    public func expiredEntries(today: String) -> [String] {
        entries.values.filter { isExpired($0, today: today) }.map {
            "\($0.fingerprint) (\($0.rule) in \($0.path), expired \($0.expires!)\($0.owner.map { ", owner \($0)" } ?? ""))"
        }
    }

    /// A baseline accepting every active finding of `report`, keeping the reason, owner and
    /// expiry of entries of `previous` that are still found.
    public static func accepting(_ report: ScanReport, previous: Baseline?) -> Baseline {
        var entries: [Entry] = []
        for document in report.documents {
            for item in document.findings + document.suppressed.filter({ $0.suppression?.kind == .baseline }) {
                var entry = previous?.entries[item.fingerprint]
                    ?? Entry(fingerprint: item.fingerprint, rule: item.finding.ruleID, path: document.path)
                entry.path = document.path
                entries.append(entry)
            }
        }
        return Baseline(entries: entries)
    }

    /// One entry per line, sorted by fingerprint.
    public func serialized() -> String {
        entries.values.sorted { $0.fingerprint < $1.fingerprint }.map { entry in
            var json = JSONWriter()
            json.beginObject()
            json.string("fingerprint", entry.fingerprint)
            json.string("rule", entry.rule)
            json.string("path", entry.path)
            if let reason = entry.reason { json.string("reason", reason) }
            if let owner = entry.owner { json.string("owner", owner) }
            if let expires = entry.expires { json.string("expires", expires) }
            json.endObject()
            return json.line
        }.joined()
    }

    static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard text.count == 10, let date = formatter.date(from: text) else { return nil }
        return date
    }

    /// Today as YYYY-MM-DD in UTC.
    public static func today(_ now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: now)
    }
}
