import ArgumentParser
import Dashboard
import Foundation
import RunEvents
import Terminal
import Training
import Watch

/// `nntop watch RUN_DIR`: a run nntop did not train (a PyTorch script with
/// `nntop.torch.Monitor`), followed live and steered through its commands file.
struct WatchRun: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Watch and steer a PyTorch run (a run directory made by nntop.torch.Monitor, or its log.jsonl); or follow a CSVLogger file.",
    discussion: """
      Keys: space pauses and resumes the training process, n runs one step, + and - double and halve η, \
      e sets it, s saves a checkpoint in the run's checkpoints/, K stops the process (asks y/n), q quits \
      the dashboard and leaves the run training. Started before the run, it waits for the log; a run \
      that has ended is played back as `nntop replay` would. Without a terminal, prints what the log holds.
      """)

  @Argument(help: "A run directory (Monitor(run=…)) or the log.jsonl inside it; or a Lightning or Keras CSVLogger file (or Lightning's version_N folder).")
  var path: String

  @Option(help: "Dashboard theme: a built-in name, a user theme or a .toml file.")
  var theme: String?

  func run() throws {
    var run = WatchedRun(path: path)
    // Another tool's log where there is no run log: a CSV logger's file (Lightning's
    // metrics.csv, Keras' CSVLogger), TensorBoard's event files.
    let noRunLog = !FileManager.default.fileExists(atPath: run.logPath)
    if let csv = CSVLoggerRun.logFile(at: path), path.hasSuffix(".csv") || noRunLog {
      try Self.watch(CSVLoggerRun(path: csv), theme: theme)
      return
    }
    if noRunLog || TensorBoardRun.isEventFile(path), let logdir = TensorBoardRun.logDirectory(at: path) {
      try Self.watch(TensorBoardRun(directory: logdir), theme: theme)
      return
    }
    // A run that has ended already is a recording: played back, with the replay's keys.
    if let recording = try? RunRecording(path: run.logPath), recording.complete {
      recording.warnings.forEach(warn)
      try Replay.play(recording, speed: nil, end: false, theme: theme)
      return
    }
    // A file that is there but is no run log (a CSV, another program's
    // JSON) is said at once, not waited on.
    _ = run.poll(now: 0)
    if run.view == nil, let first = run.warnings.first {
      throw RunFailure(message: "\(run.logPath): not an nntop run log (no \"run\" line; \(first))", code: 65)
    }
    guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
      run.warnings.forEach(warn)
      guard let view = run.view else {
        throw RunFailure(message: "\(run.logPath): no run log yet (is the script running with nntop.torch.Monitor(run=\"\(run.directory)\")?)", code: 66)
      }
      print(Self.describe(view))
      return
    }
    var (terminal, ui) = try DashboardLoop.viewer(theme: theme, mode: .watch, notes: [])
    ui.state.waitingNote = "waiting for \(run.logPath): run the script with nntop.torch.Monitor(run=\"\(run.directory)\") · q quits"
    var feed = WatchFeed(run: run, commands: CommandsFile(path: run.commandsPath))
    _ = ui.run(&feed)
    terminal.stop()
    feed.run.warnings.forEach(warn)
    if let status = stopReasonFromSignals()?.exitStatus { Foundation.exit(status) }
  }

  /// Follows another tool's log: read-only, the steering keys say so.
  static func watch(_ source: some ReadOnlyRun, theme: String?) throws {
    var source = source
    _ = source.poll(now: 0)
    if let problem = source.problem, source.view == nil {
      throw RunFailure(message: ([problem] + source.warnings.prefix(1)).joined(separator: "; "), code: 65)
    }
    guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
      guard let view = source.view else { throw RunFailure(message: "\(source.path): no such file", code: 66) }
      print(describe(view))
      return
    }
    var (terminal, ui) = try DashboardLoop.viewer(theme: theme, mode: .watch, notes: [])
    ui.state.waitingNote = "waiting for \(source.path) · q quits"
    var feed = ReadOnlyFeed(source: source)
    _ = ui.run(&feed)
    terminal.stop()
    if let status = stopReasonFromSignals()?.exitStatus { Foundation.exit(status) }
  }

  /// `spirals · Sequential: 3 layers … · step 1,200 · η 0.05 · pytorch · vm · pid 42 · run ended`.
  static func describe(_ view: RunView) -> String {
    var parts = [view.info.dataName, view.info.networkDescription, "step \(view.step.grouped)", "loss \(view.history.loss.last.map { String($0) } ?? "–")"]
    if let origin = view.origin { parts.append(origin) }
    return parts.joined(separator: " · ")
  }
}

/// A watched run: its view from the log, the keys' commands to its commands file.
struct WatchFeed: DashboardFeed {
  var run: WatchedRun
  let commands: CommandsFile
  private var shownWarnings = 0
  /// A note for the next poll (a command that could not be written).
  private var note: (String, Notice.Level)?

  init(run: WatchedRun, commands: CommandsFile) {
    self.run = run
    self.commands = commands
  }

  mutating func poll(now: Double) -> [DashboardMessage] {
    var messages: [DashboardMessage] = []
    if run.poll(now: now), let view = run.view { messages.append(.snapshot(view)) }
    if run.warnings.count > shownWarnings, let last = run.warnings.last {
      shownWarnings = run.warnings.count
      messages.append(.note(last, .warning))
    }
    if let (text, level) = note {
      note = nil
      messages.append(.note(text, level))
    }
    return messages
  }

  mutating func perform(_ effect: DashboardEffect) {
    guard case .send(var command) = effect else { return }
    if command == .togglePause {
      command = run.view?.state == .running ? .pause : .resume
    }
    guard run.view != nil else {
      note = ("no run yet: the keys steer it once its log begins", .warning)
      return
    }
    if commands.send(command: command) == nil {
      note = (commands.failure ?? "a watched run does not take this command", .error)
    }
  }
}

/// Another tool's log, read again as it changes; nothing to steer.
struct ReadOnlyFeed<Source: ReadOnlyRun>: DashboardFeed {
  var source: Source
  private var shown = true
  private var note: String?

  init(source: Source) { self.source = source }

  mutating func poll(now: Double) -> [DashboardMessage] {
    var messages: [DashboardMessage] = []
    let changed = source.poll(now: now)
    if changed || shown, let view = source.view {
      shown = false
      messages.append(.snapshot(view))
    }
    if changed, let problem = source.problem { messages.append(.note(problem, .warning)) }
    if let note {
      self.note = nil
      messages.append(.note(note, .warning))
    }
    return messages
  }

  mutating func perform(_ effect: DashboardEffect) {
    if case .send = effect { note = "\(Source.kind) is read-only: nothing here to pause, step or change η" }
  }
}
