import CRI
import Logging
import Foundation

/// Finds a container's log file through the runtime and streams it out in the user's format.
struct ContainerLogs: Sendable {
    let ctx: KubeletContext

    enum Failure: Error {
        case notFound(String)
        case badRequest(String)
    }

    /// The log path and ID of the container instance asked for (the newest, or the one before).
    func locate(namespace: String, pod: String, container: String, previous: Bool) async throws -> (path: String, id: String, uid: String) {
        guard let uid = ctx.store.uid(namespace: namespace, name: pod) else { throw Failure.notFound("pod \"\(pod)\" in namespace \"\(namespace)\" not found on this node") }
        // A failed read of the runtime falls back to the pod worker's last view, rather than
        // telling the user the container is not there.
        let runtime: RuntimePodState
        do { runtime = try await ctx.observer.inspect(podUID: uid) } catch {
            ctx.logger.warning("reading the runtime for logs failed", metadata: ["pod": "\(namespace)/\(pod)", "error": "\(error)"])
            runtime = ctx.store.runtime(uid)
        }
        let instances = runtime.containers.filter { $0.name == container }
        // "Previous" is the last finished run: the newest instance when it is no longer running
        // (a container waiting to restart), else the one before it.
        let newestFinished = instances.first?.state == .exited
        let chosen = previous ? (newestFinished ? instances.first : instances.dropFirst().first) : instances.first
        guard let chosen else {
            throw Failure.badRequest(previous ? "previous terminated container \"\(container)\" in pod \"\(pod)\" not found"
                                              : "container \"\(container)\" in pod \"\(pod)\" is not available")
        }
        let status = try await ctx.cri.runtime.containerStatus(.with { $0.containerID = chosen.id }).status
        return (status.logPath, chosen.id, uid)
    }

    /// Writes the log to `emit`; when following, keeps going until the container stops.
    func stream(path: String, containerID: String, uid: String, options: LogOptions,
                emit: ([UInt8]) async throws -> Void) async throws {
        let format = CRILogFormat(options: options, now: Date())
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let existing = (try? handle.readToEnd()).map { Array($0) } ?? []
        var sent = 0
        // Up to the last complete record: what the runtime is still writing comes later.
        let cut = options.follow ? (existing.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) : existing.count
        let first = format.render(Array(existing[..<cut]))
        if !first.isEmpty { try await emit(first); sent += first.count }
        guard options.follow else { return }
        var buffer = Array(existing[cut...])
        var pending: [UInt8] = []
        var pendingTime: String?
        while !Task.isCancelled {
            if let limit = options.limitBytes, sent >= limit { return }
            let more = handle.availableData
            if more.isEmpty {
                let running = ctx.store.runtime(uid).containers.first { $0.id == containerID }?.state == .running
                if !running {
                    // One last read after the container stopped, then done.
                    let rest = handle.availableData
                    if rest.isEmpty { return }
                    buffer += rest
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                    continue
                }
            } else {
                buffer += more
            }
            var out: [UInt8] = []
            while let nl = buffer.firstIndex(of: 0x0A) {
                let line = buffer[..<nl]
                if let r = CRILogFormat.parse(line) {
                    if pendingTime == nil { pendingTime = r.time }
                    pending += r.content
                    if !r.partial {
                        out += format.format(time: pendingTime ?? r.time, content: pending)
                        pending = []
                        pendingTime = nil
                    }
                }
                buffer.removeSubrange(...nl)
            }
            if let limit = options.limitBytes, sent + out.count > limit { out = Array(out.prefix(limit - sent)) }
            if !out.isEmpty { try await emit(out); sent += out.count }
        }
    }
}
