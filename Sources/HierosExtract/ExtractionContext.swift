/// The running costs of one `extract` call, shared by the document and everything nested in it
/// (attachments, multiparts), so that the limits hold for the whole document.
final class ExtractionContext {
    let limits: ExtractionLimits
    private(set) var expandedBytes = 0
    private(set) var depth = 0

    init(limits: ExtractionLimits) { self.limits = limits }

    /// Counts `count` more expanded bytes, produced by `part`.
    func charge(_ count: Int, part: String) throws {
        expandedBytes += count
        if expandedBytes > limits.maxExpandedBytes {
            throw ExtractionError.tooLarge(part: part, limit: limits.maxExpandedBytes)
        }
    }

    /// Runs `body` one nesting level deeper; `part` names the nested thing for the error.
    func nested<T>(part: String, _ body: () throws -> T) throws -> T {
        guard depth < limits.maxNestingDepth else {
            throw ExtractionError.tooDeep(part: part, limit: limits.maxNestingDepth)
        }
        depth += 1
        defer { depth -= 1 }
        return try body()
    }
}
