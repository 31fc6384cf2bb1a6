import Foundation

/// Drives tests/runtime/ws_stream.py, a WebSocket client of the channel protocols (Python's
/// websocket-client), against a streaming URL, and reads back what it received.
struct StreamClient {
    struct Reply: Decodable {
        init() {}

        var protocolName: String?
        var streams: [String: String]?
        var frames: [[Int]]?
        var ports: [String: Int]?
        var status: Int?
        var body: String?
        var timeout: Bool?

        enum CodingKeys: String, CodingKey {
            case protocolName = "protocol"
            case streams, frames, ports, status, body, timeout
        }

        func stream(_ id: Int) -> String { streams?["\(id)"] ?? "" }

        /// The Status JSON on stream 3, decoded.
        var exitStatus: [String: Any]? {
            guard let text = streams?["3"], let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return nil }
            return object as? [String: Any]
        }

        var exitCodeCause: String? {
            ((exitStatus?["details"] as? [String: Any])?["causes"] as? [[String: Any]])?.first?["message"] as? String
        }
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tests/runtime/ws_stream.py").path

    static func run(_ url: String, _ arguments: [String]) async throws -> Reply {
        let process = Process()
        // The python3 on PATH: the one with the kubernetes client's websocket-client.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, url] + arguments
        let output = Pipe()
        process.standardOutput = output
        let data: Data = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { _ in continuation.resume(returning: output.fileHandleForReading.readDataToEndOfFile()) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return try JSONDecoder().decode(Reply.self, from: data)
    }
}
