@testable import Dashboard
import Testing
import RunEvents
import Training

/// Keys and messages through `update`: the only place state changes.
struct UpdateTests {
  func state() -> DashboardState {
    var s = DashboardState(width: 120, height: 40, themes: BuiltinThemes.all, savePath: "out.safetensors")
    var snapshot = ScreenTests.snapshot()
    snapshot.trainingTime = 30  // under a minute: r does not ask (QuestionTests)
    _ = s.update(.snapshot(snapshot))
    return s
  }

  @Test func tabMovesBetweenComparedRunsAndShiftTabBetweenLayers() {
    var s = DashboardState(width: 120, height: 40, themes: BuiltinThemes.all, savePath: "", mode: .watch)
    var second = ScreenTests.snapshot()
    second.step = 99
    let runs = [ComparedRun(name: "a", view: ScreenTests.snapshot()), ComparedRun(name: "b", view: second)]
    _ = s.update(.runs(runs))
    #expect(s.isComparing && s.selectedRun == 0 && s.snapshot == runs[0].view)
    #expect(s.update(.key(.tab)) == [.selectRun(1)])
    #expect(s.selectedRun == 1 && s.snapshot?.step == 99 && s.selectedLayer == 0)
    #expect(s.visibleNotice?.text == "run B: b")
    // New views keep the selection; the keys go to the feed, which knows it.
    _ = s.update(.runs(runs))
    #expect(s.snapshot?.step == 99)
    #expect(s.update(.key(.character(" "))) == [.send(.togglePause)])
    #expect(s.update(.key(.backTab)) == [] && s.selectedLayer == 1)
    #expect(s.update(.key(.tab)) == [.selectRun(0)] && s.selectedRun == 0 && s.selectedLayer == 1)
  }

  @Test func keysSendTheirCommands() {
    var s = state()
    #expect(s.update(.key(.character(" "))) == [.send(.togglePause)])
    #expect(s.update(.key(.character("n"))) == [.send(.step(1))])
    #expect(s.update(.key(.character("+"))) == [.send(.scaleLearningRate(2))])
    #expect(s.update(.key(.character("-"))) == [.send(.scaleLearningRate(0.5))])
    #expect(s.update(.key(.character("s"))) == [.send(.save(path: "out.safetensors"))])
    #expect(s.update(.key(.character("r"))) == [.send(.reinitialize)])
    #expect(s.update(.key(.character("<"))) == [.send(.stepPace(faster: false))])
    #expect(s.update(.key(.character(">"))) == [.send(.stepPace(faster: true))])
    #expect(s.update(.key(.character("z"))) == [])
    #expect(s.update(.key(.character("q"))) == [.send(.stop), .quit])
  }

  /// The pace is the built-in trainer's: elsewhere `<` and `>` send nothing and say why.
  @Test func thePaceKeysSayWhyTheyDoNothingElsewhere() {
    for (mode, why) in [(KeyMap.Mode.watch, "a watched run trains at its own pace"), (.replay, "+ and - set the replay's speed")] {
      var s = DashboardState(width: 120, height: 40, themes: BuiltinThemes.all, savePath: "", mode: mode)
      _ = s.update(.snapshot(ScreenTests.snapshot()))
      #expect(s.update(.key(.character(">"))) == [] && s.visibleNotice?.text.contains(why) == true, "\(mode)")
    }
  }

  /// `w` toggles the window the charts draw and says which it is.
  @Test func wTogglesTheRecentWindow() {
    var s = state()
    #expect(s.curveWindow == nil)
    _ = s.update(.key(.character("w")))
    #expect(s.curveWindow == 0.1 && s.visibleNotice?.text == "curves: the last 10% of the steps (w: the whole run)")
    _ = s.update(.key(.character("w")))
    #expect(s.curveWindow == nil && s.visibleNotice?.text == "curves: the whole run")
  }

  @Test func aWatchedRunIsSteeredButQNeverStopsIt() {
    var s = DashboardState(width: 120, height: 40, themes: BuiltinThemes.all, savePath: "", mode: .watch)
    _ = s.update(.snapshot(ScreenTests.snapshot()))
    #expect(s.update(.key(.character(" "))) == [.send(.togglePause)])
    #expect(s.update(.key(.character("n"))) == [.send(.step(1))])
    #expect(s.update(.key(.character("+"))) == [.send(.scaleLearningRate(2))])
    #expect(s.update(.key(.character("s"))) == [.send(.save(path: ""))])
    #expect(s.update(.key(.character("r"))) == [], "re-initialising is the built-in engine's own")
    // K asks first; n keeps the run, y stops it.
    #expect(s.update(.key(.character("K"))) == [] && s.question == .stopRun)
    #expect(s.update(.key(.character("q"))) == [], "other keys wait for the answer")
    #expect(s.update(.key(.character("n"))) == [] && s.question == nil)
    _ = s.update(.key(.character("K")))
    #expect(s.update(.key(.character("y"))) == [.send(.stop)])
    #expect(s.update(.key(.character("q"))) == [.quit], "the dashboard closes; the run goes on")
  }

