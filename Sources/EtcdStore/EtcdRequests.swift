import Foundation

// Small constructors for the etcd messages the backend builds.

extension Etcdserverpb_Compare {
    init(key: [UInt8], target: CompareTarget, createRevision: Int64) {
        self.init()
        self.key = Data(key)
        self.target = target
        result = .equal
        self.createRevision = createRevision
    }

    init(key: [UInt8], target: CompareTarget, modRevision: Int64) {
        self.init()
        self.key = Data(key)
        self.target = target
        result = .equal
        self.modRevision = modRevision
    }

    /// The key exists: its create revision is above 0.
    init(key: [UInt8], existing: Bool) {
        self.init()
        self.key = Data(key)
        target = .create
        result = existing ? .greater : .equal
        createRevision = 0
    }
}

extension Etcdserverpb_RequestOp {
    /// `lease` 0: none (a put without a lease also detaches the key from the one it had).
    static func put(_ key: [UInt8], _ value: [UInt8], prevKV: Bool, lease: Int64 = 0) -> Self {
        var put = Etcdserverpb_PutRequest()
        put.key = Data(key)
        put.value = Data(value)
        put.prevKv = prevKV
        put.lease = lease
        var op = Self()
        op.requestPut = put
        return op
    }

    static func delete(_ key: [UInt8]) -> Self {
        var delete = Etcdserverpb_DeleteRangeRequest()
        delete.key = Data(key)
        delete.prevKv = true
        var op = Self()
        op.requestDeleteRange = delete
        return op
    }

    static func get(_ key: [UInt8]) -> Self {
        var range = Etcdserverpb_RangeRequest()
        range.key = Data(key)
        var op = Self()
        op.requestRange = range
        return op
    }
}
