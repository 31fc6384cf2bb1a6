import Foundation
import KubeAPI
import Testing
@testable import Kubelet

struct ServiceAccountTokenCacheTests {
    static let t0 = Date(timeIntervalSince1970: 1_000_000)

    @Test func refreshesAtEightyPercentOrADay() {
        let hour = ServiceAccountTokenCache.Token(value: "a", issued: Self.t0, expires: Self.t0.addingTimeInterval(3600))
        #expect(hour.refreshAt == Self.t0.addingTimeInterval(2880))
        let year = ServiceAccountTokenCache.Token(value: "b", issued: Self.t0, expires: Self.t0.addingTimeInterval(365 * 86400))
        #expect(year.refreshAt == Self.t0.addingTimeInterval(86400))
    }

    @Test func dueRequests() {
        var cache = ServiceAccountTokenCache()
        let r = ServiceAccountTokenCache.Request(audience: "", expirationSeconds: 3607)
        let other = ServiceAccountTokenCache.Request(audience: "vault", expirationSeconds: 600)
        #expect(cache.due([r, other], now: Self.t0) == [r, other])
        cache.store(r, .init(value: "tok", issued: Self.t0, expires: Self.t0.addingTimeInterval(3600)))
        #expect(cache.due([r, other], now: Self.t0.addingTimeInterval(100)) == [other])
        #expect(cache.due([r], now: Self.t0.addingTimeInterval(2900)) == [r])
        #expect(cache.nextRefresh([r]) == Self.t0.addingTimeInterval(2880))
        #expect(cache.values[r.key] == "tok")
    }
}
