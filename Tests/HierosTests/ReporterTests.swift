import Foundation
import HierosEngine
import HierosEval
import HierosReports
import Testing

/// Golden-file tests: every output format, on fixed input and the fixture policy set.
/// Regenerate with HIEROS_UPDATE_GOLDEN=1 after an intended change, and review the diff.
@Suite("Reporters")
struct ReporterTests {
    let classifier = Fixtures.testClassifier
    static let item = "Memo\nTOP SECRET: ask EM1234 about card 4111 1111 1111 1111.\n"

    private func golden(_ name: String, _ actual: String) throws { try Fixtures.golden(name, actual) }

    private var results: [InputResult] {
        [InputResult(source: "memo.txt", outcome: .success(classifier.classify(Self.item))),
         InputResult(source: "clean.txt", outcome: .success(classifier.classify("nothing here"))),
         InputResult(source: "missing.txt", outcome: .failure(InputFailure(message: "missing.txt: no such file")))]
    }

    @Test func classifyText() throws {
        try golden("classify.txt", ClassifyTextReporter(style: .plain).render(results))
    }

    @Test func classifyTextInColour() throws {
        try golden("classify-color.txt", ClassifyTextReporter(style: TerminalStyle(colors: true)).render(results))
    }

    @Test func classifyJSON() throws {
        try golden("classify.json", ClassifyJSONReporter().render(results))
    }

    @Test func checkText() throws {
        let verdict = classifier.verdict(for: classifier.classify(Self.item), channel: "staff")
        try golden("check-block.txt", CheckTextReporter(style: .plain).render(verdict, source: "memo.txt"))
        let unknown = classifier.verdict(for: classifier.classify("hello"), channel: "tiktok")
        try golden("check-unknown-channel.txt", CheckTextReporter(style: .plain).render(unknown, source: "<stdin>"))
    }

    @Test func checkJSON() throws {
        let verdict = classifier.verdict(for: classifier.classify(Self.item), channel: "web")
        try golden("check.json", CheckJSONReporter().render(verdict, source: "memo.txt"))
    }

    @Test func streamLines() throws {
        let classification = classifier.classify(Self.item)
        let lines = StreamLineEncoder.encode(rawID: "{\"n\": 1}", classification: classification,
                                             verdict: classifier.verdict(for: classification, channel: "web"))
            + StreamLineEncoder.encode(rawID: nil, classification: classifier.classify("plain"), verdict: nil)
            + StreamLineEncoder.encodeError(line: 3, message: "missing required key 'text'")
        try golden("stream.jsonl", lines)
    }

    @Test func evaluation() throws {
        let scale = classifier.policy.scale
        let items = [("a", "public", "plain"), ("b", "secret", "TOP SECRET"), ("c", "internal", "TOP SECRET"),
                     ("d", "internal", "plain")].map { id, label, text in
            let classification = classifier.classify(text)
            return EvaluatedItem(id: id, origin: "corpus.jsonl:1", expected: scale.level(named: label)!,
                                 predicted: classification.level,
                                 verdict: classifier.verdict(for: classification, channel: "web"), verified: true)
        }
        let summary = EvaluationSummary(scale: scale, items: items)
        let failures = [EvaluationFloor(metric: .minRecall, level: "internal", value: 0.9)].compactMap { $0.failure(in: summary) }
        try golden("eval.txt", EvaluationTextReporter(style: .plain).render(summary, failures: failures))
        try golden("eval.json", EvaluationJSONReporter().render(summary, failures: failures))
    }

    @Test func explain() throws {
        let bytes = Array("draft notes: revenue of 12 bn".utf8)
        let (classification, traces) = classifier.makeSession().explain(bytes: bytes)
        let text = ExplainTextReporter(style: .plain).render(
            source: "note.txt", classification: classification, traces: traces, position: LineIndex(bytes).position(of:))
        try golden("explain.txt", text)
    }

    @Test func jsonStringsAreEscaped() {
        #expect(JSONWriter.quoted("a\"b\\c\n\u{1}\u{2028}é") == "\"a\\\"b\\\\c\\n\\u0001\\u2028é\"")
        // Each escaped character alone, as the strings that need no escape are copied whole.
        for (raw, escaped) in [("\"", "\\\""), ("\\", "\\\\"), ("\t", "\\t"), ("\u{7F}", "\\u007f"), ("\u{2029}", "\\u2029"), ("\u{1F}", "\\u001f")] {
            #expect(JSONWriter.quoted("x" + raw) == "\"x" + escaped + "\"")
        }
        #expect(JSONWriter.quoted("plain ★ ok €") == "\"plain ★ ok €\"")
        // A CR LF pair is one Character but two escapes; other E2 characters are kept.
        #expect(JSONWriter.quoted("a\r\nb — c\u{2028}\u{2029}") == "\"a\\r\\nb — c\\u2028\\u2029\"")
    }

    /// Numbers are written digit by digit, not through `String`: the same text.
    @Test func jsonIntegersAreWrittenAsSwiftWritesThem() {
        var generator = SeededGenerator(seed: 10)
        let values = [0, -1, 7, 9, 10, -10, 99, 100, 1_234_567_890, Int.max, Int.min]
            + (0..<200).map { _ in Int.random(in: Int.min...Int.max, using: &generator) >> Int.random(in: 0...63, using: &generator) }
        for value in values {
            var json = JSONWriter()
            json.beginObject()
            json.int("n", value)
            json.endObject()
            #expect(json.output == "{\"n\":\(value)}")
        }
    }

    /// Plain stretches are skipped eight bytes at a time: every character to escape, at every
    /// place of a word and across word edges, in strings of up to forty characters, against
    /// escaping written out character by character.
    @Test func jsonEscapesMatchAPlainDefinitionAtEveryOffset() {
        func reference(_ value: String) -> String {
            var result = "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                case "\u{2028}", "\u{2029}": result += "\\u" + String(scalar.value, radix: 16)
                case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                    result += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result + "\""
        }
        let alphabet: [Unicode.Scalar] = ["a", "Z", " ", "~", "!", "#", "[", "]", "/", "\"", "\\", "\n", "\r", "\t",
                                          "\u{0}", "\u{1F}", "\u{7F}", "é", "—", "€", "\u{2028}", "\u{2029}", "\u{1F600}"]
        var generator = SeededGenerator(seed: 2028)
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...40, using: &generator)
            // Mostly plain letters, so that whole plain words occur before and after the others.
            let scalars = (0..<length).map { _ in
                Bool.random(using: &generator) ? "a" : alphabet.randomElement(using: &generator)!
            }
            let value = String(String.UnicodeScalarView(scalars))
            #expect(JSONWriter.quoted(value) == reference(value), "\(Array(value.unicodeScalars))")
        }
    }
}
