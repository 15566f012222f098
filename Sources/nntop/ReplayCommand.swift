import ArgumentParser
import Dashboard
import Foundation
import Terminal
import RunEvents
import Training
import NumberFormat

/// `nntop replay FILE.jsonl`: a recorded run played back in the dashboard.
struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Play a run log (--log FILE.jsonl) back in the dashboard.",
    discussion: """
      Keys: space pauses, + and - change the speed (×1/4096 … ×256), Home/g and End/G jump to the \
      start and the end, ← and → move by a twentieth of the run, q quits. Without a terminal, \
      prints what the log holds.
      """)

  @Argument(help: "A run log written with --log.")
  var file: String

  @Option(parsing: .unconditional, help: "Playback speed, in seconds of training per second (default: the whole run in about a minute).")
  var speed: Double?

  @Flag(help: "Open at the end of the run instead of playing it.")
  var end = false

  @Option(help: "Dashboard theme: a built-in name, a user theme or a .toml file.")
  var theme: String?

  func validate() throws {
    if let speed, !(speed > 0 && speed.isFinite) {
      throw ValidationError("--speed must be a positive number, not \(speed)")
    }
  }

  func run() throws {
    let recording = try RunRecording(path: file)
    // Damaged lines are skipped, and said: on stderr now, on the first screen too.
    recording.warnings.forEach(warn)
    try Self.play(recording, speed: speed, end: end, theme: theme)
  }

  /// Plays `recording` in the dashboard (or describes it without a terminal).
  static func play(_ recording: RunRecording, speed: Double?, end: Bool, theme: String?) throws {
    var player = ReplayPlayer(recording: recording)
    if let speed { player.setSpeed(speed) }
    guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
      print(Self.describe(recording, player))
      return
    }
    if end { player.seek(to: .infinity) }
    var (terminal, ui) = try DashboardLoop.viewer(theme: theme, mode: .replay, notes: Self.skippedNote(recording))
    var feed = ReplayFeed(player: player)
    _ = ui.run(&feed)
    terminal.stop()
    // Stopped by a signal: the same status as a training run.
    if let status = stopReasonFromSignals()?.exitStatus { Foundation.exit(status) }
  }

  /// `skipped 2 damaged lines of run.jsonl (12, 40)`, for the dashboard.
  static func skippedNote(_ recording: RunRecording) -> [String] {
    let count = recording.skippedLines.count
    guard count > 0 else { return [] }
    let numbers = recording.skippedLines.prefix(5).map(String.init).joined(separator: ", ")
    return ["skipped \(count) damaged line\(count == 1 ? "" : "s") (line\(count == 1 ? "" : "s") \(numbers)\(count > 5 ? ", …" : "")): see stderr after q"]
  }

  /// What the log holds, for a pipe or a script.
  static func describe(_ r: RunRecording, _ player: ReplayPlayer) -> String {
    var samples = 0, epochs = 0, events = 0, weights = 0
    var lastStep = 0
    for event in r.events {
      switch event {
      case .sample(let s): samples += 1; lastStep = max(lastStep, s.step)
      case .epoch(let e): epochs += 1; lastStep = max(lastStep, e.step)
      case .event: events += 1
      case .weights: weights += 1
      case .run, .summary: break
      }
    }
    return """
      \(r.info.dataName) · \(r.info.networkDescription)
      \(samples) samples, \(epochs) epochs, \(events) events, \(weights) weight snapshots; \
      \(lastStep) steps in \(ChartFormat.duration(player.duration)) of training\
      \(r.complete ? "" : " (no summary: the run did not end cleanly)")
      """
  }
}
