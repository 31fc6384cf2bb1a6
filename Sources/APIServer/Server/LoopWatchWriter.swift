import NIOCore
import NIOHTTPTypes

/// Writes one watch's events from its connection's event loop, with no task of its own.
///
/// The watch cache fans an event out to every watcher's `EventQueue`; a task per watcher then
/// woke, hopped through the async channel writer and back onto the event loop to write. With a
/// thousand watchers that was most of the server's CPU in a burst. Here the queue's notification
/// puts the writer on its loop's ready list (`LoopWatchScheduler`); on the loop it takes
/// everything pending, renders it and writes it as one chunk. While the channel is unwritable (its client reads slower than events come) the writer
/// stops taking; the queue then grows until the watcher catches up or is cut off.
///
/// Every member is touched only on `channel.eventLoop`.
final class LoopWatchWriter: @unchecked Sendable {
    private let channel: any Channel
    private let queue: EventQueue
    private let render: ([WatchItem], ByteBufferAllocator) -> ByteBuffer
    private let done: EventLoopPromise<Void>
    private var paused = false
    private var finished = false

    /// - Parameter render: a batch of items as the response body has them.
    init(channel: any Channel, queue: EventQueue, render: @escaping ([WatchItem], ByteBufferAllocator) -> ByteBuffer) {
        self.channel = channel
        self.queue = queue
        self.render = render
        self.done = channel.eventLoop.makePromise(of: Void.self)
    }

    /// Streams until the queue closes (watch timeout, cut off, connection gone, shutdown); nil
    /// when the response head may not have reached the channel yet (the connection's writes are
    /// backed up), and the caller must write through the response writer instead.
    func run() async throws -> Void? {
        let started = try await channel.eventLoop.submit { self.start() }.get()
        guard started else { return nil }
        try await withTaskCancellationHandler {
            try await done.futureResult.get()
        } onCancel: { [queue] in
            queue.close()
        }
        return ()
    }

    private func start() -> Bool {
        channel.eventLoop.preconditionInEventLoop()
        // The head went through the async writer, which holds writes back while the channel is
        // not writable; bypassing it then could put body before head.
        guard channel.isWritable || !channel.isActive else { return false }
        let scheduler = LoopWatchScheduler.of(channel.eventLoop)
        queue.notify { scheduler.schedule(self) }
        channel.closeFuture.whenComplete { [queue] _ in queue.close() }
        drain()
        return true
    }

    /// Writes what is pending; on the loop (`LoopWatchScheduler` calls it).
    func drain() {
        guard !finished, !paused else { return }
        let (items, closed) = queue.take()
        if !items.isEmpty, channel.isActive {
            let out = render(items, channel.allocator)
            let n = out.readableBytes
            // An empty chunk would read as the end of the body.
            if n == 0 { return finishIf(closed) }
            // Backpressure without a promise per write: only once the channel reports itself
            // unwritable does a write carry one, and nothing more is taken until it completes.
            if channel.isWritable {
                channel.writeAndFlush(HTTPResponsePart.body(out), promise: nil)
            } else {
                paused = true
                let promise = channel.eventLoop.makePromise(of: Void.self)
                promise.futureResult.whenComplete { result in self.resume(result) }
                channel.writeAndFlush(HTTPResponsePart.body(out), promise: promise)
            }
        }
        finishIf(closed)
    }

    private func finishIf(_ closed: Bool) {
        guard closed || !channel.isActive else { return }
        finished = true
        queue.stopNotifying()
        done.succeed(())
    }

    private func resume(_ result: Result<Void, any Error>) {
        if case .failure = result { queue.close() }
        paused = false
        drain()
    }
}
