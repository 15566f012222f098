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

  /// `--preset overfit` is flagged everywhere the issue names: the epoch
  /// lines (log and stdout), one `overfitting` event when it starts, the
  /// summary, and `nntop plot`'s SVG with its best epoch marked.
  @Test func overfitIsFlaggedInTheLogTheLinesTheSummaryAndThePlot() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let r = try NNTopProcess.run(["--headless", "--preset", "overfit", "--log", dir.file("run.jsonl")])
    #expect(r.status == 0, "\(r.stderr)")
    let objects = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }
    let epochs = objects.filter { $0["type"] as? String == "epoch" }
    #expect(epochs.count == 100, "the preset's 100 headless epochs")
    let flagged = epochs.filter { $0["overfitting"] is [String: Any] }
    let first = try #require(flagged.first)
    let verdict = try #require(first["overfitting"] as? [String: Any])
    let since = try #require(verdict["since"] as? Int), best = try #require(verdict["best_epoch"] as? Int)
    // Flagged on the tenth risen epoch, with the numbers it was judged on.
    #expect(first["epoch"] as? Int == since + 9 && best < since)
    let bestLoss = try #require(epochs.first { $0["epoch"] as? Int == best }?["val_loss"] as? Double)
    #expect(verdict["best_val_loss"] as? Double == bestLoss && epochs.compactMap { $0["val_loss"] as? Double }.min() == bestLoss)
    for e in epochs where (e["epoch"] as? Int ?? 0) >= since && (e["epoch"] as? Int ?? 0) <= since + 9 {
      #expect((e["val_loss"] as? Double ?? 0) >= 1.2 * bestLoss, "epoch \(e["epoch"] ?? "?") not 20 % above the best")
    }
    let events = objects.filter { $0["event"] as? String == "overfitting" }
    #expect(events.count == 1 && events.first?["since"] as? Int == since && events.first?["step"] as? Int == first["step"] as? Int)
    let summary = try #require(objects.last)
    #expect(summary["type"] as? String == "summary" && (summary["overfitting"] as? [String: Any])?["best_epoch"] as? Int == best)
    #expect(r.stdout.contains("⚠ OVERFITTING: val_loss ") && r.stdout.contains("· OVERFITTING since epoch \(since): validation loss"))
    let plot = try NNTopProcess.run(["plot", dir.file("run.jsonl"), "--out", dir.file("run.svg")])
    #expect(plot.status == 0, "\(plot.stderr)")
    let svg = try String(contentsOfFile: dir.file("run.svg"), encoding: .utf8)
    #expect(svg.contains("class=\"best\"") && svg.contains("best val_loss (epoch \(best))") && svg.contains("OVERFITTING since epoch \(since)"))
  }

  /// digits over 30 epochs: its validation loss moves from a best of about
  /// 0.127 to 0.136 (7 %), which is not overfitting.
  @Test func aHealthyRunIsNotOverfitting() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let r = try NNTopProcess.run(["--headless", "--epochs", "30", "--log", dir.file("run.jsonl")])
    #expect(r.status == 0, "\(r.stderr)")
    let log = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8)
    let losses = log.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
      .filter { $0["type"] as? String == "epoch" }.compactMap { $0["val_loss"] as? Double }
    let best = try #require(losses.min())
    #expect(losses.count == 30 && losses.last! > best && losses.last! < 1.2 * best, "the case the rule must let pass: \(losses)")
    #expect(!log.contains("\"overfitting\":{") && !log.contains("\"event\":\"overfitting\"") && !r.stdout.contains("OVERFITTING"))
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
