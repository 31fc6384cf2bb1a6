import Foundation
import KubeAPI
import Testing
@testable import Kubelet

@Suite struct PodSpecViewTests {
    static let json = """
    {"metadata": {"name": "web", "namespace": "shop", "uid": "u-1", "labels": {"app": "web"}},
     "spec": {
       "nodeName": "node-1", "serviceAccountName": "sa", "terminationGracePeriodSeconds": 5, "restartPolicy": "OnFailure",
       "initContainers": [
         {"name": "setup", "image": "busybox:1.36", "command": ["sh", "-c", "true"]},
         {"name": "proxy", "image": "envoy:v1", "restartPolicy": "Always"}
       ],
       "containers": [{
         "name": "app", "image": "registry.local/app", "args": ["--port", "8080"], "workingDir": "/srv",
         "env": [
           {"name": "A", "value": "1"},
           {"name": "B", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
           {"name": "C", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}},
           {"name": "D", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "k", "optional": true}}},
           {"name": "E", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "p"}}}
         ],
         "envFrom": [{"configMapRef": {"name": "cfg"}, "prefix": "CFG_"}, {"secretRef": {"name": "sec", "optional": true}}],
         "ports": [{"name": "http", "containerPort": 8080}],
         "resources": {"limits": {"cpu": "500m", "memory": "128Mi"}},
         "livenessProbe": {"httpGet": {"port": "http", "httpHeaders": [{"name": "X", "value": "y"}]}, "periodSeconds": 5},
         "readinessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 3},
         "startupProbe": {"grpc": {"port": 9090}, "failureThreshold": 30},
         "lifecycle": {"postStart": {"exec": {"command": ["touch", "/ready"]}}, "preStop": {"sleep": {"seconds": 2}}},
         "securityContext": {"runAsUser": 1000, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}},
         "volumeMounts": [{"name": "data", "mountPath": "/data", "readOnly": true}]
       }],
       "volumes": [
         {"name": "data", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
         {"name": "cfg", "configMap": {"name": "cfg", "items": [{"key": "a", "path": "a.txt"}]}},
         {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
         {"name": "claim", "persistentVolumeClaim": {"claimName": "pvc-1"}}
       ]
     }}
    """

    @Test func decodesWhatTheKubeletReads() throws {
        let pod = PodSpecView(pod: try JSONParser.parse(Self.json))
        #expect(pod.formatted == "web_shop(u-1)")
        #expect(pod.restartPolicy == .onFailure && pod.terminationGracePeriodSeconds == 5 && pod.serviceAccountName == "sa")
        #expect(pod.initContainers.map(\.isSidecar) == [false, true])
        #expect(pod.qosClass == .burstable)

        let app = pod.containers[0]
        #expect(app.imagePullPolicy == .always && pod.initContainers[0].imagePullPolicy == .ifNotPresent)
        #expect(app.args == ["--port", "8080"] && app.workingDir == "/srv" && app.fieldPath == "spec.containers{app}")
        #expect(app.env.map(\.source) == [
            .value("1"), .fieldRef(fieldPath: "metadata.name"),
            .resourceFieldRef(containerName: nil, resource: "limits.cpu", divisor: try Quantity(parsing: "1m")),
            .configMapKeyRef(name: "cfg", key: "k", optional: true), .secretKeyRef(name: "sec", key: "p", optional: false),
        ])
        #expect(app.envFrom == [.init(kind: .configMap, name: "cfg", prefix: "CFG_"), .init(kind: .secret, name: "sec", optional: true)])
        #expect(app.ports.first?.protocol == "TCP")
        #expect(app.resources.requests["memory"] == (try Quantity(parsing: "128Mi")))
        #expect(app.livenessProbe?.periodSeconds == 5 && app.readinessProbe?.initialDelaySeconds == 3)
        #expect(app.startupProbe?.handler == .grpc(port: 9090, service: nil) && app.startupProbe?.failureThreshold == 30)
        guard case .httpGet(let get) = app.livenessProbe?.handler else { Issue.record("httpGet"); return }
        #expect(get.port == "http" && get.path == "/" && get.headers.first?.value == "y")
        #expect(app.postStart == .exec(command: ["touch", "/ready"]) && app.preStop == .sleep(seconds: 2))
        #expect(app.securityContext?.runAsUser == 1000 && app.securityContext?.readOnlyRootFilesystem == true)
        #expect(app.securityContext?.capabilitiesDrop == ["ALL"])
        #expect(app.volumeMounts.first?.readOnly == true)
        #expect(pod.volumes.map(\.source) == [
            .emptyDir(medium: "Memory", sizeLimit: try Quantity(parsing: "64Mi")),
            .configMap(name: "cfg", items: [.init(key: "a", path: "a.txt", mode: nil)], defaultMode: 0o644, optional: false),
            .hostPath(path: "/var/log", type: "Directory"),
            .persistentVolumeClaim(claimName: "pvc-1", readOnly: false),
        ])
    }

    @Test func defaultsForABarePod() {
        let pod = PodSpecView(pod: ["metadata": ["name": "p"], "spec": ["containers": [["name": "c", "image": "nginx"]]]])
        #expect(pod.namespace == "default" && pod.restartPolicy == .always && pod.terminationGracePeriodSeconds == 30)
        #expect(pod.qosClass == .bestEffort && !pod.isDeleted)
    }

    @Test func hashChangesOnlyWithNameOrImage() {
        let a = ContainerSpec(json: ["name": "c", "image": "nginx:1"], kind: .regular)
        let b = ContainerSpec(json: ["name": "c", "image": "nginx:1", "args": ["x"]], kind: .regular)
        let c = ContainerSpec(json: ["name": "c", "image": "nginx:2"], kind: .regular)
        #expect(a.hash == b.hash && a.hash != c.hash)
    }
}
