import KubeAPI

/// Turns a request body into a JSON object according to its Content-Type.
enum BodyDecoder {
    static func decode(_ body: [UInt8], contentType: String?, kind: String) throws -> JSON {
        let base = (contentType ?? "application/json").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? "application/json"
        switch base {
        case "application/vnd.kubernetes.protobuf":
            return try ProtobufObjectDecoder.decode(body)
        case "application/yaml", "application/x-yaml", "text/yaml":
            return try YAMLDecoder.decode(body, kind: kind)
        case "application/json", "application/json-patch+json", "application/merge-patch+json",
             "application/strategic-merge-patch+json", "application/apply-patch+yaml", "*/*", "":
            if base == "application/apply-patch+yaml", let first = body.first(where: { $0 > 0x20 }), first != UInt8(ascii: "{") {
                return try YAMLDecoder.decode(body, kind: kind)
            }
            do {
                return try JSONParser.parse(body)
            } catch {
                throw StatusError.badRequest("error decoding body as JSON: \(error.message) at offset \(error.offset)")
            }
        default:
            throw StatusError.unsupportedMediaType(base)
        }
    }
}

import Foundation
