@testable import ContainerRuntime
import Foundation
import Testing

@Suite struct StreamingProtocolTests {
    @Test func framesCarryTheStreamInTheFirstByte() {
        let frame = ChannelFrame(stream: ChannelFrame.stdout, payload: Array("hi".utf8))
        #expect(frame.bytes == [1, 104, 105])
        #expect(ChannelFrame(message: [2, 7, 8]) == ChannelFrame(stream: 2, payload: [7, 8]))
        #expect(ChannelFrame(message: [3]) == ChannelFrame(stream: 3))
        #expect(ChannelFrame(message: [UInt8]()) == nil)
        #expect(ChannelFrame(message: [255, 0]) == ChannelFrame(stream: ChannelFrame.close, payload: [ChannelFrame.stdin]))
    }

    @Test func portPrefixIsLittleEndian() {
        #expect(ChannelFrame.portPrefix(80) == [80, 0])
        #expect(ChannelFrame.portPrefix(8080) == [0x90, 0x1f])
    }

    @Test(arguments: [
        (["v5.channel.k8s.io"], StreamProtocol.v5),
        (["v4.channel.k8s.io, v5.channel.k8s.io"], .v4),
        (["base64.channel.k8s.io", "channel.k8s.io"], .v1),
        ([], .unnamed),
        ([""], .unnamed),
    ] as [([String], StreamProtocol)])
    func remoteCommandNegotiation(offered: [String], chosen: StreamProtocol) {
        #expect(StreamProtocol.negotiate(offered: offered, supported: StreamProtocol.remoteCommand) == chosen)
    }

    @Test func unsupportedProtocolsAreRefused() {
        #expect(StreamProtocol.negotiate(offered: ["SPDY/3.1+portforward.k8s.io"], supported: StreamProtocol.portForward) == nil)
        #expect(StreamProtocol.negotiate(offered: ["v5.channel.k8s.io"], supported: StreamProtocol.portForward) == nil)
        #expect(StreamProtocol.negotiate(offered: ["portforward.k8s.io"], supported: StreamProtocol.portForward) == .portForwardV1)
    }

    @Test func resizeMessages() {
        #expect(TerminalSize.decode(Array(#"{"Width":80,"Height":24}"#.utf8)) == [TerminalSize(width: 80, height: 24)])
        #expect(TerminalSize.decode(Array(#"{"Width":1,"Height":2}{"Width":3,"Height":4}"#.utf8)).map(\.width) == [1, 3])
        #expect(TerminalSize.decode(Array("garbage".utf8)).isEmpty)
    }

    @Test func routes() {
        #expect(StreamRegistry.route("/exec/abc")! == ("exec", "abc"))
        #expect(StreamRegistry.route("/portforward/t?port=80")! == ("portforward", "t"))
        #expect(StreamRegistry.route("/exec/") == nil)
        #expect(StreamRegistry.route("/logs/abc") == nil)
        #expect(StreamRegistry.route("/exec/a/b") == nil)
        #expect(StreamUpgrade.ports(inQuery: "/portforward/t?port=80&port=443,8080&port=0") == [80, 443, 8080])
    }

    @Test func requestValidation() {
        #expect(throws: RuntimeError.self) { try StreamRequest.validate(stdin: false, stdout: true, stderr: true, tty: true) }
        #expect(throws: RuntimeError.self) { try StreamRequest.validate(stdin: false, stdout: false, stderr: false, tty: false) }
        #expect(throws: Never.self) { try StreamRequest.validate(stdin: true, stdout: false, stderr: false, tty: true) }
    }
}
