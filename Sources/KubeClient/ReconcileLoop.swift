/// A level-triggered control loop: watchers (reflectors feeding a component's caches) call
/// `wake()` on every change that matters; each wake, and every resync period, runs one
/// reconcile pass, never two at once, and wakes during a pass fold into one more pass.
public struct ReconcileLoop: Sendable {
    private let continuation: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    public init() {
        (wakes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    public func wake() { continuation.yield() }

    /// Runs the watchers and the passes until cancelled (or until a watcher returns).
    public func run(resyncPeriod: Duration, watchers: [@Sendable () async -> Void], reconcile: @escaping @Sendable () async -> Void) async {
        let me = self
        await withTaskGroup(of: Void.self) { group in
            for w in watchers { group.addTask { await w() } }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: resyncPeriod)
                    me.wake()
                }
            }
            group.addTask {
                for await _ in me.wakes {
                    if Task.isCancelled { break }
                    await reconcile()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
