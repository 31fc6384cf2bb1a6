import Synchronization

/// A value set once and awaited by any number of tasks (the API server's bound port). A waiting
/// task that is cancelled stops waiting with CancellationError, so a group whose server never
/// came up can still shut down.
final class OneShot<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var waiters: [Int: CheckedContinuation<Value, any Error>] = [:]
        var next = 0
    }

    private let state = Mutex(State())

    func fulfill(_ value: Value) {
        let waiters = state.withLock { s -> [CheckedContinuation<Value, any Error>] in
            guard s.value == nil else { return [] }
            s.value = value
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume(returning: value) }
    }

    var value: Value {
        get async throws {
            let id = state.withLock { s in s.next += 1; return s.next }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { c in
                    let ready = state.withLock { s -> Result<Value, any Error>? in
                        if let v = s.value { return .success(v) }
                        if Task.isCancelled { return .failure(CancellationError()) }
                        s.waiters[id] = c
                        return nil
                    }
                    if let ready { c.resume(with: ready) }
                }
            } onCancel: {
                let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.resume(throwing: CancellationError())
            }
        }
    }
}