  @Test func replayKeysSteerThePlayerAndNeverTheTrainer() {
    var s = DashboardState(width: 120, height: 40, themes: BuiltinThemes.all, savePath: "", mode: .replay)
    _ = s.update(.snapshot(ScreenTests.snapshot()))
    #expect(s.update(.key(.character(" "))) == [.replay(.togglePause)])
    #expect(s.update(.key(.character("+"))) == [.replay(.faster)])
    #expect(s.update(.key(.character("-"))) == [.replay(.slower)])
    #expect(s.update(.key(.home)) == [.replay(.seekStart)])
    #expect(s.update(.key(.character("G"))) == [.replay(.seekEnd)])
    #expect(s.update(.key(.left)) == [.replay(.back)])
    #expect(s.update(.key(.right)) == [.replay(.forward)])
    for key in ["n", "e", "s", "r", "d"] {
      #expect(s.update(.key(.character(Character(key)))) == [], "\(key) in replay")
    }
    #expect(s.learningRateEntry == nil)
    #expect(s.update(.key(.tab)) == [] && s.selectedLayer == 1)
    #expect(s.update(.key(.character("q"))) == [.quit])
  }

  @Test func viewKeysChangeOnlyTheView() {
    var s = state()
    #expect(s.update(.key(.tab)) == [] && s.selectedLayer == 1)
    _ = s.update(.key(.tab))
    #expect(s.selectedLayer == 0)
    _ = s.update(.key(.character("l")))
    #expect(s.logScale)
    _ = s.update(.key(.character("a")))
    #expect(s.smoothing == DashboardState.smoothingWeight)
    _ = s.update(.key(.character("t")))
    #expect(s.themeIndex == 1 && s.visibleNotice?.text == "theme: light")
    _ = s.update(.key(.character("?")))
    #expect(s.showHelp)
    // Any key closes the help, and only closes it: space does not also resume.
    #expect(s.update(.key(.character(" "))) == [] && !s.showHelp)
    _ = s.update(.key(.character("?")))
    #expect(s.update(.key(.character("x"))) == [] && !s.showHelp)
    _ = s.update(.key(.character("?")))
    #expect(s.update(.key(.enter)) == [] && !s.showHelp)
    _ = s.update(.key(.character("?")))
    #expect(s.update(.key(.character("q"))) == [.send(.stop), .quit], "q still quits from the help")
    _ = s.update(.resize(width: 90, height: 30))
    #expect(s.width == 90 && s.height == 30)
  }

  @Test func typedLearningRateIsValidated() {
    var s = state()
    _ = s.update(.key(.character("e")))
    for c in "0.0x5" { _ = s.update(.key(.character(c))) }
    #expect(s.learningRateEntry == "0.05")
    #expect(s.update(.key(.character("q"))) == [], "q types nothing and does not quit while typing")
    #expect(s.update(.key(.enter)) == [.send(.setLearningRate(0.05))] && s.learningRateEntry == nil)
    _ = s.update(.key(.character("e")))
    for c in "1e" { _ = s.update(.key(.character(c))) }
    #expect(s.update(.key(.enter)) == [] && s.learningRateEntry == "1e")
    #expect(s.visibleNotice?.text == "not a number: \"1e\"")
    _ = s.update(.key(.backspace))
    _ = s.update(.key(.backspace))
    for c in "-3" { _ = s.update(.key(.character(c))) }
    #expect(s.update(.key(.enter)) == [])
    #expect(s.visibleNotice?.text == "η must be a positive number, got -3")
    #expect(s.update(.key(.escape)) == [] && s.learningRateEntry == nil)
    // Positive, but not a 32-bit float: the value typed and the real bound.
    for (typed, note) in [
      ("1e-50", "η 1e-50 is below the smallest 32-bit float, 1.2e-38"), ("1e39", "η 1e39 is beyond the largest 32-bit float, 3.4e38"),
    ] {
      _ = s.update(.key(.character("e")))
      for c in typed { _ = s.update(.key(.character(c))) }
      #expect(s.update(.key(.enter)) == [] && s.visibleNotice?.text == note)
      _ = s.update(.key(.escape))
    }
  }

  @Test func rollBackOnlyAfterDivergence() {
    var s = state()
    #expect(s.update(.key(.character("d"))) == [])
    var diverged = s.snapshot!
    diverged.state = .diverged
    _ = s.update(.snapshot(diverged))
    #expect(s.update(.key(.character("d"))) == [.send(.rollBack)])
  }

