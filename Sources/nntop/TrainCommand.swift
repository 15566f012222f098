import ArgumentParser
import Foundation
import Terminal
import RunEvents
import Training

/// `nntop train`: the default command.
struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a network: the live dashboard on a terminal, one line per epoch otherwise.")

  @OptionGroup var options: TrainOptions

  mutating func run() throws {
    let headless = options.headless || isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0
    // Headless runs are for results: always at full speed.
    if options.pace != nil && options.headless {
      throw RunFailure(message: "--pace slows the dashboard's training; a --headless run always trains at full speed", code: 64)
    }
    if options.pace != nil && headless { warn("--pace is ignored: stdout or stdin is not a terminal, so this run is headless and trains at full speed") }
    let setup = try RunSetup(options, headless: headless)
    let catalog = ThemeCatalog()
    let selection = try catalog.selection(option: options.theme)
    // What the run may write, checked before anything is written or drawn.
    let replacing = try RunOutputs.check(options, setup: setup)
    replacing.forEach(warn)
    StopSignals.install()
    SuspendSignal.install(deferred: !headless, observer: ProcessStops.shared)
    // The terminal before the output files: one that cannot show the
    // dashboard (TERM=dumb) leaves the log and its run alone.
    let terminal = headless ? nil : try TerminalScreen()
    let outputs: RunOutputs
    do {
      outputs = try RunOutputs(options, setup: setup)
    } catch {
      terminal?.stop()
      throw error
    }
    let ending: RunSummary.Ending?
    if let terminal {
      var dashboard = DashboardRunner(
        setup: setup, outputs: outputs, options: options, terminal: terminal, themes: selection.themes, themeIndex: selection.index)
      dashboard.notes = setup.dataNotes + replacing + catalog.entries.compactMap { $0.error.map { "theme not loaded: \($0.description)" } }
      ending = try dashboard.run()
    } else {
      ending = try HeadlessRunner(setup: setup, outputs: outputs, options: options).run()
    }
    // Stopped by a signal: the log and the checkpoint are complete all the
    // same, but the exit status says so.
    if let status = ending?.exitStatus { Foundation.exit(status) }
  }
}
