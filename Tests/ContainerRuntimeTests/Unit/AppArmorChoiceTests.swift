@testable import ContainerRuntime
import CRI
import Testing

@Suite struct AppArmorChoiceTests {
    static func profile(_ type: Runtime_V1_SecurityProfile.ProfileType, _ ref: String = "") -> Runtime_V1_SecurityProfile {
        .with { $0.profileType = type; $0.localhostRef = ref }
    }

    static let loaded: Set<String> = ["k8s-nginx"]

    @Test(arguments: [
        // profile, privileged, AppArmor enabled, expected
        (nil, false, false, AppArmorChoice.unconfined),
        (profile(.unconfined), false, false, .unconfined),
        (nil, false, true, .runtimeDefault),
        (nil, true, true, .unconfined),
        (profile(.runtimeDefault), false, true, .runtimeDefault),
        (profile(.runtimeDefault), true, true, .unconfined),
        (profile(.unconfined), false, true, .unconfined),
        (profile(.localhost, "k8s-nginx"), false, true, .localhost("k8s-nginx")),
        (profile(.localhost, "localhost/k8s-nginx"), true, true, .localhost("k8s-nginx")),
    ] as [(Runtime_V1_SecurityProfile?, Bool, Bool, AppArmorChoice)])
    func decides(profile: Runtime_V1_SecurityProfile?, privileged: Bool, enabled: Bool, expected: AppArmorChoice) throws {
        #expect(try AppArmorChoice.decide(profile, privileged: privileged, enabled: enabled, isLoaded: Self.loaded.contains) == expected)
    }

    @Test(arguments: [
        // containerd 1.6's errors: without AppArmor anything but Unconfined is refused
        (profile(.runtimeDefault), false, "apparmor is not supported"),
        (profile(.localhost, "k8s-nginx"), false, "apparmor is not supported"),
        (profile(.localhost, "absent"), true, "apparmor profile not found absent"),
        (profile(.localhost), true, "needs localhost_ref"),
        (profile(.runtimeDefault, "k8s-nginx"), true, "LocalhostRef must only be set if ProfileType is Localhost"),
    ] as [(Runtime_V1_SecurityProfile, Bool, String)])
    func refuses(profile: Runtime_V1_SecurityProfile, enabled: Bool, message: String) {
        #expect { _ = try AppArmorChoice.decide(profile, privileged: false, enabled: enabled, isLoaded: Self.loaded.contains) } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test(arguments: [
        // the apparmor field, the deprecated string, the profile asked for
        (nil, "", nil),
        (nil, "runtime/default", profile(.runtimeDefault)),
        (nil, "docker/default", profile(.runtimeDefault)),
        (nil, "unconfined", profile(.unconfined)),
        (nil, "localhost/k8s-nginx", profile(.localhost, "k8s-nginx")),
        (profile(.unconfined), "localhost/k8s-nginx", profile(.unconfined)),
    ] as [(Runtime_V1_SecurityProfile?, String, Runtime_V1_SecurityProfile?)])
    func fieldBeforeDeprecatedString(field: Runtime_V1_SecurityProfile?, legacy: String, expected: Runtime_V1_SecurityProfile?) throws {
        let security = Runtime_V1_LinuxContainerSecurityContext.with {
            if let field { $0.apparmor = field }
            $0.apparmorProfile = legacy
        }
        #expect(try AppArmorChoice.requested(security) == expected)
    }

    @Test func badDeprecatedStringIsRefused() {
        #expect(throws: RuntimeError.self) { try AppArmorChoice.requested(.with { $0.apparmorProfile = "k8s-nginx" }) }
    }
}
