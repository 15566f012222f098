import Dashboard
import Foundation
import RunEvents
import Watch

/// A watched run: its view from the log, the keys' commands to its commands
/// file. A folder named before anything was in it may turn out to be another
/// tool's log (TensorBoard's first event file, a `metrics.csv`): then that
/// is followed instead.
struct WatchFeed: DashboardFeed {
  var run: WatchedRun
  let commands: CommandsFile
  private var shownWarnings = 0
  /// A note for the next poll (a command that could not be written).
  private var note: (String, Notice.Level)?
  /// Another tool's log found where the run log was awaited.
  private var instead: (any DashboardFeed)?
  private var lastLook = -Double.infinity
  /// Whether the view read before the dashboard opened has been sent (a run that has ended sends no more).
  private var sent = false

  init(run: WatchedRun, commands: CommandsFile) {
    self.run = run
    self.commands = commands
  }

  mutating func poll(now: Double) -> [DashboardMessage] {
    if instead != nil { return instead!.poll(now: now) }
    if run.view == nil, run.logPath == (run.directory as NSString).appendingPathComponent("log.jsonl"), now - lastLook >= 1 {
      lastLook = now
      if case .readOnly(let source) = WatchSource(path: run.directory) {
        instead = WatchSource.feed(source)
        return instead!.poll(now: now)
      }
    }
    var messages: [DashboardMessage] = []
    if run.poll(now: now) || !sent, let view = run.view {
      sent = true
      messages.append(.snapshot(view))
    }
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
    if instead != nil { return instead!.perform(effect) }
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
