import ArgumentParser
import Dashboard
import Foundation
import RunEvents
import Terminal
import Training
import Watch

/// `nntop watch PATH…`: a run nntop did not train (a PyTorch script with
/// `nntop.torch.Monitor`, one process or many ranks), followed live and
/// steered through its commands file; another tool's log (TensorBoard, a CSV
/// logger) followed read-only; several paths compared on one screen.
struct WatchRun: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract: "Watch and steer a PyTorch run (its run directory), or follow a TensorBoard log dir or a CSVLogger file; several: compared.",
    discussion: """
      Keys: space pauses and resumes the training process, n runs one step, + and - double and halve η, \
      e sets it, s saves a checkpoint in the run's checkpoints/, K stops the process (asks y/n), q quits \
      the dashboard and leaves the run training. Started before the run, it waits for the log; a run \
      that has ended is played back as `nntop replay` would. A torch.distributed run's ranks are merged. \
      With several paths, the charts overlay the runs and Tab chooses the run the panels and keys are for. \
      Without a terminal, prints what the logs hold.
      """)

  @Argument(help: "A run directory (Monitor(run=…)) or a log.jsonl in it; a TensorBoard log dir or event file; a Lightning or Keras CSVLogger file (or Lightning's version_N folder). Several: compared.")
  var paths: [String]

  @Option(help: "Dashboard theme: a built-in name, a user theme or a .toml file.")
  var theme: String?

  func validate() throws {
    if paths.isEmpty { throw ValidationError("name a run directory, a run log, a TensorBoard log dir or a CSV log") }
    if paths.count > 26 { throw ValidationError("at most 26 runs compared at once (A to Z), not \(paths.count)") }
  }

  func run() throws {
    if paths.count > 1 {
      try compare()
      return
    }
    let path = paths[0]
    switch WatchSource(path: path) {
    case .readOnly(let source): try Self.watch(source, theme: theme)
    case .runDirectory(var run):
      // A run that has ended already is a recording: played back, with the replay's keys
      // (a distributed run's ranks are shown merged, as they ended, instead).
      if !run.hasRankLogs, let recording = try? RunRecording(path: run.logPath), recording.complete {
        recording.warnings.forEach(warn)
        try Replay.play([(path, recording)], speed: nil, end: false, theme: theme)
        return
      }
      try Self.checkIsRunLog(&run)
      guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
        run.warnings.forEach(warn)
        guard let view = run.view else {
          throw RunFailure(message: "\(run.logPath): no run log yet (is the script running with nntop.torch.Monitor(run=\"\(run.directory)\")?)", code: 66)
        }
        print(Self.describe(view))
        return
      }
      var (terminal, ui) = try DashboardLoop.viewer(theme: theme, mode: .watch, notes: [])
      ui.state.waitingNote = "waiting for \(run.logPath): run the script with nntop.torch.Monitor(run=\"\(run.directory)\"), or log to TensorBoard there · q quits"
      var feed = WatchFeed(run: run, commands: CommandsFile(path: run.commandsPath))
      _ = ui.run(&feed)
      terminal.stop()
      feed.run.warnings.forEach(warn)
      if let status = stopReasonFromSignals()?.exitStatus { Foundation.exit(status) }
    }
  }

  /// A file that is there but is no run log (a CSV, another program's JSON)
  /// is said at once, not waited on.
  static func checkIsRunLog(_ run: inout WatchedRun) throws {
    _ = run.poll(now: 0)
    if run.view == nil, let first = run.warnings.first {
      throw RunFailure(message: "\(run.logPath): not an nntop run log (no \"run\" line; \(first))", code: 65)
    }
  }

  /// Several runs on one screen, each followed as it would be alone.
  func compare() throws {
    var feeds: [any DashboardFeed] = []
    var views: [RunView?] = []
    for path in paths {
      switch WatchSource(path: path) {
      case .readOnly(let source):
        let opened = try Self.opened(source)
        views.append(opened.view)
        feeds.append(WatchSource.feed(opened))
      case .runDirectory(var run):
        try Self.checkIsRunLog(&run)
        views.append(run.view)
        feeds.append(WatchFeed(run: run, commands: CommandsFile(path: run.commandsPath)))
      }
    }
    let names = RunNames.of(paths)
    guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
      if let missing = views.firstIndex(where: { $0 == nil }) {
        throw RunFailure(message: "\(paths[missing]): no run log yet", code: 66)
      }
      for (i, (name, view)) in zip(names, views).enumerated() { print("\(ComparedRun.letter(i)) \(name): \(Self.describe(view!))") }
      return
    }
    var (terminal, ui) = try DashboardLoop.viewer(theme: theme, mode: .watch, notes: [])
    ui.state.waitingNote = "waiting for the runs' logs · q quits"
    var feed = ComparedFeed(feeds: feeds, names: names)
    _ = ui.run(&feed)
    terminal.stop()
    if let status = stopReasonFromSignals()?.exitStatus { Foundation.exit(status) }
  }

  /// Another tool's log, read for the first time: one that shows nothing is
  /// said at once (its problem and its first damage), not waited on.
  static func opened<Source: ReadOnlyRun>(_ source: Source) throws -> Source {
    var source = source
    _ = source.poll(now: 0)
    if let problem = source.problem, source.view == nil {
      throw RunFailure(message: ([problem] + source.warnings.prefix(1)).joined(separator: "; "), code: 65)
    }
    return source
  }

  /// Follows another tool's log: read-only, the steering keys say so.
  static func watch(_ source: some ReadOnlyRun, theme: String?) throws {
    let source = try opened(source)
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

/// What a path to watch holds: a run directory (or a run log), another
/// tool's CSV log, or TensorBoard's event files, where there is no run log.
enum WatchSource {
  case runDirectory(WatchedRun)
  /// A CSV logger's file, or TensorBoard's event files.
  case readOnly(any ReadOnlyRun)

  init(path: String) {
    let run = WatchedRun(path: path)
    let noRunLog = !FileManager.default.fileExists(atPath: run.logPath)
    if let csv = CSVLoggerRun.logFile(at: path), path.hasSuffix(".csv") || noRunLog {
      self = .readOnly(CSVLoggerRun(path: csv))
    } else if noRunLog || TensorBoardRun.isEventFile(path), let logdir = TensorBoardRun.logDirectory(at: path) {
      self = .readOnly(TensorBoardRun(directory: logdir))
    } else {
      self = .runDirectory(run)
    }
  }

  /// The dashboard's feed of another tool's log, whatever its kind.
  static func feed(_ source: some ReadOnlyRun) -> any DashboardFeed { ReadOnlyFeed(source: source) }
}
