import NIOCore

/// Sits between TLS and the HTTP codec and gathers what is written up to a flush into one buffer.
/// NIOSSL seals every write in a TLS record of its own, and the HTTP/1 encoder writes each chunk of
/// a streamed body as three buffers (size line, data, CRLF): one watch event used to leave as three
/// records, the two small ones costing about as much to seal and to open as the event itself. Now
/// a flush is one record (BoringSSL still splits at 16 KiB) and one syscall.
final class FlushCoalescingHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Writes at least this large pass as they are: copying them would cost more than the record saved.
    static let copyLimit = 16 * 1024

    private var pending: ByteBuffer?
    /// Whether `pending` is a buffer of our own (appending to it copies nothing else).
    private var owned = false
    private var promises: [EventLoopPromise<Void>] = []

    init() {}

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .byteBuffer(let buffer) = unwrapOutboundIn(data), buffer.readableBytes < Self.copyLimit else {
            emit(context: context)
            context.write(data, promise: promise)
            return
        }
        if pending == nil {
            pending = buffer
            owned = false
        } else {
            if !owned, let first = pending {
                var own = context.channel.allocator.buffer(capacity: max(2048, first.readableBytes + buffer.readableBytes))
                own.writeImmutableBuffer(first)
                pending = own
                owned = true
            }
            pending!.writeImmutableBuffer(buffer)
        }
        if let promise { promises.append(promise) }
        if pending!.readableBytes >= Self.copyLimit { emit(context: context) }
    }

    func flush(context: ChannelHandlerContext) {
        emit(context: context)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        emit(context: context)
        context.close(mode: mode, promise: promise)
    }

    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        emit(context: context)
        context.leavePipeline(removalToken: removalToken)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Only reached with writes still held when the pipeline is torn down: they can't go out.
        pending = nil
        let failed = promises
        promises = []
        for p in failed { p.fail(ChannelError.ioOnClosedChannel) }
    }

    /// Passes on what is gathered, as one write whose promise completes every write in it.
    private func emit(context: ChannelHandlerContext) {
        guard let buffer = pending else { return }
        pending = nil
        let promise: EventLoopPromise<Void>?
        switch promises.count {
        case 0: promise = nil
        case 1: promise = promises[0]
        default:
            let all = context.eventLoop.makePromise(of: Void.self)
            let each = promises
            all.futureResult.whenComplete { result in for p in each { p.completeWith(result) } }
            promise = all
        }
        promises.removeAll(keepingCapacity: true)
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
    }
}
