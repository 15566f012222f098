import Foundation
import Testing
import TestSupport

/// Signals and terminals: SIGQUIT ends a run like SIGTERM (never the crash
/// reporter), a Ctrl-Z stop is not training time and the screen comes back
/// whole after `fg`, a terminal without an alternate screen is cleared.
@Suite(.serialized)
struct SignalTests {
  /// A headless run in the background, its output in files.
  final class Background {
    let process = Process()
    let dir: TemporaryDirectory
    init(_ arguments: [String], in dir: TemporaryDirectory) throws {
      self.dir = dir
      process.executableURL = URL(fileURLWithPath: NNTopProcess.executable)
      process.arguments = arguments
      process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
      FileManager.default.createFile(atPath: dir.file("out.txt"), contents: nil)
      FileManager.default.createFile(atPath: dir.file("err.txt"), contents: nil)
      process.standardOutput = FileHandle(forWritingAtPath: dir.file("out.txt"))
      process.standardError = FileHandle(forWritingAtPath: dir.file("err.txt"))
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }
    var stdout: String { (try? String(contentsOfFile: dir.file("out.txt"), encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: dir.file("err.txt"), encoding: .utf8)) ?? "" }

    /// Waits until stdout holds `text`.
    func waitFor(_ text: String, timeout: Double = 60) throws {
      let deadline = Date().addingTimeInterval(timeout)
      while Date() < deadline {
        if stdout.contains(text) { return }
        usleep(20_000)
      }
      throw Tmux.Failure(description: "no \(text) in: \(stdout)\n\(stderr)")
    }

    /// The process's state letter in /proc (R, S, T stopped, …).
    var state: Character? {
      guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return nil }
      return stat[stat.index(close, offsetBy: 2)]
    }
  }

  func summary(_ dir: TemporaryDirectory) throws -> [String: Any] {
    let last = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n").last ?? ""
    return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
  }

  @Test func sigquitEndsAHeadlessRunLikeSigterm() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let run = try Background(["--headless", "--data", "xor", "--epochs", "100000000", "--log", "run.jsonl", "--save", "m.safetensors"], in: dir)
    try run.waitFor("epoch ")
    kill(run.process.processIdentifier, SIGQUIT)
    run.process.waitUntilExit()
    #expect(run.process.terminationReason == .exit && run.process.terminationStatus == 131, "128 + SIGQUIT")
    #expect(!run.stderr.contains("Backtrace") && !run.stderr.contains("Crash"), "\(run.stderr)")
    #expect(run.stdout.contains("saved m.safetensors"))
    #expect(try summary(dir)["ending"] as? String == "sigquit")
  }

  @Test func aCtrlZStopIsNotTrainingTime() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let started = Date()
    let run = try Background(["--headless", "--data", "xor", "--epochs", "100000000", "--log", "run.jsonl"], in: dir)
    try run.waitFor("epoch ")
    kill(run.process.processIdentifier, SIGTSTP)
    let deadline = Date().addingTimeInterval(30)
    while run.state != "T" && Date() < deadline { usleep(10_000) }
    #expect(run.state == "T", "SIGTSTP stops the run")
    sleep(3)
    kill(run.process.processIdentifier, SIGCONT)
    usleep(500_000)
    kill(run.process.processIdentifier, SIGTERM)
    run.process.waitUntilExit()
    let wall = Date().timeIntervalSince(started)
    let time = try #require(try summary(dir)["time"] as? Double)
    #expect(run.process.terminationStatus == 143)
    #expect(time < wall - 2.5, "training time \(time) s of \(wall) s wall clock counts the 3 s stop")
    #expect(time > 0.2)
  }

  @Test func sigquitInTheDashboardRestoresTheTerminal() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let tmux = Tmux()
    try tmux.launchNNTop(in: dir, "--data xor --log run.jsonl")
    try tmux.waitFor("the dashboard") { $0.contains { $0.contains("RUNNING") } }
    try tmux.send("C-\\")
    #expect(try dir.exitStatus() == "EXIT=131")
    #expect(try tmux.pane("alternate_on") == "0")
    let screen = try tmux.capture().joined(separator: "\n")
    #expect(!screen.contains("Backtrace") && !screen.contains("Press space"), "\(screen)")
    #expect(try summary(dir)["ending"] as? String == "sigquit")
  }

  @Test func ctrlZThenFgBringsTheWholeScreenBackAndStopsTheClock() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let tmux = Tmux()
    // An interactive shell, for job control.
    try tmux.start("cd '\(dir.path)' && exec env PS1='$ ' bash --norc --noprofile -i", environment: ["LANG": "C.UTF-8"])
    try tmux.waitFor("the prompt") { $0.contains { $0.hasPrefix("$") } }
    let started = Date()
    try tmux.send("'\(NNTopProcess.executable)' --data spirals --log run.jsonl", "Enter")
    try tmux.waitFor("the dashboard") { $0.contains { $0.contains("RUNNING") } }
    try tmux.send("C-z")
    let shell = try tmux.waitFor("the shell, the job stopped") { s in s.contains { $0.contains("Stopped") } }
    #expect(try tmux.pane("alternate_on") == "0", "the terminal was given back: \(shell)")
    sleep(4)
    try tmux.send("fg", "Enter")
    let back = try tmux.waitFor("the whole dashboard again") { s in
      s.first?.hasPrefix("┌ Loss") == true && s.last?.contains("RUNNING") == true && !s.contains { $0.contains("Stopped") || $0.hasPrefix("$") }
    }
    #expect(back.count == 40)
    try tmux.send(" ")
    let paused = try tmux.waitFor("paused") { s in s.last?.contains("PAUSED") == true }
    let wall = Date().timeIntervalSince(started)
    let clock = try #require(paused.last?.range(of: #"[0-9]{2}:[0-9]{2}:[0-9]{2}"#, options: .regularExpression).map { paused.last![$0] })
    let seconds = clock.split(separator: ":").compactMap { Double($0) }.reduce(0) { $0 * 60 + $1 }
    #expect(seconds <= wall - 3, "the status line's training time \(clock) of \(wall) s counts the 4 s stop")
    try tmux.send("q")
    // $? after fg is the job's exit status.
    try tmux.waitFor("the prompt after q") { $0.last(where: { !$0.isEmpty })?.hasPrefix("$") == true }
    try tmux.send("echo EXIT=$? > exit.txt", "Enter")
    #expect(try dir.exitStatus() == "EXIT=0")
  }

  @Test func aTerminalWithoutAnAlternateScreenIsClearedOnExit() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let tmux = Tmux()
    try tmux.launchNNTop(in: dir, "--data xor", environment: ["LANG": "C.UTF-8", "TERM": "vt100"])
    try tmux.waitFor("the dashboard") { $0.contains { $0.contains("RUNNING") } }
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
    let screen = try tmux.capture()
    #expect(!screen.contains { $0.contains("Loss") || $0.contains("RUNNING") || $0.contains("Gradient") }, "the last frame stayed: \(screen.joined(separator: "\n"))")
  }
}
