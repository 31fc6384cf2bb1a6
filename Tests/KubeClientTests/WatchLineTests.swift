import KubeAPI
import Testing
@testable import KubeClient
@testable import StreamRelay

struct WatchLineTests {
    @Test func linesAcrossChunks() {
        var splitter = LineSplitter()
        var lines: [String] = []
        for chunk in ["{\"type\":\"ADDED\",\"obj", "ect\":{}}\n{\"type\":\"DELETED\",\"object\":{\"a\":1}}\n", "\n"] {
            splitter.feed(Array(chunk.utf8)) { lines.append(String(decoding: $0, as: UTF8.self)) }
        }
        #expect(lines.count == 2)
        #expect(WatchEvent(line: Array(lines[1].utf8))?.type == .deleted)
        #expect(WatchEvent(line: Array("not json".utf8)) == nil)
    }

    @Test func linesFedByteByByteAndFromNonContiguousBytes() {
        let text = "{\"a\":1}\n\n{\"b\":2}\n{\"c\""
        var splitter = LineSplitter()
        var lines: [String] = []
        for byte in text.utf8 { splitter.feed([byte]) { lines.append(String(decoding: $0, as: UTF8.self)) } }
        #expect(lines == ["{\"a\":1}", "{\"b\":2}"])
        var other = LineSplitter()
        var more: [String] = []
        other.feed(text.utf8.lazy.map { $0 }) { more.append(String(decoding: $0, as: UTF8.self)) }
        other.feed(Array(":3}\n".utf8)) { more.append(String(decoding: $0, as: UTF8.self)) }
        #expect(more == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
    }

    @Test func queryEncoding() {
        #expect(KubeClient.encode([("fieldSelector", "spec.nodeName=n1"), ("watch", "true")]) == "?fieldSelector=spec.nodeName%3Dn1&watch=true")
        #expect(KubeClient.encode([]) == "")
    }

    @Test func errorStatusIsRead() {
        let e = KubeClientError.from(code: 409, body: Array(#"{"kind":"Status","reason":"AlreadyExists","message":"exists"}"#.utf8))
        #expect(e.isAlreadyExists && e.isConflict && !e.isNotFound)
        #expect(KubeClientError.from(code: 500, body: Array("oops".utf8)).reason == "")
    }

    @Test(arguments: [
        ("v5.channel.k8s.io", "v5.channel.k8s.io"),
        ("v5.channel.k8s.io,v4.channel.k8s.io", "v5.channel.k8s.io"),
        ("base64.channel.k8s.io, v4.channel.k8s.io", "v4.channel.k8s.io"),
        ("SPDY/3.1", nil),
    ] as [(String, String?)])
    func subprotocolChoice(offered: String, chosen: String?) {
        #expect(ChannelProtocol.choose(offered: offered) == chosen)
    }

    @Test func v5FallsBackToV4() {
        #expect(ChannelProtocol.fallbacks(for: ChannelProtocol.v5) == [ChannelProtocol.v5, ChannelProtocol.v4])
        #expect(ChannelProtocol.fallbacks(for: ChannelProtocol.v4) == [ChannelProtocol.v4])
    }
}
