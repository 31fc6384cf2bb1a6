import Foundation

public enum CNIError: Error, Equatable, CustomStringConvertible {
    case invalidConfig(String)
    case pluginNotFound(String)
    /// A plugin's error reply (`{"code":…,"msg":…,"details":…}` on stdout, non-zero exit).
    case plugin(type: String, code: Int, message: String)
    case invalidResult(String)

    public var description: String {
        switch self {
        case .invalidConfig(let why): "invalid CNI config: \(why)"
        case .pluginNotFound(let type): "CNI plugin \(type) not found"
        case .plugin(let type, let code, let message): "CNI plugin \(type) failed (code \(code)): \(message)"
        case .invalidResult(let why): "invalid CNI result: \(why)"
        }
    }

    /// Interprets a failed plugin run: the spec puts a JSON error on stdout.
    static func fromFailedRun(type: String, status: Int32, stdout: Data, stderr: Data) -> CNIError {
        if let object = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any] {
            let message = [object["msg"] as? String, object["details"] as? String]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .plugin(type: type, code: object["code"] as? Int ?? Int(status), message: message)
        }
        let text = String(decoding: stderr.isEmpty ? stdout : stderr, as: UTF8.self)
        return .plugin(type: type, code: Int(status), message: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
