@testable import EtcdStore
import Testing

@Suite("HTTP/2 PING filter in front of the etcd connection")
struct HTTP2PingFilterTests {
    static func frame(type: UInt8, flags: UInt8, stream: UInt8 = 0, payload: [UInt8]) -> [UInt8] {
        [0, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF), type, flags, 0, 0, 0, stream] + payload
    }

    static let settings = frame(type: 4, flags: 0, payload: [0, 3, 0, 0, 0, 100])
    static let windowUpdate = frame(type: 8, flags: 0, payload: [0, 0, 0x10, 0])
    static let ping = frame(type: 6, flags: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8])
    static let pingAck = frame(type: 6, flags: 1, payload: [8, 7, 6, 5, 4, 3, 2, 1])
    static let data = frame(type: 0, flags: 1, stream: 3, payload: Array(repeating: 0x2A, count: 300))

    @Test(arguments: [1, 2, 5, 9, 17, 1000])
    func pingRequestsAreTakenOutAndEverythingElsePassesInOrder(chunk: Int) {
        let stream = Self.settings + Self.windowUpdate + Self.ping + Self.data + Self.pingAck + Self.ping
        var filter = HTTP2PingFilter()
        var passed: [UInt8] = []
        var pings: [[UInt8]] = []
        var start = 0
        while start < stream.count {
            let (out, found) = filter.feed(stream[start..<min(stream.count, start + chunk)])
            passed += out
            pings += found
            start += chunk
        }
        #expect(passed == Self.settings + Self.windowUpdate + Self.data + Self.pingAck)
        #expect(pings == [[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]])
    }

    @Test func malformedPingsAreLeftToTheHTTP2Handler() {
        let short = Self.frame(type: 6, flags: 0, payload: [1, 2, 3])
        let onAStream = Self.frame(type: 6, flags: 0, stream: 1, payload: [1, 2, 3, 4, 5, 6, 7, 8])
        var filter = HTTP2PingFilter()
        let (passed, pings) = filter.feed(short + onAStream)
        #expect(passed == short + onAStream)
        #expect(pings.isEmpty)
    }

    @Test func theAcknowledgementEchoesThePayload() {
        #expect(HTTP2PingFilter.acknowledgement([1, 2, 3, 4, 5, 6, 7, 8]) == Self.frame(type: 6, flags: 1, payload: [1, 2, 3, 4, 5, 6, 7, 8]))
    }
}
