import Foundation
import Testing
@testable import Kubelet

struct CRILogFormatTests {
    static let log = Array("""
    2026-12-01T10:00:00.000000001Z stdout F one
    2026-12-01T10:00:01.000000000Z stderr P tw
    2026-12-01T10:00:01.500000000Z stderr F o
    2026-12-01T10:00:05.000000000Z stdout F three

    """.utf8)
    static let now = Date(timeIntervalSince1970: 1_796_119_206) // 2026-12-01T10:00:06Z

    func render(_ query: [(String, String)]) -> String {
        String(decoding: CRILogFormat(options: LogOptions(query: query), now: Self.now).render(Self.log), as: UTF8.self)
    }

    @Test func partialLinesAreJoined() { #expect(render([]) == "one\ntwo\nthree\n") }

    @Test func tailKeepsTheLastLines() { #expect(render([("tailLines", "2")]) == "two\nthree\n") }

    @Test func timestampsComeFirst() {
        #expect(render([("tailLines", "1"), ("timestamps", "true")]) == "2026-12-01T10:00:05.000000000Z three\n")
    }

    @Test func sinceDropsOlderLines() { #expect(render([("sinceSeconds", "3")]) == "three\n") }

    @Test func limitBytesCuts() { #expect(render([("limitBytes", "6")]) == "one\ntw") }

    @Test func recordFields() throws {
        let r = try #require(CRILogFormat.parse(ArraySlice("2026-12-01T10:00:00Z stderr P abc def".utf8)))
        #expect(r.stream == "stderr" && r.partial && String(decoding: r.content, as: UTF8.self) == "abc def")
        #expect(CRILogFormat.parse(ArraySlice("garbage".utf8)) == nil)
    }
}
