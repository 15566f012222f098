import Foundation
import Testing
import TestSupport

/// Each preset flags its own problem in the run log within its first
/// epochs; `healthy` flags none.
@Suite(.serialized)
struct PresetTests {
  /// The statuses the log's epoch records give, layer by layer, per epoch.
  func statuses(_ preset: String, epochs: Int) throws -> [[String]] {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let r = try NNTopProcess.run(["--headless", "--preset", preset, "--epochs", String(epochs), "--log", dir.file("run.jsonl")])
    #expect(r.exitedNormally && r.status == 0, "\(preset): \(r.stderr)")
    let lines = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n")
    return lines.compactMap { line -> [String]? in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        object["type"] as? String == "epoch", let layers = object["layers"] as? [[String: Any]]
      else { return nil }
      return layers.compactMap { $0["status"] as? String }
    }
  }

  @Test(arguments: [("vanishing", "vanishing"), ("exploding", "exploding"), ("dead-relu", "dead"), ("saturated", "saturated")])
  func presetFlagsItsProblem(preset: String, status: String) throws {
    let epochs = try statuses(preset, epochs: 3)
    #expect(epochs.count == 3)
    #expect(epochs.contains { $0.contains(status) }, "\(preset) never flagged \(status): \(epochs)")
  }

  @Test func healthyFlagsNothing() throws {
    let epochs = try statuses("healthy", epochs: 10)
    #expect(epochs.count == 10)
    #expect(epochs.allSatisfy { $0.allSatisfy { $0 == "ok" } }, "\(epochs)")
  }

  @Test func headlessLinesShowTheFlaggedLayers() throws {
    let r = try NNTopProcess.run(["--headless", "--preset", "vanishing", "--epochs", "1"])
    #expect(r.stdout.contains("⚠ W1 vanishing"))
  }

  @Test func plateauAndEarlyStopAreEvents() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    // A learning rate so small the validation loss barely moves: the plateau
    // fires, then early stopping ends the run before its 200 epochs.
    let r = try NNTopProcess.run([
      "--headless", "--data", "xor", "--lr", "1e-9", "--epochs", "200", "--reduce-lr-on-plateau", "2", "--lr-factor", "0.5",
      "--early-stop", "4", "--log", dir.file("run.jsonl"),
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("stopped early"))
    let events = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }
    let names = events.compactMap { $0["type"] as? String == "event" ? $0["event"] as? String : nil }
    #expect(names.contains("reduce-lr") && names.last == "early-stop", "\(names)")
    let reduce = events.first { $0["event"] as? String == "reduce-lr" }
    #expect((reduce?["to"] as? Double).map { abs($0 - 5e-10) < 1e-15 } == true)
    #expect(events.last?["ending"] as? String == "early-stopped")
    #expect(events.filter { $0["type"] as? String == "epoch" }.count < 200)
  }
}
