import CSI
import KubeAPI
import Testing
@testable import Controllers
import VolumeProvisioning

struct PersistentVolumeDecisionTests {
    static func json(_ text: String) -> JSON { try! JSONParser.parse(text) }

    static func claim(_ name: String = "data", uid: String = "u1", cls: String? = "fast", size: String = "1Gi",
                      modes: [String] = ["ReadWriteOnce"], volumeName: String? = nil, phase: String = "Pending",
                      annotations: [String: String] = [:], deleting: Bool = false, finalizers: [String] = ["kubernetes.io/pvc-protection"]) -> JSON {
        var meta: JSON = ["name": .string(name), "namespace": "default", "uid": .string(uid), "resourceVersion": "7",
                          "finalizers": .array(finalizers.map { .string($0) }),
                          "annotations": .object(JSONObject(annotations.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))]
        if deleting { meta["deletionTimestamp"] = "2026-01-01T00:00:00Z" }
        var spec: JSON = ["accessModes": .array(modes.map { .string($0) }), "resources": ["requests": ["storage": .string(size)]]]
        if let cls { spec["storageClassName"] = .string(cls) }
        if let volumeName { spec["volumeName"] = .string(volumeName) }
        return ["metadata": meta, "spec": spec, "status": ["phase": .string(phase)]]
    }

    static func volume(_ name: String, size: String = "2Gi", cls: String = "fast", modes: [String] = ["ReadWriteOnce"],
                       claimRef: (String, String)? = nil, phase: String = "Available", policy: String = "Delete",
                       labels: [String: String] = [:]) -> JSON {
        var spec: JSON = ["capacity": ["storage": .string(size)], "accessModes": .array(modes.map { .string($0) }),
                          "storageClassName": .string(cls), "persistentVolumeReclaimPolicy": .string(policy)]
        if let (n, uid) = claimRef { spec["claimRef"] = ["name": .string(n), "namespace": "default", "uid": .string(uid)] }
        return ["metadata": ["name": .string(name), "labels": .object(JSONObject(labels.map { ($0.key, .string($0.value)) }))],
                "spec": spec, "status": ["phase": .string(phase)]]
    }

    static let immediate: JSON = ["metadata": ["name": "fast"], "provisioner": "hostpath.csi.skiff.dev", "volumeBindingMode": "Immediate"]
    static let late: JSON = ["metadata": ["name": "fast"], "provisioner": "hostpath.csi.skiff.dev", "volumeBindingMode": "WaitForFirstConsumer"]

    static func ctx(volumes: [JSON] = [], cls: JSON? = immediate, inUse: Bool = false, consumer: String? = nil) -> ClaimContext {
        ClaimContext(volumes: Dictionary(uniqueKeysWithValues: volumes.map { ($0[path: ["metadata", "name"]]!.string!, $0) }),
                     classes: cls.map { ["fast": $0] } ?? [:], provisioners: ["hostpath.csi.skiff.dev"], inUse: inUse, consumerNode: consumer)
    }

    @Test func bindsTheSmallestMatchingVolume() {
        let vols = [Self.volume("big", size: "10Gi"), Self.volume("small", size: "1Gi"), Self.volume("tiny", size: "500Mi"),
                    Self.volume("rox", size: "1Gi", modes: ["ReadOnlyMany"]), Self.volume("other", size: "1Gi", cls: "slow")]
        #expect(ClaimDecision.decide(Self.claim(), Self.ctx(volumes: vols)) == .bind(volume: "small"))
    }

    @Test func selectorMustMatch() {
        let sel: JSON = ["matchLabels": ["tier": "gold"]]
        var c = Self.claim()
        c[path: ["spec", "selector"]] = sel
        let vols = [Self.volume("plain"), Self.volume("gold", labels: ["tier": "gold"])]
        #expect(ClaimDecision.decide(c, Self.ctx(volumes: vols)) == .bind(volume: "gold"))
    }

    @Test func provisionsWhenNothingMatches() {
        #expect(ClaimDecision.decide(Self.claim(), Self.ctx()) == .provision(className: "fast", node: nil))
    }

