import KubeAPI

/// `/openapi/v2`, as far as kubectl needs it: kubectl validates a `kind: List` manifest (what
/// `kubectl get -o yaml` prints) against the v2 document before applying its items. This one
/// declares no definitions, so kubectl leaves every item to the server's own validation (the
/// v3 documents say the server validates fields), exactly as it does for a single object.
enum OpenAPIV2 {
    /// What kube-apiserver answers for the `...spec.v2@v1.0+protobuf` it is asked for ("@" does not parse as a media type).
    static let protobufType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

    static var json: JSON {
        ["swagger": "2.0", "info": ["title": "Kubernetes", "version": "v1.32.4"],
         "paths": .object(JSONObject()), "definitions": .object(JSONObject())]
    }

    /// The same document as gnostic's openapi_v2.Document protobuf: `swagger` (field 1) only.
    static var protobuf: [UInt8] {
        let swagger = Array("2.0".utf8)
        return [0x0A, UInt8(swagger.count)] + swagger
    }
}
