import Foundation
import HierosEngine
import HierosText

/// Scans one large plain-text file in pieces on every core: each piece owns a stretch of
/// whole lines and sees `overlap` bytes of context on both sides, so a match or an evidence
/// window that crosses a boundary is found, and found once (by the piece that owns its
/// start). Rules with `min_distinct` are counted over the whole file. Memory stays bounded by
/// the number of pieces in flight, whatever the size of the file.
struct LargeFileScanner {
    let scanner: DocumentScanner
    /// Most bytes a piece owns before its end moves to the next line break. Two workers'
    /// pieces and what the engine builds from them then stay in the cache: 4 MiB pieces took
    /// 4% less CPU than 8 MiB ones on one worker.
    var pieceBytes = 4 << 20
    /// Context on each side of a piece: longer than any match or evidence window in practice.
    var overlap = 64 << 10

    struct Piece {
        /// Byte offset of the piece's text in the file, and of its owned stretch.
        var textStart: Int
        var ownedStart: Int
        var ownedEnd: Int
        var textEnd: Int
    }

    /// Cuts the file into pieces. The owned stretches tile the file and start at line starts.
    /// Only the bytes near each cut are read here; the pieces count their own lines, so this
    /// one-thread pass does not read the whole file before the workers start.
    func pieces(descriptor: Int32, size: Int, workers: Int) throws -> [Piece] {
        var pieces: [Piece] = []
        var ownedStart = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let stretch = Self.stretch(size: size, pieceBytes: pieceBytes, workers: workers)
        while ownedStart < size {
            var ownedEnd = min(size, ownedStart + stretch)
            // Move the end to just after the next line break, so the next piece starts a line.
            while ownedEnd < size {
                let count = try readAt(descriptor, into: &buffer, offset: ownedEnd, maximum: min(buffer.count, size - ownedEnd))
                if let newline = buffer[0..<count].firstIndex(of: 0x0A) { ownedEnd += newline + 1; break }
                ownedEnd += count
            }
            pieces.append(Piece(textStart: max(0, ownedStart - overlap), ownedStart: ownedStart, ownedEnd: ownedEnd,
                                textEnd: min(size, ownedEnd + overlap)))
            ownedStart = ownedEnd
        }
        return pieces
    }

    /// The bytes each piece owns: pieces of equal size, at most `pieceBytes`, in a number
    /// every worker gets the same share of. With 25 pieces on two workers, one worker
    /// scanned the last piece alone, while the other waited.
    static func stretch(size: Int, pieceBytes: Int, workers: Int) -> Int {
        let workers = max(1, workers)
        let needed = max(1, (size + pieceBytes - 1) / pieceBytes)
        let count = (needed + workers - 1) / workers * workers
        return max(1, (size + count - 1) / count)
    }

