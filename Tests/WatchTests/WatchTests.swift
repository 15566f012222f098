import Foundation
import Testing
import RunEvents
import TestSupport
@testable import Watch

/// Following a log another process writes, and writing its commands.
struct LogFollowerTests {
  static let header = #"{"type":"run","schema":1,"source":"pytorch","layers":[[4,2],[1,4]],"activations":["relu","linear"],"task":"regression","batch":8,"lr":0.1,"layer_names":["fc1","out"],"pid":1,"host":"elsewhere"}"#

  func append(_ path: String, _ text: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
  }

  @Test func completeLinesOnlyAndEachOnce() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.file("log.jsonl")
    var follower = LogFollower(path: path)
    let before = follower.poll()
    #expect(!before.exists, "no log yet: waited for")
    FileManager.default.createFile(atPath: path, contents: Data((Self.header + "\n" + #"{"type":"event","event":"pau"#).utf8))
    var update = follower.poll()
    #expect(update.exists && update.events.count == 1)
    guard case .run = update.events.first else {
      Issue.record("the header first")
      return
    }
    try append(path, #"se","step":7,"command_id":3}"# + "\nnot json\n")
    update = follower.poll()
    #expect(update.events == [.event(EventRecord(step: 7, .pause, commandID: 3))])
    #expect(follower.warnings.count == 1 && follower.warnings[0].hasPrefix("\(path):3: skipped: "))
    let again = follower.poll()
    #expect(again.events.isEmpty)
  }

  @Test func aReplacedLogIsReadFromItsStart() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.file("log.jsonl")
    FileManager.default.createFile(atPath: path, contents: Data((Self.header + "\n" + #"{"type":"event","event":"pause","step":9}"# + "\n").utf8))
    var follower = LogFollower(path: path)
    let first = follower.poll()
    #expect(first.events.count == 2)
    try FileManager.default.removeItem(atPath: path)
    FileManager.default.createFile(atPath: path, contents: Data((Self.header + "\n").utf8))
    let update = follower.poll()
    #expect(update.restarted && update.events.count == 1)
  }
}

struct WatchedRunTests {
  func sample(step: Int, gradient: Double) -> String {
    let layer = #"{"shape":[4,2],"grad_norm":\#(gradient),"weight_norm":1,"update_ratio":0.001}"#
    let out = #"{"shape":[1,4],"grad_norm":0.5,"weight_norm":1,"update_ratio":0.001}"#
    return #"{"type":"sample","step":\#(step),"time":\#(Double(step) / 10),"lr":0.1,"loss":[0.5,0.4,0.6,2],"layers":[\#(layer),\#(out)]}"#
  }

  @Test func statisticsAreJudgedByTheEnginesOwnVerdicts() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let log = dir.file("log.jsonl")
    FileManager.default.createFile(atPath: log, contents: Data(([LogFollowerTests.header, sample(step: 10, gradient: 1e-9)].joined(separator: "\n") + "\n").utf8))
    var run = WatchedRun(path: dir.path)
    #expect(run.logPath == log && run.commandsPath == dir.file("commands.jsonl"))
    let changed = run.poll(now: 0)
    #expect(changed)
    let view = try #require(run.view)
    #expect(view.health.map(\.status) == [.vanishing, .ok], "the log carries no verdicts: Diagnosis made these")
    #expect(view.health[0].reason == "fc1 ‖∂J/∂W‖ 1.0e-09 < 1.0e-06", "the reasons name the run's own modules")
    #expect(view.info.layerNames == ["fc1 2→4", "out 4→1"])
    #expect(view.step == 10 && view.origin == "pytorch · elsewhere · pid 1")
  }

  @Test func aProcessThatDiedWithoutASummaryIsSaidGone() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // A process that has exited: its pid is free (reused only after many more).
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/true")
    try child.run()
    child.waitUntilExit()
    let header = LogFollowerTests.header.replacingOccurrences(of: #""pid":1,"host":"elsewhere""#, with: #""pid":\#(child.processIdentifier),"host":"\#(RankLog.hostName)""#)
    FileManager.default.createFile(atPath: dir.file("log.jsonl"), contents: Data((header + "\n").utf8))
    var run = WatchedRun(path: dir.file("log.jsonl"))
    let changed = run.poll(now: 0)
    #expect(changed)
    #expect(run.view?.state == .stopped && run.view?.origin?.hasSuffix("process gone") == true)
    #expect(run.view?.notice?.text.contains("is gone") == true)
  }

  @Test func aSummaryEndsTheRun() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let lines = [LogFollowerTests.header, #"{"type":"summary","ending":"quit","epochs":1,"steps":5,"time":1}"#]
    FileManager.default.createFile(atPath: dir.file("log.jsonl"), contents: Data((lines.joined(separator: "\n") + "\n").utf8))
    var run = WatchedRun(path: dir.path)
    _ = run.poll(now: 0)
    #expect(run.view?.state == .stopped && run.view?.origin == "pytorch · elsewhere · pid 1 · run ended")
  }
}

struct CommandsFileTests {
  @Test func commandsAreOwnerOnlyLinesWithIdsThatGoOn() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.file("commands.jsonl")
    let file = CommandsFile(path: path)
    #expect(file.send(command: .pause) == 1)
    #expect(file.send(command: .scaleLearningRate(0.5)) == 2)
    #expect(file.send(command: .rollBack) == nil, "the built-in engine's own")
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    // A dashboard started later goes on from the last id.
    #expect(CommandsFile(path: path).send(command: .step(3)) == 3)
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(lines == [#"{"id":1,"command":"pause"}"#, #"{"id":2,"command":"scale-lr","factor":0.5}"#, #"{"id":3,"command":"step","count":3}"#])
  }
}

/// Other tools' CSV logs, followed as they change.
struct CSVLoggerRunTests {
  /// `text` as the CSV file `name` in `dir`, followed and read once.
  func polled(_ text: String, as name: String, in dir: TemporaryDirectory) throws -> CSVLoggerRun {
    try text.write(toFile: dir.file(name), atomically: true, encoding: .utf8)
    var run = CSVLoggerRun(path: dir.file(name))
    _ = run.poll()
    return run
  }

  @Test func lightningsSparseRowsAndItsRewriteWithANewColumn() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.file("metrics.csv")
    // As Lightning writes it: a row per logging step, validation on rows of their own.
    try "epoch,step,train_loss\n0,4,0.5\n0,9,0.25\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(CSVLoggerRun.logFile(at: dir.path) == path)
    var run = CSVLoggerRun(path: path)
    let first = run.poll()
    #expect(first)
    var view = try #require(run.view)
    #expect(view.history.loss.buckets.map(\.x) == [4, 9] && view.history.loss.last == 0.25 && view.step == 9)
    #expect(view.info.isClassification == false && view.origin == "csv · Lightning · read-only")
    // A new column: the whole file rewritten with it.
    try "epoch,step,train_loss,val_acc,val_loss\n0,4,0.5,,\n0,9,0.25,,\n0,15,,0.875,0.125\n1,19,0.0625,,\n".write(toFile: path, atomically: true, encoding: .utf8)
    let rewritten = run.poll()
    #expect(rewritten)
    view = try #require(run.view)
    #expect(view.history.loss.buckets.map(\.x) == [4, 9, 19])
    #expect(view.history.validationLoss.buckets.map(\.x) == [15] && view.history.validationLoss.last == 0.125)
    #expect(view.history.validationMetric.last == 0.875 && view.info.isClassification && view.epoch == 1 && view.step == 19)
    let unchanged = run.poll()
    #expect(!unchanged)
  }

  /// Validation loss 0.5 at its best (epoch 4), then 0.7 for twelve epochs
  /// while the training loss halves: the watched run is judged overfitting
  /// by the same rule as nntop's own, from the tenth risen epoch on.
  static let risingValidation = [1.0, 0.8, 0.6, 0.5] + Array(repeating: 0.7, count: 12)

  @Test func aWatchedPyTorchRunIsJudgedOverfitting() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var lines = [LogFollowerTests.header]
    for (i, val) in Self.risingValidation.enumerated() {
      lines.append(#"{"type":"epoch","epoch":\#(i + 1),"step":\#(10 * (i + 1)),"loss":\#(1.0 / Double(i + 1)),"val_loss":\#(val)}"#)
    }
    FileManager.default.createFile(atPath: dir.file("log.jsonl"), contents: Data((lines.joined(separator: "\n") + "\n").utf8))
    var run = WatchedRun(path: dir.path)
    _ = run.poll(now: 0)
    let verdict = try #require(run.view?.overfitting, "the log carries no verdict: Diagnosis made it")
    #expect(verdict.since == 5 && verdict.bestEpoch == 4 && verdict.bestStep == 40 && verdict.validationLoss == 0.7)
    #expect(verdict.hint.contains("weight decay") && !verdict.hint.contains("--l2"), "a PyTorch run's fixes: \(verdict.hint)")
  }

  /// A CSV logger's training loss is per step: an epoch's is the mean of its steps'.
  @Test func aCSVLoggerRunIsJudgedOnItsStepLosses() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var rows = ["epoch,step,train_loss,val_loss"]
    for (e, val) in Self.risingValidation.enumerated() {
      for k in 1...4 { rows.append("\(e),\(10 * e + k),\(1.0 / Double(e + 1)),") }
      rows.append("\(e),\(10 * e + 5),,\(val)")
    }
    let run = try polled(rows.joined(separator: "\n") + "\n", as: "metrics.csv", in: dir)
    let verdict = try #require(run.view?.overfitting)
    #expect(verdict.since == 5 && verdict.bestEpoch == 4 && abs(verdict.bestTrainingLoss - 0.25) < 1e-6)
  }

  @Test func kerasRowsAreEpochs() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let run = try polled("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss\n0,0.5,0.001,1.25,0.625,1.0\n1,0.75,0.0005,0.5,0.75,0.75\n", as: "training.csv", in: dir)
    let view = try #require(run.view)
    #expect(view.history.loss.buckets.map(\.x) == [1, 2] && view.history.metric.last == 0.75)
    #expect(view.history.validationLoss.last == 0.75 && view.learningRate == 0.0005 && view.info.networkDescription == "Keras CSVLogger")
  }

  @Test func aStepThatIsNoWholeNumberLeavesItsRowOut() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let run = try polled("epoch,step,train_loss\n0,4,0.5\n0,nan,0.4\ninf,1e300,0.3\n0,9,0.25\n", as: "metrics.csv", in: dir)
    #expect(run.view?.history.loss.buckets.map(\.x) == [4, 9])
  }

  @Test func aCSVWithoutALossColumnIsSaidSo() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let run = try polled("a,b\n1,2\n", as: "other.csv", in: dir)
    #expect(run.view == nil && run.problem?.contains("no loss column among 2") == true)
  }

