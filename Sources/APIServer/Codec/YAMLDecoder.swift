import KubeAPI
import Yams

/// Decodes a YAML request body into JSON, keeping key order and scalar types.
enum YAMLDecoder {
    static func decode(_ body: [UInt8], kind: String) throws -> JSON {
        let text = String(decoding: body, as: UTF8.self)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw StatusError.badRequest("error converting YAML to JSON: \(error)")
        }
        guard let node else { throw StatusError.badRequest("error decoding YAML: the body is empty") }
        return convert(node)
    }

    static func convert(_ n: Node) -> JSON {
        switch n {
        case .scalar(let s):
            if n.null != nil { return .null }
            if let b = n.bool { return .bool(b) }
            if let i = n.int { return .int(Int64(i)) }
            if let d = n.float { return .double(d) }
            return .string(s.string)
        case .mapping(let m):
            var o = JSONObject()
            for (k, v) in m { o[k.string ?? String(describing: k.any)] = convert(v) }
            return .object(o)
        case .sequence(let seq):
            return .array(seq.map(convert))
        }
    }
}
