@testable import ContainerRuntime
import Testing

@Suite struct WhiteoutTests {
    @Test(arguments: [
        (".wh..wh..opq", Whiteout.opaque),
        (".wh.file", .remove("file")),
        (".wh..hidden", .remove(".hidden")),
        (".wh.", .none),
        ("file.wh.x", .none),
        ("regular", .none),
    ])
    func classifies(name: String, expected: Whiteout) {
        #expect(Whiteout(fileName: name) == expected)
    }
}
