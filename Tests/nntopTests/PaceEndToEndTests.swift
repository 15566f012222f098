import Foundation
import Testing
import TestSupport

/// The pace and the curve window as a person uses them: spirals in tmux,
/// `<`, `>` and `w` pressed, the screen and the run log read back.
@Suite(.serialized)
struct PaceEndToEndTests {
  @Test func spiralsOpensAtAWatchablePaceAndTheKeysChangeIt() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let tmux = Tmux(width: 120, height: 40)
    try tmux.launchNNTop(in: dir, "--data spirals --log run.jsonl")
    let first = try tmux.waitFor("the pace on the status line") { s in
      DashboardEndToEndTests.status(s).contains("pace 25 steps/s") && (DashboardEndToEndTests.step(s) ?? 0) >= 10
    }
    // Never faster than the pace (a loaded machine can only be slower): an upper bound over a second or more.
    let since = Date()
    let later = try tmux.waitFor("a second of training") { _ in Date().timeIntervalSince(since) >= 1.2 }
    let elapsed = Date().timeIntervalSince(since)
    let moved = (DashboardEndToEndTests.step(later) ?? 0) - (DashboardEndToEndTests.step(first) ?? 0)
    #expect(moved > 0 && Double(moved) <= 25 * (elapsed + 0.3) + 10, "\(moved) steps in \(elapsed) s at 25 steps/s")
    try tmux.send(">")
    _ = try tmux.waitFor("100 steps/s") { DashboardEndToEndTests.status($0).contains("pace 100 steps/s") }
    try tmux.send(">")
    _ = try tmux.waitFor("1k steps/s") { DashboardEndToEndTests.status($0).contains("pace 1k steps/s") }
    try tmux.send(">")
    try tmux.send(">")
    let full = try tmux.waitFor("full speed") { s in
      !DashboardEndToEndTests.status(s).contains("pace ") && DashboardEndToEndTests.status(s).contains("pace: full speed")
    }
    let fullStep = DashboardEndToEndTests.step(full) ?? 0
    _ = try tmux.waitFor("steps at full speed") { (DashboardEndToEndTests.step($0) ?? 0) > fullStep + 20_000 }
    try tmux.send(">")
    _ = try tmux.waitFor("a note at the top of the ladder") { DashboardEndToEndTests.status($0).contains("already at full speed") }
    // w: the curves show the recent steps, and say so.
    try tmux.send("w")
    // The title and the axis are both waited for: a capture can land between the two lines' redraws.
    _ = try tmux.waitFor("the recent window, titled and its axis starting late") { s in
      s.contains { $0.hasPrefix("┌ Loss") && $0.contains("last 10% of steps") } && s.contains { $0.contains("from ") && $0.contains("step ") }
    }
    try tmux.send("<")
    _ = try tmux.waitFor("10k steps/s") { DashboardEndToEndTests.status($0).contains("pace 10k steps/s") }
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
    let events = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }
    let paces = events.filter { $0["event"] as? String == "pace" }.map { "\($0["from"] as? Double ?? 0)→\($0["to"] as? Double ?? 0)" }
    #expect(
      paces == ["0.0→25.0", "25.0→100.0", "100.0→1000.0", "1000.0→10000.0", "10000.0→0.0", "0.0→10000.0"],
      "the opening pace, then each change; null is full speed: \(paces)")
  }

  @Test func digitsOpensAtFullSpeedAndPaceTakesAFlag() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let tmux = Tmux(width: 120, height: 40)
    try tmux.launchNNTop(in: dir, "--data digits --pace 10")
    let slow = try tmux.waitFor("the pace asked for") { DashboardEndToEndTests.status($0).contains("pace 10 steps/s") }
    #expect((DashboardEndToEndTests.step(slow) ?? 0) < 60)
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
    let headless = try NNTopProcess.run(["--headless", "--data", "xor", "--pace", "10"])
    #expect(headless.status == 64 && headless.stderr.contains("a --headless run always trains at full speed"), "\(headless.stderr)")
    let bad = try NNTopProcess.run(["--data", "xor", "--pace", "slow"])
    #expect(bad.status == 64 && bad.stderr.contains("--pace takes steps a second (1 or more) or full, got \"slow\""), "\(bad.stderr)")
  }
}
