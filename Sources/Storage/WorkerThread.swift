import Dispatch
import Foundation
import Synchronization

/// A dedicated OS thread that owns a non-Sendable `State` (a SQLite connection) and runs jobs on it.
///
/// SQLite calls block, so they must stay off Swift's cooperative pool; and the connection never
/// leaves the thread that created it. Each wake-up hands `run` every job queued so far, which is
/// what lets the writer commit a whole batch with one fsync.
final class WorkerThread<Job: Sendable>: Sendable {
    private struct Queue {
        var jobs: [Job] = []
        var stopping = false
        var stopped = false
        var startupError: (any Error)?
        var joiners: [CheckedContinuation<Void, Never>] = []
    }

    private let queue = Mutex(Queue())
    private let wakeup = DispatchSemaphore(value: 0)

    /// Starts the thread and blocks until `makeState` has run on it, so opening errors reach the caller.
    init<State>(
        name: String,
        makeState: @escaping @Sendable () throws -> State,
        run: @escaping @Sendable (State, [Job]) -> Void
    ) throws {
        let started = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            var state: State?
            do {
                state = try makeState()
            } catch {
                queue.withLock { $0.startupError = error }
            }
            started.signal()
            if let state { loop(state, run) }
            // Release the state (closing the connection) before anyone waiting in `join` resumes.
            state = nil
            finish()
        }
        thread.name = name
        thread.start()
        started.wait()
        if let error = queue.withLock({ $0.startupError }) { throw error }
    }

    /// Queues a job; false once the worker is stopping.
    func submit(_ job: Job) -> Bool {
        let accepted = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.jobs.append(job)
            return true
        }
        if accepted { wakeup.signal() }
        return accepted
    }

    /// Asks the thread to finish the queued jobs and exit; does not wait.
    func stop() {
        queue.withLock { $0.stopping = true }
        wakeup.signal()
    }

    /// Waits until the thread has exited and released its state.
    func join() async {
        await withCheckedContinuation { continuation in
            let stopped = queue.withLock { queue in
                if !queue.stopped { queue.joiners.append(continuation) }
                return queue.stopped
            }
            if stopped { continuation.resume() }
        }
    }

    private func loop<State>(_ state: State, _ run: (State, [Job]) -> Void) {
        while true {
            wakeup.wait()
            let (jobs, stopping) = queue.withLock { queue in
                defer { queue.jobs = [] }
                return (queue.jobs, queue.stopping)
            }
            if !jobs.isEmpty { run(state, jobs) }
            if stopping { return }
        }
    }

    private func finish() {
        let joiners = queue.withLock { queue in
            queue.stopping = true
            queue.stopped = true
            defer { queue.joiners = [] }
            return queue.joiners
        }
        for joiner in joiners { joiner.resume() }
    }
}
