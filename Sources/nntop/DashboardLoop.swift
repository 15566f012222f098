import Dashboard
import Foundation
import Terminal
import RunEvents
import Training

/// Where the dashboard's snapshots come from and where its commands go: the
/// trainer (`LiveFeed`) or a recorded run (`ReplayFeed`).
protocol DashboardFeed {
  /// What changed since the last call (a new snapshot, the replay's position).
  mutating func poll(now: Double) -> [DashboardMessage]
  /// Carries out an effect other than `.quit`.
  mutating func perform(_ effect: DashboardEffect)
}

/// The live run: snapshots from the channel, commands to the trainer.
struct LiveFeed: DashboardFeed {
  let channel: SnapshotChannel
  let control: TrainingControl
  private var lastSequence: UInt64 = 0

  init(channel: SnapshotChannel, control: TrainingControl) {
    self.channel = channel
    self.control = control
  }

  mutating func poll(now: Double) -> [DashboardMessage] {
    let (sequence, snapshot) = channel.latest()
    guard sequence != lastSequence, let snapshot else { return [] }
    lastSequence = sequence
    return [.snapshot(snapshot)]
  }

  func perform(_ effect: DashboardEffect) {
    if case .send(let command) = effect { control.send(command) }
  }
}

/// A recorded run played back on the wall clock.
struct ReplayFeed: DashboardFeed {
  var player: ReplayPlayer
  private var lastPoll: Double?
  private var changed = true

  init(player: ReplayPlayer) { self.player = player }

  mutating func poll(now: Double) -> [DashboardMessage] {
    if let lastPoll, player.advance(wallSeconds: now - lastPoll) { changed = true }
    lastPoll = now
    guard changed else { return [] }
    changed = false
    return [.snapshot(player.view), .replayStatus(speed: player.speed, progress: player.progress)]
  }

  mutating func perform(_ effect: DashboardEffect) {
    guard case .replay(let command) = effect else { return }
    player.apply(command)
    changed = true
  }
}

/// The UI loop on the terminal: keys polled every ~33 ms, the feed polled,
/// the screen redrawn only when something changed.
struct DashboardLoop {
  let terminal: TerminalScreen
  var state: DashboardState
  /// Frames drawn and the time spent rendering and drawing them.
  private(set) var frames = 0
  private(set) var renderTime = 0.0
  private(set) var drawTime = 0.0

  /// The state for this terminal: themes degraded to its colours, its size,
  /// Unicode or ASCII symbols, and `notes` shown first.
  init(terminal: TerminalScreen, themes: [Theme], themeIndex: Int, savePath: String, mode: KeyMap.Mode, notes: [String]) {
    self.terminal = terminal
    var themes = themes
    if terminal.colorCount == 0 {
      themes = themes.map(\.withoutColor)
    } else if terminal.colorCount < 256 {
      themes = themes.map { $0.reduced(to: terminal.colorCount) }
    }
    let size = terminal.size
    state = DashboardState(
      width: size.width, height: size.height, themes: themes, themeIndex: themeIndex,
      symbols: terminal.unicode ? .unicode : .ascii, savePath: savePath, mode: mode)
    state.presets = Preset.all.map { HelpOverlay.PresetNote(name: $0.name, shows: $0.shows, fix: $0.fix) }
    for note in notes { _ = state.update(.note(note, .warning)) }
  }

  /// The dashboard of a run this process does not train (a replay, a
  /// watched run): the theme, the signal handlers, the terminal; `notes`
  /// (and themes that did not load) on the first screen.
  static func viewer(theme: String?, mode: KeyMap.Mode, notes: [String]) throws -> (TerminalScreen, DashboardLoop) {
    let catalog = ThemeCatalog()
    let selection = try catalog.selection(option: theme)
    StopSignals.install()
    SuspendSignal.install(deferred: true, observer: ProcessStops.shared)
    let terminal = try TerminalScreen()
    let ui = DashboardLoop(
      terminal: terminal, themes: selection.themes, themeIndex: selection.index, savePath: "", mode: mode,
      notes: notes + catalog.entries.compactMap { $0.error.map { "theme not loaded: \($0.description)" } })
    return (terminal, ui)
  }

  /// Runs until `q` or SIGINT/SIGTERM; returns the seconds it ran.
  mutating func run(_ feed: inout some DashboardFeed) -> Double {
    let started = ContinuousClock.now
    var needsDraw = true
    var shownNotice: Notice?
    loop: while true {
      if StopSignals.pending != nil { break }
      if SuspendSignal.takeRequest() {
        terminal.suspend()
        needsDraw = true
      }
      var event = terminal.nextEvent(timeout: 33)
      while let e = event {
        let effects: [DashboardEffect]
        switch e {
        case .key(let key): effects = state.update(.key(key))
        case .resize(let w, let h): effects = state.update(.resize(width: w, height: h))
        }
        needsDraw = true
        for effect in effects {
          if effect == .quit { break loop }
          feed.perform(effect)
        }
        event = terminal.nextEvent(timeout: 0)
      }
      // The dashboard's clock stands still while the process is stopped (a replay does not jump on fg).
      let now = (ContinuousClock.now - started).seconds - ProcessStops.shared.stoppedSeconds
      _ = state.update(.tick(seconds: now))
      for message in feed.poll(now: now) {
        _ = state.update(message)
        needsDraw = true
      }
      if state.visibleNotice != shownNotice {
        shownNotice = state.visibleNotice
        needsDraw = true
      }
      if needsDraw {
        let t0 = ContinuousClock.now
        let frame = DashboardScreen.render(state)
        let t1 = ContinuousClock.now
        terminal.draw(frame)
        renderTime += (t1 - t0).seconds
        drawTime += (ContinuousClock.now - t1).seconds
        frames += 1
        needsDraw = false
      }
    }
    return (ContinuousClock.now - started).seconds
  }
}
