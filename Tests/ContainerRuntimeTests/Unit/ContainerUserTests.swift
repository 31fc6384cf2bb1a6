@testable import ContainerRuntime
import Testing

@Suite struct ContainerUserTests {
    static let passwd = "root:x:0:0:root:/root:/bin/sh\nwww:x:33:34::/var/www:/bin/false\n"
    static let group = "root:x:0:\nstaff:x:50:\n"

    @Test(arguments: [
        (nil, nil, nil, nil, UInt32(0), UInt32(0)),
        ("www", nil, nil, nil, 33, 34),
        ("33", nil, nil, nil, 33, 34),
        ("www:staff", nil, nil, nil, 33, 50),
        ("1000:1000", nil, nil, nil, 1000, 1000),
        ("www", Int64(1001), nil, nil, 1001, 0),
        (nil, Int64(33), Int64(7), nil, 33, 7),
        (nil, nil, nil, "www", 33, 34),
    ] as [(String?, Int64?, Int64?, String?, UInt32, UInt32)])
    func resolves(imageUser: String?, runAsUser: Int64?, runAsGroup: Int64?, username: String?, uid: UInt32, gid: UInt32) throws {
        let user = try ContainerUser.resolve(imageUser: imageUser, runAsUser: runAsUser, runAsGroup: runAsGroup, runAsUsername: username,
                                             supplementalGroups: [], passwd: Self.passwd, group: Self.group)
        #expect(user.uid == uid)
        #expect(user.gid == gid)
    }

    @Test func unknownNameFails() {
        #expect(throws: RuntimeError.self) {
            try ContainerUser.resolve(imageUser: "ghost", runAsUser: nil, runAsGroup: nil, runAsUsername: nil,
                                      supplementalGroups: [], passwd: Self.passwd, group: Self.group)
        }
    }
}
