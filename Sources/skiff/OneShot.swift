import Synchronization

/// A value set once and awaited by any number of tasks (the API server's bound port).
final class OneShot<Value: Sendable>: Sendable {
    private let state = Mutex<(Value?, [CheckedContinuation<Value, Never>])>((nil, []))

    func fulfill(_ value: Value) {
        let waiters = state.withLock { s -> [CheckedContinuation<Value, Never>] in
            guard s.0 == nil else { return [] }
            s.0 = value
            defer { s.1 = [] }
            return s.1
        }
        for w in waiters { w.resume(returning: value) }
    }

    var value: Value {
        get async {
            await withCheckedContinuation { c in
                let ready = state.withLock { s -> Value? in
                    if let v = s.0 { return v }
                    s.1.append(c)
                    return nil
                }
                if let ready { c.resume(returning: ready) }
            }
        }
    }
}