    @Test func lateBindingWaitsForTheConsumersNode() {
        #expect(ClaimDecision.decide(Self.claim(), Self.ctx(cls: Self.late)) == .waitForFirstConsumer)
        #expect(ClaimDecision.decide(Self.claim(annotations: ["volume.kubernetes.io/selected-node": "n1"]), Self.ctx(cls: Self.late))
            == .provision(className: "fast", node: "n1"))
        #expect(ClaimDecision.decide(Self.claim(), Self.ctx(cls: Self.late, consumer: "n2")) == .provision(className: "fast", node: "n2"))
    }

    @Test func aNodeLocalDriverProvisionsOnlyItsNodesLateClaims() {
        var ctx = Self.ctx(cls: Self.late)
        ctx.scope = .central(node: "n1", topology: ["topology.hostpath.csi.skiff.dev/node": "n1"])
        let mine = Self.claim(annotations: ["volume.kubernetes.io/selected-node": "n1"])
        let agents = Self.claim(annotations: ["volume.kubernetes.io/selected-node": "n2"])
        #expect(ClaimDecision.decide(mine, ctx) == .provision(className: "fast", node: "n1"))
        guard case .fail(let reason, _) = ClaimDecision.decide(agents, ctx) else {
            Issue.record("a claim selected for another node is that node's to provision")
            return
        }
        #expect(reason == "ExternalProvisioning")
        ctx.classes = ["fast": Self.immediate]
        #expect(ClaimDecision.decide(Self.claim(), ctx) == .provision(className: "fast", node: nil))
    }

    @Test func failuresSayWhy() {
        guard case .fail(let r1, let m1) = ClaimDecision.decide(Self.claim(cls: nil), Self.ctx()) else { Issue.record("no failure"); return }
        #expect(r1 == "FailedBinding" && m1.contains("no storage class is set"))
        guard case .fail(let r2, let m2) = ClaimDecision.decide(Self.claim(cls: "fast"), Self.ctx(cls: nil)) else { Issue.record("no failure"); return }
        #expect(r2 == "ProvisioningFailed" && m2 == "storageclass.storage.k8s.io \"fast\" not found")
        let foreign: JSON = ["metadata": ["name": "fast"], "provisioner": "ebs.csi.aws.com"]
        guard case .fail(let r3, _) = ClaimDecision.decide(Self.claim(), Self.ctx(cls: foreign)) else { Issue.record("no failure"); return }
        #expect(r3 == "ExternalProvisioning")
    }

    @Test func completesABindingThePVAlreadyNames() {
        let pv = Self.volume("pvc-u1", claimRef: ("data", "u1"))
        #expect(ClaimDecision.decide(Self.claim(), Self.ctx(volumes: [pv])) == .completeBinding(volume: "pvc-u1"))
        let bound = Self.claim(volumeName: "pvc-u1", phase: "Bound", annotations: ["pv.kubernetes.io/bind-completed": "yes"])
        #expect(ClaimDecision.decide(bound, Self.ctx(volumes: [Self.volume("pvc-u1", claimRef: ("data", "u1"), phase: "Bound")])) == ClaimAction.none)
        // A volume that names another claim of the same name (an older one) is not ours.
        #expect(ClaimDecision.decide(Self.claim(), Self.ctx(volumes: [Self.volume("old", claimRef: ("data", "u0"), phase: "Bound")]))
            == .provision(className: "fast", node: nil))
    }

    @Test func protectionLiftsOnlyWhenUnused() {
        #expect(ClaimDecision.decide(Self.claim(deleting: true), Self.ctx(inUse: true)) == ClaimAction.none)
        #expect(ClaimDecision.decide(Self.claim(deleting: true), Self.ctx(inUse: false)) == .releaseProtection)
        #expect(ClaimDecision.decide(Self.claim(deleting: true, finalizers: []), Self.ctx()) == ClaimAction.none)
    }

    @Test func volumesFollowTheirClaims() {
        let claim = Self.claim(volumeName: "v", phase: "Bound")
        #expect(VolumeDecision.decide(Self.volume("v", claimRef: ("data", "u1"), phase: "Bound"), claim: claim) == VolumeAction.none)
        #expect(VolumeDecision.decide(Self.volume("v", claimRef: ("data", "u1"), phase: "Bound"), claim: nil) == .delete)
        #expect(VolumeDecision.decide(Self.volume("v", claimRef: ("data", "u1"), phase: "Bound", policy: "Retain"), claim: nil) == .setPhase("Released"))
        #expect(VolumeDecision.decide(Self.volume("v", claimRef: ("data", "u1"), phase: "Released", policy: "Retain"), claim: nil) == VolumeAction.none)
        #expect(VolumeDecision.decide(Self.volume("v", phase: "Pending"), claim: nil) == .setPhase("Available"))
        var deleting = Self.volume("v", phase: "Released")
        deleting[path: ["metadata", "deletionTimestamp"]] = "2026-01-01T00:00:00Z"
        deleting[path: ["metadata", "finalizers"]] = ["kubernetes.io/pv-protection"]
        #expect(VolumeDecision.decide(deleting, claim: nil) == .releaseProtection)
    }

    @Test func provisioningRequestAndVolume() {
        let node = ["topology.hostpath.csi.skiff.dev/node": "n1", "kubernetes.io/hostname": "n1"]
        let req = ProvisionRequest.create(Self.claim(modes: ["ReadWriteOncePod"]), storageClass: Self.late, nodeLabels: node)
        #expect(req.name == "pvc-u1")
        #expect(req.capacityRange.requiredBytes == 1 << 30)
        #expect(req.volumeCapabilities.map(\.accessMode.mode) == [.singleNodeSingleWriter])
        #expect(req.accessibilityRequirements.requisite.map(\.segments) == [["topology.hostpath.csi.skiff.dev/node": "n1"]])
        let volume = Csi_V1_Volume.with {
            $0.volumeID = "vol-1"
            $0.capacityBytes = 1 << 30
            $0.accessibleTopology = [.with { $0.segments = ["topology.hostpath.csi.skiff.dev/node": "n1"] }]
        }
        let pv = ProvisionRequest.persistentVolume(Self.claim(), storageClass: Self.late, volume: volume, fsType: "")
        #expect(pv[path: ["metadata", "name"]]?.string == "pvc-u1")
        #expect(pv[path: ["spec", "capacity", "storage"]]?.string == "1Gi")
        #expect(pv[path: ["spec", "claimRef", "uid"]]?.string == "u1")
        #expect(pv[path: ["spec", "csi", "volumeHandle"]]?.string == "vol-1")
        #expect(pv[path: ["spec", "persistentVolumeReclaimPolicy"]]?.string == "Delete")
        #expect(pv[path: ["metadata", "annotations", "pv.kubernetes.io/provisioned-by"]]?.string == "hostpath.csi.skiff.dev")
        let expr = pv[path: ["spec", "nodeAffinity", "required", "nodeSelectorTerms"]]?.array?.first?["matchExpressions"]?.array?.first
        #expect(expr?["key"]?.string == "topology.hostpath.csi.skiff.dev/node" && expr?["values"] == ["n1"])
    }
}
