import Dispatch
import Synchronization

extension Classifier {
    /// `body(session, index)` for every index below `count`, on at most `workers` threads that
    /// each take the next index and classify with a session of their own; the results in
    /// index order. What a scan, a large file's pieces and a stream's batch of posts share.
    public func map<Value: Sendable>(
        _ count: Int, workers: Int, _ body: @Sendable (ClassificationSession, Int) -> Value
    ) -> [Value] {
        let results = Mutex<[Value?]>(Array(repeating: nil, count: count))
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(max(1, workers), max(count, 1))) { _ in
            let session = makeSession()
            while case let index = next.wrappingAdd(1, ordering: .relaxed).oldValue, index < count {
                let value = body(session, index)
                results.withLock { $0[index] = value }
            }
        }
        // Every index below `count` was taken exactly once.
        return results.withLock { $0.map { $0! } }
    }
}
