import Foundation

enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
    static func decode(_ s: String) -> [UInt8]? { Data(base64Encoded: s).map { Array($0) } }
}
