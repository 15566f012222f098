import Foundation
import Testing
import TestSupport
import RunEvents
import Training

/// Runs that last: checkpoints during training, `kill -9` at any moment, and
/// resuming where the run stopped.
@Suite(.serialized)
struct ResumeTests {
  /// Starts `nntop ARGS` in the background (output discarded).
  func start(_ arguments: [String], in dir: TemporaryDirectory) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: NNTopProcess.executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  func kill9(_ process: Process) {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  func lines(_ path: String) -> [String] {
    (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) ?? []
  }

  func json(_ line: String) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
  }

  @Test func savedKilledAndResumedContinuesWhereItStopped() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let process = try start(
      ["--headless", "--data", "digits", "--optimizer", "adam", "--epochs", "10000", "--checkpoint-every", "1", "--save", "m.safetensors", "--log", "run.jsonl"],
      in: dir)
    let deadline = Date().addingTimeInterval(90)
    while Date() < deadline && lines(dir.file("run.jsonl")).filter({ $0.contains(#""type":"epoch""#) }).count < 4 { usleep(20_000) }
    kill9(process)
    #expect(process.terminationReason == .uncaughtSignal)

    // Every complete line parses; only a last line without its newline may be cut.
    let text = lines(dir.file("run.jsonl"))
    let complete = text.dropLast()  // after the last "\n": empty, or the line being written
    #expect(complete.count > 5)
    #expect(complete.allSatisfy { json($0) != nil }, "a complete log line does not parse")
    #expect(!complete.contains { $0.contains(#""type":"summary""#) })
    // The checkpoint is a whole file from one of the epochs.
    let saved = try Checkpoint.read(from: dir.file("m.safetensors"))
    let epochs = complete.compactMap(json).filter { $0["type"] as? String == "epoch" }
    #expect(saved.epoch >= 1 && saved.epoch <= epochs.count)
    let savedEpoch = try #require(epochs.first { $0["epoch"] as? Int == saved.epoch })
    #expect(savedEpoch["step"] as? Int == saved.step)
    #expect(saved.optimizer.kind == .adam && saved.optimizer.steps == saved.step)

    // Resume, appending to the same log.
    let resumed = try NNTopProcess.run(["--headless", "--data", "digits", "--load", "m.safetensors", "--epochs", "2", "--log", "run.jsonl"], in: dir.path)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("epoch \(saved.epoch + 1)/\(saved.epoch + 2)"))
    let after = lines(dir.file("run.jsonl")).filter { !$0.isEmpty }
    let resumeEvent = try #require(after.compactMap(json).first { $0["event"] as? String == "resume-run" })
    #expect(resumeEvent["step"] as? Int == saved.step)
    let newEpochs = after.compactMap(json).drop { $0["event"] as? String != "resume-run" }.filter { $0["type"] as? String == "epoch" }
    #expect(newEpochs.map { $0["epoch"] as? Int } == [saved.epoch + 1, saved.epoch + 2])
    let stepsPerEpoch = try #require(savedEpoch["step"] as? Int) / saved.epoch
    #expect(newEpochs.first?["step"] as? Int == saved.step + stepsPerEpoch)
    // It continues from the trained model: the first resumed epoch's loss is
    // near the saved epoch's, far below the first epoch's.
    let firstLoss = try #require(epochs.first?["loss"] as? Double)
    let savedLoss = try #require(savedEpoch["loss"] as? Double)
    let resumedLoss = try #require(newEpochs.first?["loss"] as? Double)
    #expect(resumedLoss < 1.5 * savedLoss && resumedLoss < 0.5 * firstLoss, "\(firstLoss) \(savedLoss) \(resumedLoss)")
    // The whole log reads back as one run: the killed run's lines past the
    // checkpoint are superseded, steps only go forward, and it ends with a summary.
    let recording = try RunRecording(path: dir.file("run.jsonl"))
    #expect(recording.complete)
    let steps = recording.events.compactMap(\.step)
    #expect(steps == steps.sorted())
    // Replayed to the end, the status line shows the resumed run's goal.
    var player = ReplayPlayer(recording: recording)
    player.seek(to: .infinity)
    #expect(player.view.info.epochs == saved.epoch + 2 && player.view.epoch == saved.epoch + 2)
  }

  @Test(arguments: ["sgd", "momentum", "adam"])
  func aResumedRunIsTheUninterruptedRun(optimizer: String) throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    func epochs(_ log: String) -> [[String: Double]] {
      lines(dir.file(log)).compactMap(json).filter { $0["type"] as? String == "epoch" }.map { record in
        record.compactMapValues { $0 as? Double }.filter { ["loss", "val_loss", "acc", "val_acc", "lr"].contains($0.key) }
      }
    }
    // Settings the resumed run is not given again: the checkpoint carries them.
    let common = ["--headless", "--data", "digits", "--layers", "32", "--optimizer", optimizer, "--seed", "7", "--val-split", "0.3", "--l2", "0.001"]
    let whole = try NNTopProcess.run(common + ["--epochs", "4", "--log", "whole.jsonl"], in: dir.path)
    let first = try NNTopProcess.run(common + ["--epochs", "2", "--save", "m.safetensors"], in: dir.path)
    let rest = try NNTopProcess.run(["--headless", "--data", "digits", "--load", "m.safetensors", "--epochs", "2", "--log", "rest.jsonl"], in: dir.path)
    #expect(whole.status == 0 && first.status == 0 && rest.status == 0, "\(rest.stderr)")
    #expect(rest.stdout.contains("seed 7") && rest.stdout.contains("1,258 train / 539 validation"), "\(rest.stdout)")
    // Weights, optimiser state, seed, split, L2 and the order of the batches
    // carry over: the resumed epochs are the uninterrupted run's, to the last
    // digit logged.
    let uninterrupted = epochs("whole.jsonl"), resumed = epochs("rest.jsonl")
    #expect(uninterrupted.count == 4 && resumed.count == 2)
    #expect(resumed == Array(uninterrupted.suffix(2)), "\(resumed) vs \(uninterrupted.suffix(2))")
  }

