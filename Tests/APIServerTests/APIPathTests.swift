import Testing
@testable import APIServer

struct APIPathTests {
    @Test(arguments: [
        ("/api/v1/namespaces/ns/pods/web/status", "", "v1", "ns", "pods", "web", "status"),
        ("/api/v1/namespaces/ns/pods", "", "v1", "ns", "pods", nil, nil),
        ("/api/v1/pods", "", "v1", nil, "pods", nil, nil),
        ("/api/v1/namespaces/kube-system", "", "v1", nil, "namespaces", "kube-system", nil),
        ("/api/v1/namespaces/gone/finalize", "", "v1", nil, "namespaces", "gone", "finalize"),
        ("/api/v1/namespaces/gone/status", "", "v1", nil, "namespaces", "gone", "status"),
        ("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1", "coordination.k8s.io", "v1", "kube-node-lease", "leases", "n1", nil),
        ("/apis/storage.k8s.io/v1/storageclasses/fast", "storage.k8s.io", "v1", nil, "storageclasses", "fast", nil),
    ] as [(String, String, String, String?, String, String?, String?)])
    func resourcePaths(path: String, group: String, version: String, ns: String?, resource: String, name: String?, sub: String?) throws {
        let p = try #require(APIPath.parse(path))
        #expect(p.kind == .resource)
        #expect(p.group == group)
        #expect(p.version == version)
        #expect(p.namespace == ns)
        #expect(p.resource == resource)
        #expect(p.name == name)
        #expect(p.subresource == sub)
    }

    @Test func discoveryPaths() {
        #expect(APIPath.parse("/api")?.kind == .groupList(legacy: true))
        #expect(APIPath.parse("/apis")?.kind == .groupList(legacy: false))
        #expect(APIPath.parse("/apis/storage.k8s.io")?.kind == .group("storage.k8s.io"))
        #expect(APIPath.parse("/api/v1")?.kind == .groupVersion)
        #expect(APIPath.parse("/healthz") == nil)
    }

    @Test func queryDecoding() {
        let q = RequestOptions.parseQuery("labelSelector=env+in+%28a%2Cb%29&fieldSelector=spec.nodeName%3D&watch=true&limit=500")
        let o = RequestOptions(query: q)
        #expect(o.labelSelector == "env in (a,b)")
        #expect(o.fieldSelector == "spec.nodeName=")
        #expect(o.watch)
        #expect(o.limit == 500)
    }
}
