import ArgumentParser
import Foundation
import Terminal
import Training

/// `nntop train`: the default command.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a network: the live dashboard on a terminal, one line per epoch otherwise.")

  @OptionGroup var options: TrainOptions

  mutating func run() throws {
    let headless = options.headless || isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0
    let setup = try RunSetup(options, headless: headless)
    let catalog = ThemeCatalog()
    let selection = try catalog.selection(option: options.theme)
    let outputs = try RunOutputs(options, setup: setup)
    StopSignals.install()
    let ending: RunSummary.Ending?
    if headless {
      ending = try HeadlessRunner(setup: setup, outputs: outputs, options: options).run()
    } else {
      var dashboard = DashboardRunner(
        setup: setup, outputs: outputs, options: options, themes: selection.themes, themeIndex: selection.index)
      dashboard.notes = catalog.entries.compactMap { $0.error.map { "theme not loaded: \($0.description)" } }
      ending = try dashboard.run()
    }
    // Stopped by a signal: the log and the checkpoint are complete all the
    // same, but the exit status says so.
    if let status = ending?.signalExitStatus { Foundation.exit(status) }
  }
}