  /// A metrics.csv written by a real Lightning `CSVLogger`.
  @Test(.enabled(if: PythonTools.torchShouldRun)) func aRealLightningCSVLoggerFile() throws {
    let python = try #require(PythonTools.torchInterpreter)
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let script = """
      import torch, lightning.pytorch as pl
      from torch import nn
      from lightning.pytorch.loggers import CSVLogger
      class M(pl.LightningModule):
          def __init__(s): super().__init__(); s.n = nn.Linear(3, 1)
          def training_step(s, b, i):
              x, y = b; l = nn.functional.mse_loss(s.n(x), y); s.log("train_loss", l); return l
          def validation_step(s, b, i):
              x, y = b; s.log("val_loss", nn.functional.mse_loss(s.n(x), y))
          def configure_optimizers(s): return torch.optim.SGD(s.parameters(), lr=0.1)
      x = torch.randn(256, 3)
      d = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, x.sum(1, keepdim=True)), batch_size=16)
      pl.Trainer(max_epochs=2, logger=CSVLogger("\(dir.path)", name="run", version=0), log_every_n_steps=5, enable_progress_bar=False,
                 enable_model_summary=False, enable_checkpointing=False).fit(M(), d, d)
      """
    let result = try PythonTools.run(python, ["-c", script])
    #expect(result.status == 0, "\(result.stderr)")
    let path = try #require(CSVLoggerRun.logFile(at: dir.file("run/version_0")))
    var run = CSVLoggerRun(path: path)
    _ = run.poll()
    let view = try #require(run.view, "\(run.problem ?? "")")
    #expect(view.history.loss.total == 6, "32 steps, logged every 5th")
    #expect(view.history.validationLoss.total == 2, "one validation row per epoch")
  }
}

