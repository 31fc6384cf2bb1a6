@testable import ContainerRuntime
import Testing

@Suite struct AuthChallengeTests {
    @Test func parsesBearer() throws {
        let challenge = try #require(AuthChallenge(header: #"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:library/busybox:pull""#))
        #expect(challenge.scheme == .bearer)
        #expect(challenge.realm == "https://auth.example/token")
        #expect(challenge.parameters["service"] == "registry.example")
        #expect(challenge.parameters["scope"] == "repository:library/busybox:pull")
    }

    @Test(arguments: [
        (#"Basic realm="Registry Realm""#, AuthChallenge.Scheme.basic, ["realm": "Registry Realm"]),
        ("basic realm=plain", .basic, ["realm": "plain"]),
        ("Bearer", .bearer, [:]),
        (#"Bearer realm="a,b", scope="x""#, .bearer, ["realm": "a,b", "scope": "x"]),
    ])
    func parses(header: String, scheme: AuthChallenge.Scheme, parameters: [String: String]) throws {
        let challenge = try #require(AuthChallenge(header: header))
        #expect(challenge.scheme == scheme)
        #expect(challenge.parameters == parameters)
    }

    @Test func rejectsUnknownScheme() {
        #expect(AuthChallenge(header: "Negotiate abc") == nil)
    }

    @Test func credentialsFromAuthField() {
        let credentials = RegistryCredentials(auth: "dXNlcjpwYXNzOndvcmQ=")
        #expect(credentials.username == "user")
        #expect(credentials.password == "pass:word")
        #expect(credentials.basicHeader == "Basic dXNlcjpwYXNzOndvcmQ=")
        #expect(RegistryCredentials.anonymous.basicHeader == nil)
    }
}
