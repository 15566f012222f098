import Dashboard
import Foundation
import Terminal
import RunEvents
import Training

/// The live dashboard: the trainer on its own thread, the UI loop
/// (`DashboardLoop`) on this one.
struct DashboardRunner {
  let setup: RunSetup
  let outputs: RunOutputs
  let options: TrainOptions
  /// Started before the output files were opened.
  let terminal: TerminalScreen
  let themes: [Theme]
  let themeIndex: Int
  /// Problems to show on the first screen (user theme files that did not load).
  var notes: [String] = []

  /// Hands the session to the trainer thread.
  ///
  /// `@unchecked Sendable` is safe: the main thread creates the session,
  /// gives this box to the trainer thread and does not touch the session
  /// again until `finished` has been signalled; `summary` is written by the
  /// trainer thread before that signal and read by the main thread after it.
  final class SessionBox: @unchecked Sendable {
    let session: TrainingSession
    var end: SessionEnd?
    let finished = DispatchSemaphore(value: 0)
    init(_ session: TrainingSession) { self.session = session }
  }

  /// Runs the dashboard until the person quits; returns how the run ended.
  func run() throws -> RunSummary.Ending? {
    let pool = options.threads > 1 ? WorkerPool(threads: options.threads) : nil
    defer { pool?.shutdown() }
    let trainer = setup.makeTrainer(runner: pool)
    let control = TrainingControl()
    let channel = SnapshotChannel()
    let savePath = options.save
    let log = outputs.log
    var sessionOptions = setup.sessionOptions(save: savePath, checkpointEvery: options.checkpointEvery, force: options.force)
    sessionOptions.epochs = setup.config.epochs.map { trainer.epoch + $0 }
    sessionOptions.interactive = true
    sessionOptions.pace = options.dashboardPace(setup)
    sessionOptions.startPaused = setup.checkpoint != nil
    sessionOptions.loadedFrom = options.load
    sessionOptions.history = outputs.resumedHistory
    let info = RunInfo(trainer: trainer, epochs: sessionOptions.epochs)
    let session = TrainingSession(
      trainer: trainer, info: info, control: control, channel: channel, log: log, tensorboard: outputs.tensorboard, options: sessionOptions)
    session.stopReason = stopReasonFromSignals
    outputs.writeHeader(setup: setup, info: info, mode: "dashboard", checkpointPath: options.load)

    let box = SessionBox(session)
    let thread = Thread {
      box.end = box.session.run()
      box.finished.signal()
    }
    thread.name = "nntop-trainer"
    thread.start()
    // Training comes first: this (UI) thread runs at a lower priority, so on
    // a machine with as many busy training threads as cores, drawing waits
    // rather than preempting a matrix product. On Linux the nice value is
    // per thread; the main thread's id is the process id. Set after the
    // training threads exist, so they do not inherit it.
    // (Elsewhere the nice value is the whole process's: left alone.)
    #if canImport(Glibc)
      setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()), 10)
    #endif

    var ui = DashboardLoop(
      terminal: terminal, themes: themes, themeIndex: themeIndex,
      // `s` saves to --save, else back to the --load'ed file, else a name from the data.
      savePath: savePath ?? options.load ?? "nntop-\(setup.dataset.name.replacingOccurrences(of: "/", with: "_")).safetensors", mode: .live,
      notes: notes)
    var feed = LiveFeed(channel: channel, control: control)
    // SIGINT/SIGTERM end the loop; the trainer thread sees them too and ends the run with that reason.
    let seconds = ui.run(&feed)
    terminal.stop()
    box.finished.wait()
    writeFrameStatistics(ui, seconds: seconds, trainer: trainer)
    guard let end = box.end else { return nil }
    print(end.summary.text)
    try RunOutputs.report(end, savedTo: savePath)
    return end.summary.ending
  }
}

extension DashboardRunner {
  /// With `NNTOP_FRAME_STATS=FILE`, appends one JSON line at exit: frames
  /// drawn, seconds, frames per second, mean milliseconds per frame spent
  /// rendering into the buffer and drawing it with curses, training throughput. BENCHMARKS.md
  /// measures the dashboard's cost with it.
  func writeFrameStatistics(_ ui: DashboardLoop, seconds: Double, trainer: Trainer) {
    let frames = ui.frames
    guard let path = ProcessInfo.processInfo.environment["NNTOP_FRAME_STATS"], !path.isEmpty else { return }
    let line = JSON.object([
      ("frames", .number(Double(frames))),
      ("seconds", .finite(seconds.rounded(toPlaces: 3))),
      ("fps", .finite((Double(frames) / max(seconds, 1e-9)).rounded(toPlaces: 1))),
      ("render_ms", .finite((1000 * ui.renderTime / Double(max(frames, 1))).rounded(toPlaces: 3))),
      ("draw_ms", .finite((1000 * ui.drawTime / Double(max(frames, 1))).rounded(toPlaces: 3))),
      ("steps", .number(Double(trainer.step))),
      ("training_seconds", .finite(trainer.trainingTime.rounded(toPlaces: 3))),
      ("samples_per_s", .finite((Double(trainer.step * trainer.config.batchSize) / max(trainer.trainingTime, 1e-9)).rounded())),
    ]).serialized + "\n"
    if let handle = FileHandle(forWritingAtPath: path) ?? (FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil) {
      handle.seekToEndOfFile()
      handle.write(Data(line.utf8))
      try? handle.close()
    }
  }
}
