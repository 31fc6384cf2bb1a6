import CRI
import Foundation

/// A finished container's termination message, as the kubelet reports it in
/// `state.terminated.message`: what the container wrote to its terminationMessagePath (the
/// last 4 KiB), or, under `FallbackToLogsOnError` when that is empty and the exit was a failure,
/// the end of its log (80 lines, 2 KiB). Appended to the runtime's own message after ": ".
public enum TerminationMessage {
    public static let maxFileBytes = 4 * 1024
    public static let maxLogBytes = 2 * 1024
    public static let maxLogLines = 80
    public static let fallbackToLogsOnError = "FallbackToLogsOnError"

    /// Where the message file for a new instance of a container lives:
    /// `<pod dir>/containers/<name>/<random id>`, a new file for every instance.
    public static func hostPath(podDirectory: String, container: String) -> String {
        "\(podDirectory)/containers/\(container)/\(UUID().uuidString.lowercased().prefix(8))"
    }

    /// Creates the empty, world-writable file the container's path is bound to (the container
    /// may run as any user). nil if it cannot be made: the container then starts without one.
    public static func create(at path: String) -> String? {
        let dir = (path as NSString).deletingLastPathComponent
        guard (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil,
              FileManager.default.createFile(atPath: path, contents: nil) else { return nil }
        chmod(path, 0o666)
        return path
    }

    /// The message of an exited container, from its status (mounts, log path, exit) and the
    /// policy recorded in its annotations. `readFile` and `readLog` are injected for tests.
    public static func message(
        status: Runtime_V1_ContainerStatus, path: String, policy: String,
        readFile: (String, Int) -> String? = tail, readLog: (String) -> String = lastLogLines
    ) -> String {
        let fallback = policy == fallbackToLogsOnError && status.exitCode != 0 && status.reason != "ContainerCannotRun"
        var text = ""
        var checkLogs = fallback
        if !path.isEmpty, let mount = status.mounts.first(where: { $0.containerPath == path }) {
            if let data = readFile(mount.hostPath, maxFileBytes) {
                text = data
                checkLogs = fallback && data.isEmpty
            }
        }
        if checkLogs, !status.logPath.isEmpty { text = readLog(status.logPath) }
        guard !text.isEmpty else { return status.message }
        return status.message.isEmpty ? text : status.message + ": " + text
    }

    /// The last `max` bytes of a file; nil if it does not exist.
    public static func tail(_ path: String, _ max: Int) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(max) ? size - UInt64(max) : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The container's output at the end of its CRI log: the last 80 lines, at most 2 KiB.
    public static func lastLogLines(_ logPath: String) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "" }
        var options = LogOptions()
        options.tailLines = maxLogLines
        let out = CRILogFormat(options: options, now: Date()).render(Array(data))
        return String(decoding: out.suffix(maxLogBytes), as: UTF8.self)
    }
}