/// TensorBoard event files written by PyTorch's own `SummaryWriter`, followed
/// while it writes: every file under the folder, TF1 and TF2 scalars.
@Suite(.serialized, .enabled(if: PythonTools.torchShouldRun))
struct TensorBoardRunTests {
  @Test func aSummaryWriterRunSpreadOverSeveralFilesIsFollowed() throws {
    let python = try #require(PythonTools.torchInterpreter)
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let writer = BackgroundProcess(python, [NNTopProcess.packageRoot + "/Tests/Python/write_tensorboard.py", dir.file("logs"), dir.file("continue")])
    try writer.start()
    defer { writer.stop() }
    var run = TensorBoardRun(directory: dir.file("logs"))
    func poll(until done: (RunView) -> Bool) throws -> RunView {
      let deadline = Date().addingTimeInterval(60)
      var clock = 0.0
      while Date() < deadline {
        clock += 1  // each poll looks for new files
        if run.poll(now: clock), let view = run.view, done(view) { return view }
        usleep(20_000)
      }
      throw Tmux.Failure(description: "timed out: \(run.problem ?? "") step \(run.view?.step ?? -1)")
    }
    let first = try poll { $0.step == 20 && $0.history.validationLoss.buckets.count == 2 }
    #expect(first.history.loss.buckets.map(\.x) == (1...20).map(Double.init))
    #expect(abs(Double(first.history.loss.last!) - 2 * exp(-2.0)) < 1e-6)
    #expect(first.info.isClassification && abs(Double(first.history.metric.last!) - (1 - exp(-2.5))) < 1e-6)
    #expect(first.learningRate == 0.1, "lr, written as a TF2 tensor")
    FileManager.default.createFile(atPath: dir.file("continue"), contents: nil)
    let view = try poll { $0.step == 40 && $0.history.validationLoss.buckets.count == 4 }
    #expect(view.history.loss.buckets.count == 40, "both writers' files")
    #expect(abs(Double(view.history.validationLoss.last!) - 2.5 * exp(-40.0 / 12)) < 1e-6, "Loss_val/Loss: add_scalars' sub-folder")
    #expect(view.learningRate == 0.05)
    #expect(view.info.layerNames == ["fc1", "fc2"] && view.layers.map(\.gradientNorm) == [0.5, Double(Float(1e-9))])
    #expect(view.health.map(\.status) == [.ok, .vanishing], "judged by nntop's own rules")
    #expect(view.history.others.map(\.name) == ["throughput"] && view.history.others[0].series.last == 1040)
    #expect(view.origin == "tensorboard · read-only" && run.warnings.isEmpty)
    #expect(writer.wait() == 0)
  }
}
