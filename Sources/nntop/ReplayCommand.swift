import ArgumentParser
import Dashboard
import Foundation
import Terminal
import RunEvents
import Training
import NumberFormat

/// `nntop replay FILE.jsonl…`: a recorded run played back in the dashboard;
/// several, compared on one clock.
struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Play a run log (--log FILE.jsonl) back in the dashboard; several: compared.",
    discussion: """
      Keys: space pauses, + and - change the speed (×1/4096 … ×256), Home/g and End/G jump to the \
      start and the end, ← and → move by a twentieth of the run, q quits. Several logs play on one \
      clock with their curves overlaid; Tab chooses the run the panels show. Without a terminal, \
      prints what the logs hold.
      """)

  @Argument(help: "Run logs written with --log (or by nntop.torch.Monitor). Several: compared.")
  var files: [String]

  @Option(parsing: .unconditional, help: "Playback speed, in seconds of training per second (default: the whole run in about a minute).")
  var speed: TypedNumber?

  @Flag(help: "Open at the end of the run instead of playing it.")
  var end = false

  @Option(help: "Dashboard theme: a built-in name, a user theme or a .toml file.")
  var theme: String?

  func validate() throws {
    if files.isEmpty { throw ValidationError("name a run log to play") }
    if files.count > 26 { throw ValidationError("at most 26 runs compared at once (A to Z), not \(files.count)") }
    if let speed, !(speed.value > 0 && speed.value.isFinite) {
      throw ValidationError("--speed must be a positive number, got \(speed)")
    }
  }

  func run() throws {
    let recordings = try files.map { file in
      let recording = try RunRecording(path: file)
      // Damaged lines are skipped, and said: on stderr now, on the first screen too.
      recording.warnings.forEach(warn)
      return (file, recording)
    }
    try Self.play(recordings, speed: speed?.value, end: end, theme: theme)
  }

  /// Plays the recordings in the dashboard (or describes them without a
  /// terminal); several play on one clock, at the speed that plays the
  /// longest in about a minute.
  static func play(_ recordings: [(path: String, recording: RunRecording)], speed: Double?, end: Bool, theme: String?) throws {
    var players = recordings.map { ReplayPlayer(recording: $0.recording) }
    let names = RunNames.of(recordings.map(\.path))
    let common = speed ?? players.map(\.speed).max()!
    if speed != nil || players.count > 1 { players.indices.forEach { players[$0].setSpeed(common) } }
    guard isatty(STDOUT_FILENO) != 0, isatty(STDIN_FILENO) != 0 else {
      for (i, (entry, player)) in zip(recordings, players).enumerated() {
        let description = Self.describe(entry.recording, player)
        print(players.count == 1 ? description : "\(ComparedRun.letter(i)) \(names[i]): \(description)")
      }
      return
    }
    if end { players.indices.forEach { players[$0].seek(to: .infinity) } }
    let notes = recordings.flatMap { entry in Self.skippedNote(entry.recording).map { recordings.count == 1 ? $0 : "\(entry.path): \($0)" } }
    var (terminal, ui) = try DashboardLoop.viewer(theme: theme, mode: .replay, notes: notes)
    if players.count == 1 {
      var feed = ReplayFeed(player: players[0])
      _ = ui.run(&feed)
    } else {
      var feed = ComparedFeed(feeds: players.map { ReplayFeed(player: $0) }, names: names)
      _ = ui.run(&feed)
    }
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
      \(counted(samples, "sample")), \(counted(epochs, "epoch")), \(counted(events, "event")), \(counted(weights, "weight snapshot")); \
      \(counted(lastStep, "step")) in \(ChartFormat.duration(player.duration)) of training\
      \(r.complete ? "" : " (no summary: the run did not end cleanly)")
      """
  }
}
