import Foundation
import HierosSources
import Testing

@Suite("Line reader")
struct LineReaderTests {
    private func lines(of text: [UInt8], maxLineBytes: Int) throws -> [String] {
        let url = try CLITests.temporaryDirectory().appendingPathComponent("lines")
        try Data(text).write(to: url)
        let descriptor = open(url.path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let reader = LineReader(descriptor: descriptor, maxLineBytes: maxLineBytes)
        var result: [String] = []
        while let line = try reader.next() {
            switch line {
            case .text(let bytes): result.append(String(decoding: bytes, as: UTF8.self))
            case .tooLong: result.append("<too long>")
            }
        }
        #expect(!reader.hasBufferedLine)
        return result
    }

    /// The limit holds the same for a line that arrives in one read and for one that spans
    /// many (more than the 64 KiB read size); `\r\n` counts as the end of the line.
    @Test func linesLongerThanTheLimitAreReportedWhereverTheyEnd() throws {
        let limit = 10
        let text = "0123456789\n01234567890\n0123456789\r\n" + String(repeating: "x", count: 200_000) + "\nlast 12345"
        #expect(try lines(of: Array(text.utf8), maxLineBytes: limit)
                == ["0123456789", "<too long>", "0123456789", "<too long>", "last 12345"])
        #expect(try lines(of: Array("ab\n\ncd".utf8), maxLineBytes: limit) == ["ab", "", "cd"])
        #expect(try lines(of: Array("a final line that is too long".utf8), maxLineBytes: limit) == ["<too long>"])
    }

    /// A line at the limit ending in `\r\n` is accepted wherever the reads split it, even
    /// between its `\r` and its `\n`.
    @Test func aCRLFSplitAcrossReadsDoesNotCountTheCR() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let reader = LineReader(descriptor: descriptors[0], maxLineBytes: 11)
        let input = descriptors[1]
        _ = "hello world\r".withCString { write(input, $0, 12) }
        let writer = Thread {
            usleep(50_000)
            _ = "\nnext\n".withCString { write(input, $0, 6) }
            close(input)
        }
        writer.start()
        defer { close(descriptors[0]) }
        guard case .text(let first) = try reader.next() else { Issue.record("line refused"); return }
        #expect(first == Array("hello world".utf8))
        guard case .text(let second) = try reader.next() else { Issue.record("no second line"); return }
        #expect(second == Array("next".utf8))
    }

    /// What is already read is known without reading more: the stream batches only that.
    @Test func bufferedLinesAreKnownWithoutReading() throws {
        let url = try CLITests.temporaryDirectory().appendingPathComponent("lines")
        try Data("one\ntwo\nthree".utf8).write(to: url)
        let descriptor = open(url.path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let reader = LineReader(descriptor: descriptor, maxLineBytes: 100)
        #expect(!reader.hasBufferedLine)
        guard case .text(let first) = try reader.next() else { Issue.record("no first line"); return }
        #expect(first == Array("one".utf8))
        #expect(reader.hasBufferedLine)
        _ = try reader.next()
        // "three" has no newline yet, and the end of the file has not been read.
        #expect(!reader.hasBufferedLine)
        guard case .text(let last) = try reader.next() else { Issue.record("no last line"); return }
        #expect(last == Array("three".utf8))
        #expect(try reader.next() == nil)
    }
}
