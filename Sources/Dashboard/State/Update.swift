import Foundation
import RunEvents

/// Everything that can change the dashboard: keys, the terminal's size, a
/// new snapshot, the clock.
public enum DashboardMessage: Sendable {
  case key(Key)
  case resize(width: Int, height: Int)
  case snapshot(RunView)
  /// Every compared run's latest view, in the order they were named.
  case runs([ComparedRun])
  case tick(seconds: Double)
  /// A replay's speed and position (0…1).
  case replayStatus(speed: Double, progress: Double)
  /// A note of the dashboard's own (a theme file that did not load, say).
  case note(String, Notice.Level)
}

/// What the dashboard asks of the world after an update.
public enum DashboardEffect: Sendable, Equatable {
  /// To the trainer (live mode).
  case send(ControlCommand)
  /// To the player (replay mode).
  case replay(ReplayCommand)
  /// The compared run the keys now steer.
  case selectRun(Int)
  case quit
}

extension DashboardState {
  /// The one place state changes (bubbletea's `Update`). Returns the commands
  /// for the trainer and whether to quit.
  public mutating func update(_ message: DashboardMessage) -> [DashboardEffect] {
    switch message {
    case .resize(let w, let h):
      width = max(w, 0)
      height = max(h, 0)
      return []
    case .tick(let seconds):
      now = seconds
      if now >= noteUntil, !pendingNotes.isEmpty {
        let next = pendingNotes.removeFirst()
        showNote(next.text, next.level)
      }
      return []
    case .snapshot(let s):
      show(s)
      return []
    case .runs(let runs):
      compared = runs
      if selectedRun >= runs.count { selectedRun = 0 }
      if let view = runs.isEmpty ? nil : runs[selectedRun].view { show(view) }
      return []
    case .key(let key):
      noticeCount += 1
      keyOrder = noticeCount
      return handle(key)
    case .replayStatus(let speed, let progress):
      replaySpeed = speed
      replayProgress = progress
      return []
    case .note(let text, let level):
      // One at a time: a note given while another shows waits its turn.
      if note != nil && now < noteUntil || !pendingNotes.isEmpty {
        pendingNotes.append((text, level))
      } else {
        showNote(text, level)
      }
      return []
    }
  }

  /// The snapshot the panels show, and when its notice was first seen.
  private mutating func show(_ s: RunView) {
    if let notice = s.notice, noticeSeen?.id != notice.id {
      noticeCount += 1
      noticeSeen = (notice.id, now, noticeCount)
    }
    snapshot = s
    if selectedLayer >= layerCount { selectedLayer = 0 }
  }