  @Test func noticesTimeOut() {
    var s = state()
    var snap = s.snapshot!
    snap.notice = Notice(text: "saved m", level: .info, id: 7)
    _ = s.update(.tick(seconds: 10))
    _ = s.update(.snapshot(snap))
    #expect(s.visibleNotice?.text == "saved m")
    _ = s.update(.tick(seconds: 13.9))
    #expect(s.visibleNotice != nil)
    _ = s.update(.tick(seconds: 14.1))
    #expect(s.visibleNotice == nil)
    // The same notice in later snapshots does not come back.
    _ = s.update(.snapshot(snap))
    #expect(s.visibleNotice == nil)
  }

  @Test func theNewestNoticeWins() {
    var s = state()
    var snap = s.snapshot!
    // t, then s: the trainer's "saved" replaces the dashboard's theme note.
    _ = s.update(.tick(seconds: 1))
    _ = s.update(.key(.character("t")))
    _ = s.update(.tick(seconds: 1.5))
    snap.notice = Notice(text: "saved m", level: .info, id: 8)
    _ = s.update(.snapshot(snap))
    #expect(s.visibleNotice?.text == "saved m")
    // A bad η typed after that shows over it.
    _ = s.update(.tick(seconds: 2))
    _ = s.update(.key(.character("e")))
    _ = s.update(.key(.character("x")))
    _ = s.update(.key(.enter))
    #expect(s.visibleNotice?.text == "type a number for η, or Esc")
    // Then a good one: the trainer's confirmation replaces the error.
    _ = s.update(.key(.character("1")))
    _ = s.update(.key(.enter))
    _ = s.update(.tick(seconds: 2.5))
    snap.notice = Notice(text: "η 0.1 → 1", level: .info, id: 9)
    _ = s.update(.snapshot(snap))
    #expect(s.visibleNotice?.text == "η 0.1 → 1")
    _ = s.update(.tick(seconds: 7))
    #expect(s.visibleNotice == nil)
  }

  /// The dashboard's opening warning (how a CSV file was read) is not
  /// hidden by the run's opening news; a warning from the run still is newer.
  @Test func theRunsNewsDoesNotHideAnOpeningWarning() {
    var s = state()
    var snap = s.snapshot!
    _ = s.update(.note("data.csv: 3 classes (…)", .warning))
    _ = s.update(.tick(seconds: 0.5))
    snap.notice = Notice(text: "pace: 10 steps/s", level: .info, id: 8)
    _ = s.update(.snapshot(snap))
    #expect(s.visibleNotice?.text == "data.csv: 3 classes (…)")
    snap.notice = Notice(text: "W1 vanishing", level: .warning, id: 9)
    _ = s.update(.snapshot(snap))
    #expect(s.visibleNotice?.text == "W1 vanishing")
    _ = s.update(.tick(seconds: 10))
    #expect(s.visibleNotice == nil)
    // The answer to a key the user pressed is not hidden by the warning.
    _ = s.update(.note("theme not loaded: x.toml:3: …", .warning))
    _ = s.update(.key(.character("+")))
    snap.notice = Notice(text: "η 0.1 → 0.2", level: .info, id: 10)
    _ = s.update(.snapshot(snap))
    #expect(s.visibleNotice?.text == "η 0.1 → 0.2")
  }

  /// Opening notes come one after another, none lost to the next.
  @Test func openingNotesAreShownInTurn() {
    var s = state()
    _ = s.update(.tick(seconds: 0))
    _ = s.update(.note("data.csv: 3 classes (…)", .warning))
    _ = s.update(.note("theme not loaded: x.toml", .warning))
    #expect(s.visibleNotice?.text == "data.csv: 3 classes (…)")
    _ = s.update(.tick(seconds: 4.5))
    #expect(s.visibleNotice?.text == "theme not loaded: x.toml")
    _ = s.update(.tick(seconds: 9))
    #expect(s.visibleNotice == nil)
  }

  /// A snapshot's notice, then a key's note, within one tick (a run that
  /// opens with a notice, and t pressed as it appears): the key came later,
  /// so its note shows — also where (0.1 + 4) − 4 < 0.1 in floating point.
  @Test func aKeyRightAfterANoticeShowsItsOwnNote() {
    var s = state()
    var snap = s.snapshot!
    _ = s.update(.tick(seconds: 0.1))
    snap.notice = Notice(text: "pace: 25 steps/s", level: .info, id: 10)
    _ = s.update(.snapshot(snap))
    _ = s.update(.key(.character("t")))
    #expect(s.visibleNotice?.text.hasPrefix("theme: ") == true, "\(s.visibleNotice?.text ?? "none")")
    // And a notice after the key is newer again.
    snap.notice = Notice(text: "saved m", level: .info, id: 11)
    _ = s.update(.snapshot(snap))
    #expect(s.visibleNotice?.text == "saved m")
  }
}