    func scan(_ task: FileTask, size: Int) -> Result<DocumentResult, FileIssue> {
        let descriptor = open(task.path, O_RDONLY)
        guard descriptor >= 0 else {
            return .failure(FileIssue(path: task.displayPath, kind: .error, reason: String(cString: strerror(errno))))
        }
        defer { close(descriptor) }
        let plan: [Piece]
        do { plan = try pieces(descriptor: descriptor, size: size, workers: scanner.workers) } catch {
            return .failure(FileIssue(path: task.displayPath, kind: .error, reason: "\(error)"))
        }
        let results = scanner.classifier.map(plan.count, workers: scanner.workers) { session, index -> Result<PieceResult, FileIssue> in
            let piece = plan[index]
            let length = piece.textEnd - piece.textStart
            var failure: String?
            // Read straight into the array's storage: zero-filling it first was a percent of a scan.
            var bytes = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                initialized = 0
                while initialized < length {
                    let count = pread(descriptor, buffer.baseAddress! + initialized, length - initialized,
                                      off_t(piece.textStart + initialized))
                    guard count > 0 else {
                        failure = "read failed at byte \(piece.textStart + initialized): \(String(cString: strerror(errno)))"
                        return
                    }
                    initialized += count
                }
            }
            if let failure { return .failure(FileIssue(path: task.displayPath, kind: .error, reason: failure)) }
            return .success(evaluate(Self.alignedToCharacters(piece, bytes: &bytes), bytes: bytes, session: session))
        }
        return merge(task: task, results: results)
    }

    /// The context edges of a piece may cut a UTF-8 character in two; the cut bytes are
    /// dropped (they belong to the neighbouring pieces' owned text), so a piece never looks
    /// like invalid UTF-8 where the file is not.
    static func alignedToCharacters(_ piece: Piece, bytes: inout [UInt8]) -> Piece {
        var piece = piece
        var head = 0
        while head < min(3, bytes.count), piece.textStart + head < piece.ownedStart, bytes[head] & 0xC0 == 0x80 { head += 1 }
        var tail = bytes.count
        if piece.textStart + tail > piece.ownedEnd {
            var lead = tail - 1
            while lead > max(0, tail - 4), bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
            let byte = bytes[max(lead, 0)]
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if lead >= 0, lead + length > tail { tail = lead }  // the last character is cut: drop it
        }
        if head > 0 || tail < bytes.count {
            bytes = Array(bytes[head..<max(head, tail)])
            piece.textStart += head
            piece.textEnd = piece.textStart + bytes.count
        }
        return piece
    }

    /// What one piece contributes: its owned findings, placed within the piece's text, and
    /// where that text is in the file (its offset, and the line breaks that place it).
    struct PieceResult {
        var textStart: Int
        var findings: [ScanFinding]
        var deferred: [(item: ScanFinding, key: String, minDistinct: Int)]
        var unverified: [Unverified]
        /// Line breaks in the context before the owned stretch, and in the owned stretch.
        var contextNewlines: Int
        var ownedNewlines: Int
    }

    private func evaluate(_ piece: Piece, bytes: [UInt8], session: ClassificationSession) -> PieceResult {
        let (classification, lines) = session.classifyPiece(bytes: bytes)
        func owned(_ finding: Finding) -> Bool {
            let start = piece.textStart + finding.range.lowerBound
            return start >= piece.ownedStart && start < piece.ownedEnd
        }
        let findings = scanner.scanFindings(classification.findings.filter(owned), part: nil, bytes: bytes, addedLines: nil)
        let deferredOwned = classification.deferred.filter { owned($0.finding) }
        let deferredItems = scanner.scanFindings(deferredOwned.map(\.finding), part: nil, bytes: bytes, addedLines: nil)
        let unverified = classification.unverified.map { item in
            item.ruleID == nil ? Unverified(ruleID: nil, reason: "bytes \(piece.textStart)..<\(piece.textEnd): " + item.reason) : item
        }
        let owned = min(piece.ownedStart - piece.textStart, bytes.count)
        let end = min(piece.ownedEnd - piece.textStart, bytes.count)
        return PieceResult(textStart: piece.textStart, findings: findings,
                           deferred: zip(deferredItems, deferredOwned).map { ($0, $1.key, $1.minDistinct) },
                           unverified: unverified, contextNewlines: lines.lineBreaks(in: 0..<owned),
                           ownedNewlines: lines.lineBreaks(in: owned..<end))
    }

    private static func shifted(_ item: ScanFinding, bytes: Int, lines: Int) -> ScanFinding {
        ScanFinding(finding: item.finding.shifted(bytes: bytes, lines: lines), part: item.part,
                    fingerprint: item.fingerprint, suppression: item.suppression)
    }

    private func merge(task: FileTask, results: [Result<PieceResult, FileIssue>]) -> Result<DocumentResult, FileIssue> {
        var findings: [ScanFinding] = []
        var deferred: [String: [(item: ScanFinding, key: String, minDistinct: Int)]] = [:]
        var unverified: [Unverified] = []
        var linesBefore = 0  // line breaks before the owned stretch of the current piece
        for result in results {
            switch result {
            case .failure(let issue): return .failure(issue)
            case .success(let piece):
                let lines = linesBefore - piece.contextNewlines  // line breaks before the piece's text
                linesBefore += piece.ownedNewlines
                func placed(_ item: ScanFinding) -> ScanFinding { Self.shifted(item, bytes: piece.textStart, lines: lines) }
                findings += piece.findings.map(placed)
                for entry in piece.deferred {
                    deferred[entry.item.finding.ruleID, default: []].append((placed(entry.item), entry.key, entry.minDistinct))
                }
                for item in piece.unverified where !unverified.contains(item) { unverified.append(item) }
            }
        }
        for (_, matches) in deferred where Set(matches.map(\.key)).count >= (matches.first?.minDistinct ?? 1) {
            findings += matches.map(\.item)
        }
        findings.sort {
            ($0.finding.range.lowerBound, $0.finding.range.upperBound, $0.finding.ruleID)
                < ($1.finding.range.lowerBound, $1.finding.range.upperBound, $1.finding.ruleID)
        }
        return .success(scanner.document(task.displayPath, format: "text", findings: findings, unverified: unverified))
    }

    private func readAt(_ descriptor: Int32, into buffer: inout [UInt8], offset: Int, maximum: Int) throws -> Int {
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, maximum, off_t(offset)) }
        guard count > 0 else { throw ScanError.git(command: "read", message: String(cString: strerror(errno))) }
        return count
    }
}

