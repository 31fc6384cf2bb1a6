import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// URLSession on Linux turns a 401 with a Basic challenge into a delegate callback (and hangs
/// without a delegate). This delegate cancels such challenges and keeps the 401 response, so
/// the registry client runs the auth flow itself, the same way for Basic and Bearer.
final class ChallengeCatcher: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    private let responses = LockedValue<[URL: HTTPURLResponse]>([:])

    func urlSession(_ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
                    completionHandler: @escaping (URLSession.AuthChallengeDisposition, URLCredential?) -> Void) {
        if let response = challenge.failureResponse as? HTTPURLResponse, let url = task.originalRequest?.url {
            responses.withValue { $0[url] = response }
        }
        completionHandler(.cancelAuthenticationChallenge, nil)
    }

    /// The 401 that a cancelled request to `url` received, if that is why it was cancelled.
    func takeChallenge(for url: URL) -> HTTPURLResponse? {
        responses.withValue { $0.removeValue(forKey: url) }
    }
}
