/// One input line of `hieros classify --jsonl`: `{"text": …, "id": …, "channel": …}`.
public struct StreamRequest {
    /// The raw JSON of `id` as given (echoed back unchanged), or nil when absent.
    public let rawID: ArraySlice<UInt8>?
    /// The item.
    public let text: String
    /// The channel to gate on, when given.
    public let channel: String?
    /// Every top-level member, for callers that read more (e.g. a corpus's `level`).
    public let members: [String: JSONObjectScanner.Member]

    /// Parses one line; the error message says what is wrong with it.
    public static func parse(_ line: [UInt8]) -> Result<StreamRequest, StreamLineError> {
        let members: [String: JSONObjectScanner.Member]
        do {
            members = try JSONObjectScanner.parseObject(line)
        } catch {
            return .failure(StreamLineError(message: "invalid JSON: \(error.description)"))
        }
        guard let textMember = members["text"] else { return .failure(StreamLineError(message: "missing required key 'text'")) }
        guard let text = textMember.string else { return .failure(StreamLineError(message: "'text' must be a string")) }
        var channel: String?
        if let member = members["channel"], !member.isNull {
            guard let value = member.string else { return .failure(StreamLineError(message: "'channel' must be a string")) }
            channel = value
        }
        return .success(StreamRequest(rawID: members["id"]?.raw, text: text, channel: channel, members: members))
    }
}

/// Why a stream line was rejected.
public struct StreamLineError: Error, Hashable, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
}
