import Foundation
import Testing
import TestSupport

/// A real PyTorch training script with `nntop.torch.Monitor`, watched and
/// steered by the real `nntop watch` in tmux: what the keys do is checked on
/// the training process itself (its step counter and its optimiser's η,
/// which the script writes to a file after every step).
@Suite(.serialized, .enabled(if: PythonTools.torchShouldRun, "no Python with torch and nntop (pip install -e python)"))
struct WatchEndToEndTests {
  /// `steps lr` as the script last wrote them.
  static func progress(_ dir: TemporaryDirectory) -> (steps: Int, lr: Double)? {
    guard let text = try? String(contentsOfFile: dir.file("steps.txt"), encoding: .utf8) else { return nil }
    let parts = text.split(separator: " ")
    guard parts.count == 2, let steps = Int(parts[0]), let lr = Double(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
    return (steps, lr)
  }

  static func waitFor<T>(_ what: String, timeout: Double = 30, _ value: () -> T?) throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let v = value() { return v }
      usleep(20_000)
    }
    throw Tmux.Failure(description: "timed out waiting for \(what)")
  }

  @Test func pauseStepEtaSaveAndQuitActOnTheTrainingProcess() throws {
    let python = try #require(PythonTools.torchInterpreter, "no Python with torch and nntop")
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let tmux = Tmux(width: 120, height: 40)
    // Started before the run: it waits for the log.
    try tmux.launchNNTop(in: dir, "watch run")
    try tmux.waitFor("the waiting note") { $0.joined().contains("waiting for run/log.jsonl") }
    let script = BackgroundProcess(
      python, [NNTopProcess.packageRoot + "/python/examples/train_mlp.py", "--run", dir.file("run"), "--steps-file", dir.file("steps.txt"), "--lr", "0.05"])
    try script.start()
    defer { script.stop() }
    // Running, with its weights read too (the line after the first sample).
    let running = try tmux.waitFor("the watched run") { s in
      DashboardEndToEndTests.status(s).contains("RUNNING") && (DashboardEndToEndTests.step(s) ?? 0) > 0
        && s.contains { $0.contains("┌ Weights 0 2→32") }
    }
    #expect(DashboardEndToEndTests.status(running).contains("pytorch · "), "the status line names the source")
    for title in ["┌ Loss", "┌ Gradient health", "┌ Accuracy", "┌ Weights 0 2→32"] {
      #expect(running.contains { $0.contains(title) }, "\(title) missing")
    }
    // Space pauses the process: its loop is blocked in mon.step.
    try tmux.send("Space")
    try tmux.waitFor("PAUSED") { DashboardEndToEndTests.status($0).contains("PAUSED") }
    let paused = try Self.waitFor("the paused step count") { Self.progress(dir) }
    // n lets exactly one step through (a loop that were not blocked would run on past it).
    try tmux.send("n")
    let stepped = try Self.waitFor("one step") { Self.progress(dir).flatMap { $0.steps > paused.steps ? $0 : nil } }
    #expect(stepped.steps == paused.steps + 1)
    try tmux.waitFor("the step on screen") { DashboardEndToEndTests.step($0) == paused.steps + 1 }
    // + doubles the optimiser's η in the process.
    try tmux.send("+")
    try tmux.waitFor("η 0.1 on screen") { DashboardEndToEndTests.status($0).contains("η 0.1 ") }
    try tmux.send("n")
    let raised = try Self.waitFor("the next step") { Self.progress(dir).flatMap { $0.steps > stepped.steps ? $0 : nil } }
    #expect(abs(raised.lr - 0.1) < 1e-12 && raised.steps == stepped.steps + 1)
    // s: a checkpoint in the run's checkpoints/, loadable by safetensors.
    try tmux.send("s")
    let saved = try tmux.waitFor("the save's acknowledgement") { $0.joined().contains("saved checkpoints/step-") }
    let line = try #require(saved.last { $0.contains("saved checkpoints/") })
    let name = try #require(line.range(of: #"checkpoints/step-[0-9]+\.safetensors"#, options: .regularExpression).map { String(line[$0]) })
    let check = try NNTopProcess.run(
      ["-c", "'\(python)' -c \"from safetensors.torch import load_file; print(sorted(load_file('\(dir.file("run/" + name))')))\""], shell: true)
    #expect(check.status == 0 && check.stdout.contains("'0.weight'") && check.stdout.contains("'4.bias'"), "\(check.stderr)")
    // Resume, then q: the dashboard closes and the process trains on.
    try tmux.send("Space")
    try tmux.waitFor("RUNNING again") { DashboardEndToEndTests.status($0).contains("RUNNING") }
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
    let after = try #require(Self.progress(dir))
    _ = try Self.waitFor("the run to go on without the dashboard") { Self.progress(dir).flatMap { $0.steps > after.steps + 50 ? $0 : nil } }
    #expect(script.isRunning)
  }
}

