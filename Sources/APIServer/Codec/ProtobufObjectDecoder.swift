import KubeAPI

/// Decodes the Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown) that kubectl's
/// `create namespace|configmap|secret|serviceaccount|quota|role|rolebinding|token` and `auth can-i` send, into the JSON object
/// it stands for. Field numbers are those of k8s.io/api's generated.proto.
enum ProtobufObjectDecoder {
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    static func decode(_ body: [UInt8]) throws -> JSON {
        guard body.starts(with: magic) else { throw StatusError.badRequest("protobuf body does not start with the k8s envelope") }
        do {
            var apiVersion = "", kind = ""
            var raw: ArraySlice<UInt8> = []
            for (n, f) in try ProtobufReader.fields(body[4...]) {
                if n == 1, let tm = f.bytes {
                    for (tn, tf) in try ProtobufReader.fields(tm) {
                        if tn == 1 { apiVersion = tf.string ?? "" }
                        if tn == 2 { kind = tf.string ?? "" }
                    }
                } else if n == 2, let b = f.bytes {
                    raw = b
                }
            }
            var obj = JSONObject()
            obj["apiVersion"] = .string(apiVersion)
            obj["kind"] = .string(kind)
            if ProtobufMessages.knows(kind) {
                for (n, f) in try ProtobufReader.fields(raw) where n == 1 { obj["metadata"] = try objectMeta(f.bytes ?? []) }
                for (k, v) in try ProtobufMessages.decode(raw, as: kind, topLevel: true) { obj[k] = v }
                return .object(obj)
            }
            for (n, f) in try ProtobufReader.fields(raw) {
                guard let b = f.bytes else { continue }
                switch (kind, n) {
                case (_, 1): obj["metadata"] = try objectMeta(b)
                case ("ConfigMap", 2): obj["data"] = merge(obj["data"], try stringMapEntry(b))
                case ("ConfigMap", 3): obj["binaryData"] = merge(obj["binaryData"], try bytesMapEntry(b))
                case ("Secret", 2): obj["data"] = merge(obj["data"], try bytesMapEntry(b))
                case ("Secret", 3): obj["type"] = .string(String(decoding: b, as: UTF8.self))
                case ("Secret", 4): obj["stringData"] = merge(obj["stringData"], try stringMapEntry(b))
                case ("ResourceQuota", 2): obj["spec"] = try quotaSpec(b)
                case ("Namespace", 2): obj["spec"] = try namespaceSpec(b)
                default: continue
                }
            }
            if kind == "ConfigMap" || kind == "Secret" {
                for (n, f) in try ProtobufReader.fields(raw) where n == (kind == "ConfigMap" ? 4 : 5) {
                    if let v = f.varint { obj["immutable"] = .bool(v != 0) }
                }
            }
            return .object(obj)
        } catch let e as StatusError {
            throw e
        } catch {
            throw StatusError.badRequest("the protobuf request body is malformed")
        }
    }

    static func merge(_ existing: JSON?, _ entry: (String, JSON)) -> JSON {
        var o = existing?.object ?? JSONObject()
        o[entry.0] = entry.1
        return .object(o)
    }

    static func stringMapEntry(_ b: ArraySlice<UInt8>) throws -> (String, JSON) {
        var k = "", v = ""
        for (n, f) in try ProtobufReader.fields(b) {
            if n == 1 { k = f.string ?? "" }
            if n == 2 { v = f.string ?? "" }
        }
        return (k, .string(v))
    }

    static func bytesMapEntry(_ b: ArraySlice<UInt8>) throws -> (String, JSON) {
        var k = ""
        var v: [UInt8] = []
        for (n, f) in try ProtobufReader.fields(b) {
            if n == 1 { k = f.string ?? "" }
            if n == 2 { v = Array(f.bytes ?? []) }
        }
        return (k, .string(Base64.encode(v)))
    }

    static func objectMeta(_ b: ArraySlice<UInt8>) throws -> JSON {
        var m = JSONObject()
        var labels = JSONObject(), annotations = JSONObject()
        var finalizers: [JSON] = []
        for (n, f) in try ProtobufReader.fields(b) {
            switch n {
            case 1: m["name"] = .string(f.string ?? "")
            case 2: m["generateName"] = .string(f.string ?? "")
            case 3: m["namespace"] = .string(f.string ?? "")
            case 11: let (k, v) = try stringMapEntry(f.bytes ?? []); labels[k] = v
            case 12: let (k, v) = try stringMapEntry(f.bytes ?? []); annotations[k] = v
            case 14: finalizers.append(.string(f.string ?? ""))
            default: continue
            }
        }
        for k in ["name", "generateName", "namespace"] where m[k]?.string == "" { m[k] = nil }
        if !labels.isEmpty { m["labels"] = .object(labels) }
        if !annotations.isEmpty { m["annotations"] = .object(annotations) }
        if !finalizers.isEmpty { m["finalizers"] = .array(finalizers) }
        return .object(m)
    }

    static func quotaSpec(_ b: ArraySlice<UInt8>) throws -> JSON {
        var hard = JSONObject()
        var scopes: [JSON] = []
        for (n, f) in try ProtobufReader.fields(b) {
            if n == 1, let e = f.bytes {
                var k = "", v = ""
                for (en, ef) in try ProtobufReader.fields(e) {
                    if en == 1 { k = ef.string ?? "" }
                    // resource.Quantity is a message holding its string form in field 1.
                    if en == 2, let q = ef.bytes {
                        for (qn, qf) in try ProtobufReader.fields(q) where qn == 1 { v = qf.string ?? "" }
                    }
                }
                hard[k] = .string(v)
            } else if n == 2 {
                scopes.append(.string(f.string ?? ""))
            }
        }
        var spec = JSONObject()
        if !hard.isEmpty { spec["hard"] = .object(hard) }
        if !scopes.isEmpty { spec["scopes"] = .array(scopes) }
        return .object(spec)
    }

    static func namespaceSpec(_ b: ArraySlice<UInt8>) throws -> JSON {
        var fins: [JSON] = []
        for (n, f) in try ProtobufReader.fields(b) where n == 1 { fins.append(.string(f.string ?? "")) }
        return fins.isEmpty ? .object(JSONObject()) : ["finalizers": .array(fins)]
    }
}
