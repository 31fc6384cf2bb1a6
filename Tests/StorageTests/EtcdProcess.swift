import EtcdStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real single-member etcd on 127.0.0.1 for one test: free ports, its own data directory,
/// stopped by its PID. The contract suite counts revisions from an empty store, and etcd has one
/// revision counter (and one compaction) for its whole keyspace, so each test gets a fresh etcd;
/// `EtcdSlots` bounds how many run at once.
final class EtcdProcess: @unchecked Sendable {
    let process: Process
    let dataDir: String
    let clientURL: String

    private init(process: Process, dataDir: String, clientURL: String) {
        self.process = process
        self.dataDir = dataDir
        self.clientURL = clientURL
    }

    static let executable: String? = ["/usr/bin/etcd", "/usr/local/bin/etcd"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Starts etcd with its data in `dataDir`; fails loudly when etcd is not installed.
    static func start(dataDir: String) throws -> EtcdProcess {
        guard let executable else {
            throw EtcdTestError("etcd is not installed (scripts/install-deps.sh installs etcd-server)")
        }
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let client = try freePort(), peer = try freePort()
        let clientURL = "http://127.0.0.1:\(client)", peerURL = "http://127.0.0.1:\(peer)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--name", "test", "--data-dir", dataDir + "/data",
            "--listen-client-urls", clientURL, "--advertise-client-urls", clientURL,
            "--listen-peer-urls", peerURL, "--initial-advertise-peer-urls", peerURL,
            "--initial-cluster", "test=\(peerURL)",
            "--logger", "zap", "--log-level", "warn",
        ]
        FileManager.default.createFile(atPath: dataDir + "/etcd.log", contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDir + "/etcd.log"))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return EtcdProcess(process: process, dataDir: dataDir, clientURL: clientURL)
    }

    /// Ends this etcd (by its PID) and waits for it.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }

    var log: String { (try? String(contentsOfFile: dataDir + "/etcd.log", encoding: .utf8)) ?? "" }
}

struct EtcdTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A port on 127.0.0.1 that was free a moment ago.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw EtcdTestError("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw EtcdTestError("bind failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// At most a few etcd processes at once: the machine has two cores.
actor EtcdSlots {
    static let shared = EtcdSlots(3)

    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { available = count }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            available += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
