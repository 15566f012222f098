import Foundation
import Testing
import TestSupport

/// `nntop` run as a user runs it: the real binary, its output and exit code.
@Suite(.serialized)
struct CommandLineTests {
  @Test func headlessPrintsALinePerEpochAndASummary() throws {
    let r = try NNTopProcess.run(["--headless", "--data", "moons", "--epochs", "3"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("epoch ") }.count == 3)
    #expect(lines.contains { $0.hasPrefix("epoch 3/3") && $0.contains("val_acc") && $0.contains("samples/s") && $0.contains("η 0.1") })
    #expect(lines.last?.hasPrefix("done: 3 epochs") == true)
  }

  @Test func digitsReachNinetyFivePercentValidationAccuracy() throws {
    let r = try NNTopProcess.run(["--headless", "--data", "digits", "--epochs", "30"])
    #expect(r.status == 0)
    let last = r.stdout.split(separator: "\n").last { $0.hasPrefix("epoch 30/30") }.map(String.init) ?? ""
    let valAcc = last.components(separatedBy: "val_acc").last?.split(separator: "%").first.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    #expect((valAcc ?? 0) >= 95, "\(last)")
  }

  @Test func notATerminalMeansHeadless() throws {
    // stdout is a pipe here: no curses, plain lines, exit 0.
    let r = try NNTopProcess.run(["--data", "xor", "--epochs", "2"])
    #expect(r.status == 0 && r.stdout.contains("epoch 2/2") && !r.stdout.contains("\u{1B}["))
  }

  @Test func runLogHasHeaderEpochsAndSummary() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let r = try NNTopProcess.run(["--headless", "--data", "circles", "--epochs", "4", "--log", dir.file("run.jsonl")])
    #expect(r.status == 0)
    let lines = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
    let types = lines.compactMap { line -> String? in
      guard let data = line.data(using: .utf8), let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
      return obj["type"] as? String
    }
    #expect(types.filter { ["run", "epoch", "summary"].contains($0) } == ["run", "epoch", "epoch", "epoch", "epoch", "summary"])
    #expect(types.first == "run" && types.last == "summary")
    // Samples of the curves and weights for replay, between them.
    #expect(types.filter { $0 == "sample" }.count >= 4 && types.filter { $0 == "weights" }.count >= 2)
    #expect(Set(types) == ["run", "epoch", "sample", "weights", "summary"])
    let epoch = try JSONSerialization.jsonObject(with: Data(lines[types.firstIndex(of: "epoch")!].utf8)) as! [String: Any]
    let layers = epoch["layers"] as! [[String: Any]]
    #expect(layers.count == 3)
    for key in ["name", "grad_norm", "weight_norm", "update_ratio", "status"] { #expect(layers[0][key] != nil, "\(key)") }
  }

  @Test func plotAndReplayReadARunLog() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    #expect(try NNTopProcess.run(["--headless", "--data", "moons", "--epochs", "3", "--log", "run.jsonl"], in: dir.path).status == 0)
    let plot = try NNTopProcess.run(["plot", "run.jsonl", "--out", "run.svg", "--gradients"], in: dir.path)
    #expect(plot.status == 0 && plot.stdout == "wrote run.svg\n")
    let svg = try String(contentsOfFile: dir.file("run.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<svg ") && svg.contains("data-series=\"loss-train\"") && svg.contains("data-series=\"grad-W3\""))
    // Without a terminal, replay says what the log holds.
    let replay = try NNTopProcess.run(["replay", "run.jsonl"], in: dir.path)
    #expect(replay.status == 0)
    #expect(replay.stdout.hasPrefix("moons · 2-16-16-1") && replay.stdout.contains(" 3 epochs, 0 events"), "\(replay.stdout)")
  }

  @Test func exampleShowsExactValuesBesideTheReference() throws {
    let r = try NNTopProcess.run(["example"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("1.245499") && r.stdout.contains("reference prints 1.244"))
    #expect(r.stdout.contains("[-0.135401, -0.179977]") && r.stdout.contains("reference prints [-0.136, -0.180]"))
    #expect(r.stdout.contains("Update (η = 0.5)"))
    let slow = try NNTopProcess.run(["example", "--lr", "0.1"])
    #expect(slow.stdout.contains("Update (η = 0.1)"))
  }

  @Test func savedModelPredictsAndRefusesOtherWidths() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    var csv = "x1,x2,label\n"
    for i in 0..<80 {
      let a = Double(i % 9) - 4, b = Double(i % 7) - 3
      csv += "\(a),\(b),\(a + b > 0 ? "pos" : "neg")\n"
    }
    let data = dir.write("train.csv", csv)
    let model = dir.file("m.safetensors")
    let train = try NNTopProcess.run(["--headless", "--data", data, "--epochs", "40", "--layers", "8", "--save", model])
    #expect(train.status == 0 && train.stdout.contains("saved \(model)"), "\(train.stderr)")
    let predict = try NNTopProcess.run(["predict", "--load", model, "--data", data])
    #expect(predict.status == 0, "\(predict.stderr)")
    let predictions = predict.stdout.split(separator: "\n")
    #expect(predictions.count == 80 && predictions.allSatisfy { $0 == "pos" || $0 == "neg" })
    #expect(predict.stderr.hasPrefix("accuracy ") && predict.stderr.contains("/80)"))
    // Features only: predictions, no score.
    let unlabeled = dir.write("new.csv", "x1,x2\n3,3\n-4,-3\n")
    let p2 = try NNTopProcess.run(["predict", "--load", model, "--data", unlabeled])
    #expect(p2.stdout == "pos\nneg\n" && p2.stderr.isEmpty)
    // Another width: one line naming both widths.
    let wide = dir.write("wide.csv", "a,b,c,d\n1,2,3,4\n5,6,7,8\n")
    let p3 = try NNTopProcess.run(["predict", "--load", model, "--data", wide])
    #expect(p3.status == 65 && p3.stderrLines.count == 1)
    #expect(p3.stderr.contains("has 4 feature columns but \(model) was trained on 2"))
    let t3 = try NNTopProcess.run(["--headless", "--data", wide, "--load", model])
    #expect(t3.status != 0 && t3.stderr.contains("has 3 features but \(model) was trained on 2"))
  }
}
