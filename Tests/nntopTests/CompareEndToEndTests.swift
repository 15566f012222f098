import Foundation
import Testing
import TestSupport

/// Several runs on one screen, as a person compares them: two nntop runs
/// (the healthy and the vanishing preset) played back together, and two
/// real PyTorch runs watched together, the keys steering only the one Tab chose.
@Suite(.serialized)
struct CompareEndToEndTests {
  @Test func aHealthyAndAVanishingRunOverlayInOneChart() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    for preset in ["healthy", "vanishing"] {
      let r = try NNTopProcess.run(["--preset", preset, "--headless", "--epochs", "4", "--log", "\(preset).jsonl"], in: dir.path)
      #expect(r.status == 0, "\(r.stderr)")
    }
    let tmux = Tmux(width: 120, height: 40)
    try tmux.launchNNTop(in: dir, "replay --end healthy.jsonl vanishing.jsonl")
    let screen = try tmux.waitFor("both runs") { s in s.contains { $0.contains("┌ Loss, 2 runs") } && DashboardEndToEndTests.step(s) == 180 }
    // One legend line names both, with their final losses; each run's letter is on its own curve.
    let legend = try #require(screen.first { $0.contains("▸A healthy ") })
    #expect(legend.contains("B vanishing "))
    let chart = screen[2..<22].map { $0 as String }
    #expect(chart.contains { $0.contains("A") && !$0.contains("healthy") } && chart.contains { $0.contains("B") && !$0.contains("vanishing") })
    #expect(screen.contains { $0.contains("Gradient health · A healthy") })
    #expect(DashboardEndToEndTests.status(screen).contains("A healthy"))
    // Tab: the panels show the vanishing run, its layers flagged.
    try tmux.send("Tab")
    // The status line too: a capture can land mid-redraw, the panels drawn and the status line not yet.
    let second = try tmux.waitFor("run B") { s in
      s.contains { $0.contains("Gradient health · B vanishing") } && DashboardEndToEndTests.status(s).contains("B vanishing")
    }
    #expect(second.contains { $0.contains("VANISHING") })
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
  }

  @Test(.enabled(if: PythonTools.torchShouldRun, "no Python with torch and nntop (pip install -e python)"))
  func twoWatchedRunsAndTheKeysGoToTheSelectedOne() throws {
    let python = try #require(PythonTools.torchInterpreter)
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let scripts = ["a", "b"].map { name in
      BackgroundProcess(python, [NNTopProcess.packageRoot + "/python/examples/train_mlp.py", "--run", dir.file(name), "--lr", name == "a" ? "0.05" : "0.2"])
    }
    defer { scripts.forEach { $0.stop() } }
    for script in scripts { try script.start() }
    for name in ["a", "b"] {
      _ = try WatchEndToEndTests.waitFor("run \(name)'s log") { FileManager.default.fileExists(atPath: dir.file("\(name)/log.jsonl")) ? true : nil }
    }
    let tmux = Tmux(width: 120, height: 40)
    try tmux.launchNNTop(in: dir, "watch a b")
    try tmux.waitFor("both runs") { s in s.contains { $0.contains("▸A a ") && $0.contains("B b ") } }
    // Tab to B; space pauses B, and only B.
    try tmux.send("Tab")
    try tmux.waitFor("run B selected") { DashboardEndToEndTests.status($0).contains("B b") }
    try tmux.send("Space")
    try tmux.waitFor("B paused") { DashboardEndToEndTests.status($0).contains("PAUSED") }
    let commandsA = FileManager.default.fileExists(atPath: dir.file("a/commands.jsonl"))
    let commandsB = try String(contentsOfFile: dir.file("b/commands.jsonl"), encoding: .utf8)
    #expect(!commandsA && commandsB.contains(#""command":"pause""#))
    // Back to A: it runs on.
    try tmux.send("Tab")
    try tmux.waitFor("A running") { s in DashboardEndToEndTests.status(s).contains("A a") && DashboardEndToEndTests.status(s).contains("RUNNING") }
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
    let bothRunning = scripts.allSatisfy { $0.isRunning }
    #expect(bothRunning, "q leaves both runs training (B paused)")
  }
}
