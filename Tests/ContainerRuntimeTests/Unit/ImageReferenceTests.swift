@testable import ContainerRuntime
import Testing

@Suite struct ImageReferenceTests {
    @Test(arguments: [
        ("busybox", "docker.io/library/busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36"),
        ("library/busybox", "docker.io/library/busybox:latest"),
        ("docker.io/busybox", "docker.io/library/busybox:latest"),
        ("user/app:v1", "docker.io/user/app:v1"),
        ("localhost/app", "localhost/app:latest"),
        ("127.0.0.1:5000/busybox", "127.0.0.1:5000/busybox:latest"),
        ("127.0.0.1:5000/a/b:tag", "127.0.0.1:5000/a/b:tag"),
        ("quay.example/x@sha256:" + String(repeating: "a", count: 64), "quay.example/x@sha256:" + String(repeating: "a", count: 64)),
        ("r.example:443/x:t@sha256:" + String(repeating: "b", count: 64), "r.example:443/x:t@sha256:" + String(repeating: "b", count: 64)),
    ])
    func normalizes(input: String, expected: String) throws {
        #expect(try ImageReference(parsing: input).description == expected)
    }

    @Test(arguments: ["", "Busybox", "busybox:", "busybox@sha256:abc", "a//b", "-x", "busybox:-bad", " busybox", "x/UPPER:1"])
    func rejects(input: String) {
        #expect(throws: ImageReference.ParseError.self) { try ImageReference(parsing: input) }
    }

    @Test func manifestReferencePrefersDigest() throws {
        let digest = "sha256:" + String(repeating: "c", count: 64)
        #expect(try ImageReference(parsing: "x:1@\(digest)").manifestReference == digest)
        #expect(try ImageReference(parsing: "x").manifestReference == "latest")
    }
}
