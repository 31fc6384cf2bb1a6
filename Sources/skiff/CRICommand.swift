import ArgumentParser

struct CRICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cri", abstract: "Inspect any CRI endpoint, like crictl.")
    func run() async throws {}
}
