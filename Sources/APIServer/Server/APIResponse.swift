import HTTPTypes
import Hummingbird
import KubeAPI
import NIOCore

/// Builders for the responses the API sends.
enum APIResponse {
    static func json(_ v: JSON, status: HTTPResponse.Status = .ok, contentType: String = "application/json",
                     headers extra: HTTPFields = [:]) -> Response {
        bytes(v.bytes, status: status, contentType: contentType, headers: extra)
    }

    static func bytes(_ b: [UInt8], status: HTTPResponse.Status = .ok, contentType: String = "application/json",
                      headers extra: HTTPFields = [:]) -> Response {
        var h = extra
        h[.contentType] = contentType
        h[.cacheControl] = "no-cache, private"
        return Response(status: status, headers: h, body: ResponseBody(byteBuffer: ByteBuffer(bytes: b)))
    }

    static func text(_ s: String, status: HTTPResponse.Status = .ok) -> Response {
        bytes(Array(s.utf8), status: status, contentType: "text/plain; charset=utf-8")
    }

    static func error(_ e: StatusError) -> Response {
        json(e.json, status: HTTPResponse.Status(code: e.code))
    }
}
