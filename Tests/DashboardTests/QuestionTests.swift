@testable import Dashboard
import Testing
import RunEvents
import Training

/// Keys that would drop work ask first (issue: never lose work): `q` on a
/// loaded model trained since its last save, `r` after a minute of training.
struct QuestionTests {
  func state(unsaved: Bool = false, trainingTime: Double = 1, mode: KeyMap.Mode = .live) -> DashboardState {
    var s = DashboardState(width: 120, height: 40, themes: BuiltinThemes.all, savePath: "loaded.safetensors", mode: mode)
    var snapshot = ScreenTests.snapshot()
    snapshot.unsavedWork = unsaved
    snapshot.trainingTime = trainingTime
    _ = s.update(.snapshot(snapshot))
    return s
  }

  @Test func quitWithUnsavedWorkAsksAndSavesBeforeStopping() {
    var s = state(unsaved: true)
    #expect(s.update(.key(.character("q"))) == [])
    #expect(s.question == .saveBeforeQuit)
    // Keys that are no answer wait with the question, doing nothing.
    #expect(s.update(.key(.character(" "))) == [])
    #expect(s.update(.key(.character("r"))) == [])
    #expect(s.question == .saveBeforeQuit)
    #expect(s.update(.key(.character("s"))) == [.send(.save(path: "loaded.safetensors")), .send(.stop), .quit])
    #expect(s.question == nil)
  }

  @Test func theQuestionCanQuitWithoutSavingOrGoOn() {
    var s = state(unsaved: true)
    _ = s.update(.key(.character("q")))
    #expect(s.update(.key(.escape)) == [])
    #expect(s.question == nil)
    #expect(s.update(.key(.character(" "))) == [.send(.togglePause)], "after Esc the keys work again")
    _ = s.update(.key(.character("q")))
    #expect(s.update(.key(.character("q"))) == [.send(.stop), .quit])
  }

  @Test func nothingUnsavedQuitsAtOnce() {
    var s = state(unsaved: false)
    #expect(s.update(.key(.character("q"))) == [.send(.stop), .quit])
    var replay = state(unsaved: true, mode: .replay)
    #expect(replay.update(.key(.character("q"))) == [.quit], "a replay has no work to lose")
  }

  @Test func reinitialiseAsksAfterAMinuteOfTraining() {
    var short = state(trainingTime: 59)
    #expect(short.update(.key(.character("r"))) == [.send(.reinitialize)])
    var long = state(trainingTime: 61)
    #expect(long.update(.key(.character("r"))) == [])
    #expect(long.question == .reinitialize)
    #expect(long.update(.key(.character("x"))) == [])
    #expect(long.update(.key(.character("n"))) == [])
    #expect(long.question == nil)
    _ = long.update(.key(.character("r")))
    #expect(long.update(.key(.character("y"))) == [.send(.reinitialize)])
  }

  @Test func theQuestionIsTheStatusLine() {
    var s = state(unsaved: true)
    _ = s.update(.key(.character("q")))
    let last = DashboardScreen.render(s).lines.last ?? ""
    #expect(last.contains("unsaved training: s saves to loaded.safetensors and quits · q quits unsaved · Esc goes on"))
    // At 80 columns with a long path the answers still show, the path left out.
    s.savePath = "/home/someone/experiments/2026/december/digits-long-name.safetensors"
    _ = s.update(.resize(width: 80, height: 24))
    let narrow = DashboardScreen.render(s).lines.last ?? ""
    #expect(narrow.contains("unsaved training: s saves and quits · q quits unsaved · Esc goes on"), "\(narrow)")
  }
}