  private mutating func handle(_ key: Key) -> [DashboardEffect] {
    if learningRateEntry != nil { return typeLearningRate(key) }
    if let question { return answer(question, key) }
    let action = KeyMap.action(for: key, mode: mode)
    // Any key closes the help and does nothing else, except q, which quits.
    if showHelp {
      showHelp = false
      if action != .quit { return [] }
    }
    guard let action else { return [] }
    switch action {
    case .togglePause: return mode == .replay ? [.replay(.togglePause)] : [.send(.togglePause)]
    case .step: return [.send(.step(1))]
    case .learningRateUp: return [.send(.scaleLearningRate(KeyMap.learningRateFactor))]
    case .learningRateDown: return [.send(.scaleLearningRate(1 / KeyMap.learningRateFactor))]
    case .editLearningRate:
      learningRateEntry = ""
      return []
    case .nextLayer where isComparing:
      selectedRun = (selectedRun + 1) % compared.count
      // The run's notice is old news: marked seen long ago, so `show` does not show it again.
      noticeSeen = compared[selectedRun].view?.notice.map { ($0.id, -Self.noticeSeconds, 0) }
      if let view = compared[selectedRun].view { show(view) } else { snapshot = nil }
      showNote("run \(ComparedRun.letter(selectedRun)): \(compared[selectedRun].name)", .info)
      return [.selectRun(selectedRun)]
    case .nextLayer, .nextLayerWhileComparing:
      if layerCount > 0 { selectedLayer = (selectedLayer + 1) % layerCount }
      return []
    case .nextMetric:
      let others = snapshot?.history.others ?? []
      guard !others.isEmpty else {
        showNote("this run logs no other series", .info)
        return []
      }
      metricChoice = (metricChoice + 1) % (others.count + 1)
      return []
    case .scrollUp:
      gradientScroll = max(gradientScroll - 1, 0)
      return []
    case .scrollDown:
      gradientScroll = min(gradientScroll + 1, max(layerCount - 1, 0))
      return []
    case .toggleLogScale:
      logScale.toggle()
      return []
    case .toggleSmoothing:
      smoothing = smoothing == 0 ? Self.smoothingWeight : 0
      return []
    case .toggleWindow:
      recentWindow.toggle()
      showNote(recentWindow ? "curves: the last \(Int(Self.recentFraction * 100))% of the steps (w: the whole run)" : "curves: the whole run", .info)
      return []
    case .paceSlower, .paceFaster:
      switch mode {
      case .live: return [.send(.stepPace(faster: action == .paceFaster))]
      case .replay: showNote("the pace is nntop's own training's: + and - set the replay's speed", .info)
      case .watch: showNote("a watched run trains at its own pace: nntop cannot slow it", .info)
      }
      return []
    case .nextTheme:
      themeIndex = (themeIndex + 1) % themes.count
      showNote("theme: \(theme.name)", .info)
      return []
    case .save: return [.send(.save(path: savePath))]
    case .reinitialize:
      if (snapshot?.trainingTime ?? 0) > Self.reinitializeAskSeconds {
        question = .reinitialize
        return []
      }
      return [.send(.reinitialize)]
    case .rollBack:
      guard snapshot?.state == .diverged else {
        showNote("d rolls back only after divergence; - halves η", .warning)
        return []
      }
      return [.send(.rollBack)]
    case .stopRun:
      question = .stopRun
      return []
    case .toggleHelp:
      showHelp = true
      return []
    case .quit:
      if mode == .live, snapshot?.unsavedWork == true {
        question = .saveBeforeQuit
        return []
      }
      return mode == .live ? [.send(.stop), .quit] : [.quit]
    case .faster: return [.replay(.faster)]
    case .slower: return [.replay(.slower)]
    case .seekStart: return [.replay(.seekStart)]
    case .seekEnd: return [.replay(.seekEnd)]
    case .seekBack: return [.replay(.back)]
    case .seekForward: return [.replay(.forward)]
    }
  }

  /// Keys while a question is asked: its answers, or Esc; others wait.
  private mutating func answer(_ question: Question, _ key: Key) -> [DashboardEffect] {
    switch (question, key) {
    case (_, .escape), (.reinitialize, .character("n")), (.reinitialize, .character("N")), (.stopRun, .character("n")), (.stopRun, .character("N")):
      self.question = nil
      return []
    case (.saveBeforeQuit, .character("s")), (.saveBeforeQuit, .character("S")):
      self.question = nil
      // In order: the trainer saves, then stops.
      return [.send(.save(path: savePath)), .send(.stop), .quit]
    case (.saveBeforeQuit, .character("q")), (.saveBeforeQuit, .character("Q")):
      self.question = nil
      return [.send(.stop), .quit]
    case (.reinitialize, .character("y")), (.reinitialize, .character("Y")):
      self.question = nil
      return [.send(.reinitialize)]
    case (.stopRun, .character("y")), (.stopRun, .character("Y")):
      self.question = nil
      return [.send(.stop)]
    default:
      return []
    }
  }

  /// Keys while typing η: digits and the characters of a number, backspace,
  /// Enter to set (validated), Esc to cancel.
  private mutating func typeLearningRate(_ key: Key) -> [DashboardEffect] {
    guard var text = learningRateEntry else { return [] }
    switch key {
    case .escape:
      learningRateEntry = nil
      return []
    case .backspace, .delete:
      if !text.isEmpty { text.removeLast() }
    case .enter:
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      guard let eta = Double(trimmed) else {
        showNote(trimmed.isEmpty ? "type a number for η, or Esc" : "not a number: \"\(trimmed)\"", .error)
        return []
      }
      if let problem = LearningRateRange.problem(eta, text: trimmed) {
        showNote(problem, .error)
        return []
      }
      learningRateEntry = nil
      return [.send(.setLearningRate(Float(eta)))]
    case .character(let c) where c.isNumber || ".eE-+".contains(c):
      if text.count < 16 { text.append(c) }
    default:
      return []
    }
    learningRateEntry = text
    return []
  }

  mutating func showNote(_ text: String, _ level: Notice.Level) {
    note = Notice(text: text, level: level, id: -1)
    noteUntil = now + Self.noticeSeconds
    noticeCount += 1
    noteOrder = noticeCount
  }
}