/// A real two-rank DDP job (`torchrun`, CPU, gloo) watched and steered by
/// `nntop watch` in tmux: both ranks on the screen, and each key's command
/// taken by both ranks at the same step, checked on each rank's own log and
/// optimiser.
@Suite(.serialized, .enabled(if: PythonTools.torchShouldRun, "no Python with torch and nntop (pip install -e python)"))
struct DistributedWatchEndToEndTests {
  /// Rank `rank`'s log's events that acknowledge a command.
  static func acknowledgements(_ dir: TemporaryDirectory, rank: Int) -> [(event: String, step: Int)] {
    let name = rank == 0 ? "run/log.jsonl" : "run/log.rank\(rank).jsonl"
    guard let text = try? String(contentsOfFile: dir.file(name), encoding: .utf8) else { return [] }
    return text.split(separator: "\n").compactMap { line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], object["command_id"] != nil,
        let event = object["event"] as? String, let step = object["step"] as? Int
      else { return nil }
      return (event, step)
    }
  }

  @Test func bothRanksAreShownAndEveryKeyActsOnBothAtOneStep() throws {
    let python = try #require(PythonTools.torchInterpreter, "no Python with torch and nntop")
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let job = BackgroundProcess(
      (python as NSString).deletingLastPathComponent + "/torchrun",
      [
        "--standalone", "--nproc_per_node=2", NNTopProcess.packageRoot + "/python/examples/train_ddp.py", "--run-dir", dir.file("run"),
        "--step-seconds", "0.01", "--sync-every", "4", "--report", dir.file("report"),
      ], environment: ["OMP_NUM_THREADS": "1"])
    try job.start()
    defer { job.stop() }
    let tmux = Tmux(width: 120, height: 40)
    try tmux.launchNNTop(in: dir, "watch run")
    let running = try tmux.waitFor("both ranks") { s in
      // The status line too: a capture can land mid-redraw, the panels drawn and the status line not yet.
      s.contains { $0.contains("┌ Ranks (2)") } && s.contains { $0.contains("r1  step ") } && DashboardEndToEndTests.status(s).contains("RUNNING")
        && DashboardEndToEndTests.status(s).contains("pytorch · 2 ranks")
    }
    #expect(running.contains { $0.contains("Gradient health, mean of 2 ranks") })
    // Space pauses both ranks at one step.
    try tmux.send("Space")
    try tmux.waitFor("PAUSED") { DashboardEndToEndTests.status($0).contains("PAUSED") }
    let pauses = try WatchEndToEndTests.waitFor("both ranks' pause") { () -> [Int]? in
      let steps = (0..<2).compactMap { Self.acknowledgements(dir, rank: $0).first { $0.event == "pause" }?.step }
      return steps.count == 2 ? steps : nil
    }
    #expect(pauses[0] == pauses[1])
    // + doubles η on both ranks at one step; space resumes them.
    try tmux.send("+")
    try tmux.waitFor("η 0.1 on screen") { DashboardEndToEndTests.status($0).contains("η 0.1 ") }
    try tmux.send("Space")
    try tmux.waitFor("RUNNING again") { DashboardEndToEndTests.status($0).contains("RUNNING") }
    // K asks, y stops the job: both ranks end cleanly, torchrun with them.
    try tmux.send("K")
    try tmux.waitFor("the question") { $0.last?.contains("stop the training process? y / n") == true }
    try tmux.send("y")
    _ = try WatchEndToEndTests.waitFor("the job to end", timeout: 60) { job.isRunning ? nil : true }
    #expect(job.wait() == 0)
    for rank in 0..<2 {
      let events = Self.acknowledgements(dir, rank: rank).map(\.event)
      #expect(events == ["pause", "lr", "resume", "stop"], "rank \(rank): \(events)")
      let report = try String(contentsOfFile: dir.file("report.rank\(rank).json"), encoding: .utf8)
      #expect(report.contains(#""lr": [0.1]"#), "rank \(rank)'s optimiser: \(report)")
    }
    let steps = (0..<2).map { rank in Self.acknowledgements(dir, rank: rank).map(\.step) }
    #expect(steps[0] == steps[1], "each command at the same step on both ranks")
    /// The Ranks panel's rows that say the rank's log ended.
    func endedRanks(_ s: [String]) -> Int { s.filter { $0.range(of: #"│r[01]  step [0-9,]+ .* ended"#, options: .regularExpression) != nil }.count }
    try tmux.waitFor("both ranks ended") { endedRanks($0) == 2 }
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
    // Watched after it ended: the ranks still merged (not rank 0's log played back alone).
    let again = Tmux(width: 120, height: 40)
    try again.launchNNTop(in: dir, "watch run")
    try again.waitFor("the ended ranks") { endedRanks($0) == 2 }
    try again.send("q")
  }
}

/// PyTorch's `SummaryWriter` writing while the real dashboard watches its
/// folder: the curves by tag, another tag on `m`, the keys read-only.
@Suite(.serialized, .enabled(if: PythonTools.torchShouldRun, "no Python with torch"))
struct TensorBoardWatchEndToEndTests {
  @Test func aSummaryWriterRunIsWatchedLive() throws {
    let python = try #require(PythonTools.torchInterpreter)
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let writer = BackgroundProcess(python, [NNTopProcess.packageRoot + "/Tests/Python/write_tensorboard.py", dir.file("logs"), dir.file("continue")])
    defer { writer.stop() }
    // Started before the writer: the folder is awaited, and becomes a TensorBoard log when its first event file appears.
    let tmux = Tmux(width: 120, height: 40)
    try tmux.launchNNTop(in: dir, "watch logs")
    try tmux.waitFor("the waiting note") { $0.joined().contains("waiting for logs/log.jsonl") }
    try writer.start()
    let first = try tmux.waitFor("step 20") { DashboardEndToEndTests.step($0) == 20 }
    #expect(DashboardEndToEndTests.status(first).contains("tensorboard · read-only"))
    #expect(first.contains { $0.contains("┌ Accuracy") && $0.contains("m: 1 more series") })
    #expect(first.contains { $0.contains("fc2") && $0.contains("VANISHING") })
    try tmux.send("m")
    try tmux.waitFor("the throughput tag") { $0.contains { $0.contains("┌ throughput") } }
    try tmux.send("Space")
    try tmux.waitFor("the read-only note") { $0.last?.contains("a TensorBoard log is read-only") == true }
    // The second writer's file: found, and followed.
    FileManager.default.createFile(atPath: dir.file("continue"), contents: nil)
    try tmux.waitFor("step 40") { DashboardEndToEndTests.step($0) == 40 }
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
  }
}

/// Another tool's CSV log followed live in the real dashboard: rows appended
/// and the file rewritten with a new column, as Lightning's `CSVLogger` does.
@Suite(.serialized)
struct CSVWatchEndToEndTests {
  /// A real Lightning fit writing metrics.csv while the dashboard watches.
  @Test(.enabled(if: PythonTools.torchShouldRun, "no Python with Lightning"))
  func aLightningRunIsWatchedLive() throws {
    let python = try #require(PythonTools.torchInterpreter)
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let fit = BackgroundProcess(python, [NNTopProcess.packageRoot + "/Tests/Python/lightning_csv.py", dir.path, dir.file("continue")])
    try fit.start()
    defer { fit.stop() }
    _ = try WatchEndToEndTests.waitFor("the first rows", timeout: 60) { FileManager.default.fileExists(atPath: dir.file("run/version_0/metrics.csv")) ? true : nil }
    let tmux = Tmux(width: 120, height: 40)
    try tmux.launchNNTop(in: dir, "watch run/version_0")
    // Lightning waits at step 20: what it flushed by then is on the screen.
    let held = try tmux.waitFor("the rows up to step 20") { (DashboardEndToEndTests.step($0) ?? 0) >= 14 }
    #expect((DashboardEndToEndTests.step(held) ?? 0) <= 20)
    #expect(held.contains { $0.contains("━ val (epoch) –") }, "no validation yet")
    FileManager.default.createFile(atPath: dir.file("continue"), contents: nil)
    // The epoch ends: the file rewritten with val_loss, and the curve has it.
    let done = try tmux.waitFor("the validation column", timeout: 60) { s in
      s.contains { $0.contains("━ val (epoch) ") && !$0.contains("━ val (epoch) –") } && (DashboardEndToEndTests.step(s) ?? 0) >= 35
    }
    #expect(DashboardEndToEndTests.status(done).contains("csv · Lightning · read-only"))
    #expect(fit.wait() == 0)
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
  }

  @Test func aRewrittenMetricsFileIsFollowedAndTheKeysSayItIsReadOnly() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try FileManager.default.createDirectory(atPath: dir.file("version_0"), withIntermediateDirectories: true)
    let metrics = dir.file("version_0/metrics.csv")
    try "epoch,step,train_loss\n0,4,0.5\n0,9,0.25\n".write(toFile: metrics, atomically: true, encoding: .utf8)
    let tmux = Tmux(width: 120, height: 40)
    try tmux.launchNNTop(in: dir, "watch version_0")
    let first = try tmux.waitFor("the CSV run") { DashboardEndToEndTests.step($0) == 9 }
    #expect(DashboardEndToEndTests.status(first).contains("csv · Lightning · read-only"))
    #expect(first.joined().contains("no per-layer statistics in this log"))
    // Lightning rewrites the file whole when a column appears.
    try "epoch,step,train_loss,val_loss\n0,4,0.5,\n0,9,0.25,\n0,15,,0.125\n1,19,0.0625,\n".write(toFile: metrics, atomically: true, encoding: .utf8)
    let rewritten = try tmux.waitFor("the rewritten file") { DashboardEndToEndTests.step($0) == 19 }
    #expect(rewritten.contains { $0.contains("━ val (epoch) 0.125") })
    // Space has nothing to pause: it says so, and nothing is written.
    try tmux.send("Space")
    try tmux.waitFor("the read-only note") { $0.last?.contains("a CSV log is read-only") == true }
    #expect(!FileManager.default.fileExists(atPath: dir.file("version_0/commands.jsonl")))
    try tmux.send("q")
    #expect(try dir.exitStatus() == "EXIT=0")
  }
}
