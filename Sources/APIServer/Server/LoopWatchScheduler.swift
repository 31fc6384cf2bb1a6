import NIOCore
import Synchronization

/// The watch writers of one event loop that have something to write, run by one task on it.
///
/// An event reaches every watcher at once; a task per watcher per event was a thousand
/// `execute`s per event with a thousand watchers. The first writer to become ready schedules the
/// loop's run; the rest only join the list, and the run drains them all.
final class LoopWatchScheduler: Sendable {
    private let loop: any EventLoop
    private let ready = Mutex<[LoopWatchWriter]>([])

    private init(loop: any EventLoop) { self.loop = loop }

    func schedule(_ writer: LoopWatchWriter) {
        let first = ready.withLock { list in
            list.append(writer)
            return list.count == 1
        }
        if first { loop.execute { self.run() } }
    }

    private func run() {
        let writers = ready.withLock { list in
            defer { list.removeAll(keepingCapacity: true) }
            return list
        }
        for w in writers { w.drain() }
    }

    private static let all = Mutex<[ObjectIdentifier: LoopWatchScheduler]>([:])

    /// The scheduler of `loop`, made on first use; event loops live as long as the process.
    static func of(_ loop: any EventLoop) -> LoopWatchScheduler {
        all.withLock { all in
            if let s = all[ObjectIdentifier(loop)] { return s }
            let s = LoopWatchScheduler(loop: loop)
            all[ObjectIdentifier(loop)] = s
            return s
        }
    }
}
