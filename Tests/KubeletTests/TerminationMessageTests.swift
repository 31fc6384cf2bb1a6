import CRI
import Foundation
import Testing
@testable import Kubelet

struct TerminationMessageTests {
    static func status(exit: Int32, reason: String = "Error", message: String = "", mounted: Bool = true) -> Runtime_V1_ContainerStatus {
        .with {
            $0.state = .containerExited
            $0.exitCode = exit
            $0.reason = reason
            $0.message = message
            $0.logPath = "/logs/app/0.log"
            if mounted { $0.mounts = [.with { $0.containerPath = "/dev/termination-log"; $0.hostPath = "/pods/u/containers/app/1" }] }
        }
    }

    @Test(arguments: [
        // name, exit, policy, file content (nil: no file), runtime message, expected
        ("file wins", Int32(1), "File", Optional("disk full"), "", "disk full"),
        ("file on success", 0, "File", "done", "", "done"),
        ("empty file, File policy", 1, "File", "", "", ""),
        ("empty file, fallback on error", 1, "FallbackToLogsOnError", "", "", "last words"),
        ("no file, fallback on error", 1, "FallbackToLogsOnError", nil, "", "last words"),
        ("fallback only on failure", 0, "FallbackToLogsOnError", "", "", ""),
        ("file beats fallback", 2, "FallbackToLogsOnError", "panic", "", "panic"),
        ("runtime message first", 137, "File", "bye", "OOM", "OOM: bye"),
        ("runtime message alone", 137, "File", "", "OOM", "OOM"),
    ])
    func messages(_ name: String, _ exit: Int32, _ policy: String, _ file: String?, _ runtime: String, _ expected: String) {
        var readFiles: [String] = []
        let got = TerminationMessage.message(
            status: Self.status(exit: exit, message: runtime), path: "/dev/termination-log", policy: policy,
            readFile: { path, max in readFiles.append(path); #expect(max == 4096); return file },
            readLog: { path in #expect(path == "/logs/app/0.log"); return "last words" })
        #expect(got == expected, "\(name)")
        #expect(readFiles == ["/pods/u/containers/app/1"])
    }

    @Test func aContainerThatCouldNotRunHasNoLogsToFallBackTo() {
        let got = TerminationMessage.message(
            status: Self.status(exit: 128, reason: "ContainerCannotRun", message: "exec: not found"), path: "/dev/termination-log",
            policy: "FallbackToLogsOnError", readFile: { _, _ in "" }, readLog: { _ in Issue.record("read the log"); return "x" })
        #expect(got == "exec: not found")
    }

    @Test func noMountNoFile() {
        let got = TerminationMessage.message(
            status: Self.status(exit: 1, mounted: false), path: "/dev/termination-log", policy: "File",
            readFile: { _, _ in Issue.record("read a file"); return "x" })
        #expect(got == "")
    }

    @Test func realFilesAreReadFromTheirEnd() throws {
        let dir = NSTemporaryDirectory() + "tm-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try #require(TerminationMessage.create(at: TerminationMessage.hostPath(podDirectory: dir, container: "app")))
        #expect(path.hasPrefix(dir + "/containers/app/"))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o666)
        #expect(TerminationMessage.tail(path, 4096) == "")
        try String(repeating: "a", count: 5000).appending("END").write(toFile: path, atomically: false, encoding: .utf8)
        let tail = try #require(TerminationMessage.tail(path, 4096))
        #expect(tail.count == 4096 && tail.hasSuffix("END"))
        #expect(TerminationMessage.tail(dir + "/missing", 10) == nil)

        // The log fallback: CRI records joined back into lines, the last 80 of them.
        let log = dir + "/0.log"
        var records = ""
        for i in 0..<100 { records += "2026-12-01T10:00:00.000000000Z stderr F line \(i)\n" }
        records += "2026-12-01T10:00:01.000000000Z stdout P part\n2026-12-01T10:00:01.000000000Z stdout F ial\n"
        try records.write(toFile: log, atomically: false, encoding: .utf8)
        let last = TerminationMessage.lastLogLines(log)
        #expect(last.hasPrefix("line 21\n") && last.hasSuffix("line 99\npartial\n"))
        #expect(last.split(separator: "\n").count == 80)
    }
}
