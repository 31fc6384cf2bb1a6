import ArgumentParser

struct RuntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runtime", abstract: "Run the CRI server alone.")
    func run() async throws {}
}