  @Test func aCheckpointIsNeverTorn() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // Tiny epochs: a checkpoint every few milliseconds, killed at random
    // moments once this round's process is saving (a loaded machine can take
    // a while to start it).
    var rng = SystemRandomNumberGenerator()
    let path = dir.file("m.safetensors")
    for round in 0..<8 {
      unlink(path)
      let process = try start(
        ["--headless", "--data", "xor", "--layers", "32,32", "--epochs", "1000000", "--checkpoint-every", "1", "--save", "m.safetensors"], in: dir)
      let deadline = Date().addingTimeInterval(60)
      while Date() < deadline && !FileManager.default.fileExists(atPath: path) { usleep(5_000) }
      usleep(UInt32.random(in: 0...250_000, using: &rng))
      kill9(process)
      let saved = try Checkpoint.read(from: path)
      #expect(saved.network.layers.count == 3, "round \(round)")
    }
    // A kill between writing and renaming leaves at most a hidden temporary file, never a torn checkpoint.
    let visible = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix(".") }
    #expect(visible == ["m.safetensors"])
  }

  @Test func aFinalSaveThatFailsIsAnErrorNotASuccess() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: NNTopProcess.executable)
    process.arguments = ["--headless", "--data", "xor", "--epochs", "100000000", "--save", "out/m.safetensors", "--log", "run.jsonl"]
    process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline && !lines(dir.file("run.jsonl")).contains(where: { $0.contains(#""type":"epoch""#) }) { usleep(20_000) }
    // The folder goes away while training: the save at the end cannot happen.
    try FileManager.default.removeItem(atPath: dir.file("out"))
    kill(process.processIdentifier, SIGINT)
    let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 73)
    #expect(err.hasPrefix("nntop: the final checkpoint was not saved: out/m.safetensors: cannot save there") && err.split(separator: "\n").count == 1, "\(err)")
    #expect(!out.contains("saved out/m.safetensors"))
    let save = try #require(lines(dir.file("run.jsonl")).compactMap(json).last { $0["event"] as? String == "save" })
    #expect(save["ok"] as? Bool == false)
  }

  @Test func quitSignalsAndDivergenceAllEndTheLogWithASummary() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    for (signal, ending) in [(SIGINT, "interrupted"), (SIGTERM, "terminated"), (SIGHUP, "hangup")] {
      let process = try start(["--headless", "--data", "moons", "--epochs", "100000000", "--log", "\(ending).jsonl"], in: dir)
      let deadline = Date().addingTimeInterval(60)
      while Date() < deadline && !lines(dir.file("\(ending).jsonl")).contains(where: { $0.contains(#""type":"epoch""#) }) { usleep(20_000) }
      kill(process.processIdentifier, signal)
      process.waitUntilExit()
      #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal, "exit status \(process.terminationStatus)")
      let last = try #require(lines(dir.file("\(ending).jsonl")).last { !$0.isEmpty }.flatMap(json))
      #expect(last["type"] as? String == "summary" && last["ending"] as? String == ending, "\(last)")
    }
    // A reader that goes away (`| head`) ends the run cleanly too.
    let pipe = Process()
    pipe.executableURL = URL(fileURLWithPath: "/bin/bash")
    pipe.arguments = ["-c", "'\(NNTopProcess.executable)' --headless --data moons --epochs 100000000 --log closed.jsonl | head -3 > /dev/null; echo ${PIPESTATUS[0]} > status.txt"]
    pipe.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    try pipe.run()
    pipe.waitUntilExit()
    let closed = try #require(lines(dir.file("closed.jsonl")).last { !$0.isEmpty }.flatMap(json))
    #expect(closed["type"] as? String == "summary" && closed["ending"] as? String == "output-closed")
    // 128 + SIGPIPE, the status a tool without a handler would have.
    #expect(try String(contentsOfFile: dir.file("status.txt"), encoding: .utf8) == "141\n")
    // η = 10 on a regression: the loss overflows within a few steps.
    let diverged = try NNTopProcess.run(["--headless", "--data", "sine", "--lr", "10", "--epochs", "30", "--log", "nan.jsonl", "--save", "nan.safetensors"], in: dir.path)
    #expect(diverged.status == 1)
    #expect(!diverged.stdout.contains("nan "), "C's NaN spelling in the epoch lines: \(diverged.stdout)")
    let last = try #require(lines(dir.file("nan.jsonl")).last { !$0.isEmpty }.flatMap(json))
    #expect(last["type"] as? String == "summary" && last["ending"] as? String == "diverged")
    // What it saved is the last finite model, not NaNs.
    let saved = try Checkpoint.read(from: dir.file("nan.safetensors"))
    #expect(saved.network.layers.allSatisfy { $0.weights.storage.allSatisfy(\.isFinite) && $0.bias.allSatisfy(\.isFinite) })
  }
}
