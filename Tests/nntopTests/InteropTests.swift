import Foundation
import NeuralNet
import Testing
import TestSupport
import RunEvents
import Training

/// nntop's files read by other people's code: checkpoints by the Python
/// `safetensors` package and NumPy, event files by TensorBoard's reader.
@Suite(.serialized, .enabled(if: PythonTools.shouldRun, "needs Python with numpy, safetensors and tensorboard (.ci/run installs them)"))
struct InteropTests {
  /// A CSV of `rows` examples: five features, and a class (three names) or a value.
  static func csv(rows: Int, regression: Bool) -> String {
    var rng = SeededGenerator(seed: 11)
    var lines = ["f1,f2,f3,f4,f5,target"]
    for _ in 0..<rows {
      let x = (0..<5).map { _ in Float.random(in: -3...3, using: &rng) }
      let target: String
      if regression {
        target = String(format: "%.5g", 10 + 4 * sin(x[0]) + x[1] * x[2])
      } else {
        let score = x[0] + 0.5 * x[1] - x[3]
        target = score < -1 ? "cat" : score < 1 ? "dog" : "eel"
      }
      lines.append(x.map { String(format: "%.4f", $0) }.joined(separator: ",") + "," + target)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  @Test(arguments: [false, true])
  func numpyWithTheSavedWeightsReproducesPredict(regression: Bool) throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let data = dir.write("data.csv", Self.csv(rows: 300, regression: regression))
    let model = dir.file("model.safetensors")
    let train = try NNTopProcess.run(
      ["--headless", "--data", data, "--target", "target", "--epochs", "6", "--optimizer", "adam", "--layers", "16,8", "--activation", regression ? "tanh" : "relu", "--save", model])
    #expect(train.status == 0, "\(train.stderr)")
    let predict = try NNTopProcess.run(["predict", "--load", model, "--data", data])
    #expect(predict.status == 0, "\(predict.stderr)")
    let python = try PythonTools.script("checkpoint_forward.py", [model, data])
    #expect(python.status == 0, "\(python.stderr)")
    let ours = predict.stdout.split(separator: "\n"), theirs = python.stdout.split(separator: "\n")
    #expect(ours.count == 300 && theirs.count == 300)
    if regression {
      // fp32 in both, different summation order: a few units in the last place.
      for (a, b) in zip(ours, theirs) {
        let x = try #require(Double(a)), y = try #require(Double(b))
        #expect(isApproximatelyEqual(x, y, absolute: 1e-4, relative: 1e-4), "\(a) vs \(b)")
      }
    } else {
      #expect(Set(ours).count == 3)
      #expect(ours == theirs)
    }
  }

  @Test func tensorboardReadsTheEventFiles() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let run = try NNTopProcess.run(
      ["--headless", "--data", "moons", "--epochs", "4", "--layers", "8,8", "--tensorboard", dir.file("tb"), "--log", dir.file("run.jsonl")])
    #expect(run.status == 0, "\(run.stderr)")
    let events = try FileManager.default.contentsOfDirectory(atPath: dir.file("tb"))
    #expect(events.count == 1 && events[0].hasPrefix("events.out.tfevents."))
    let read = try PythonTools.script("read_tensorboard.py", [dir.file("tb")])
    #expect(read.status == 0, "\(read.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: [String: [[Double]]]])
    let scalars = try #require(json["scalars"]), histograms = try #require(json["histograms"])
    var expected: Set = ["loss/train", "accuracy/train", "learning_rate", "loss/validation", "accuracy/validation"]
    for l in 1...3 { expected.formUnion(["grad_norm/W\(l)", "update_ratio/W\(l)"]) }
    #expect(Set(scalars.keys) == expected)
    #expect(Set(histograms.keys) == Set((1...3).flatMap { ["weights/W\($0)", "gradients/W\($0)"] }))

    // The same numbers as the run log: validation per epoch, training loss per sample.
    let log = try RunRecording(path: dir.file("run.jsonl"))
    let epochs = log.events.compactMap { if case .epoch(let e) = $0 { e } else { nil } }
    let samples = log.events.compactMap { if case .sample(let s) = $0 { s } else { nil } }
    let validation = try #require(scalars["loss/validation"])
    #expect(validation.map { Int($0[0]) } == epochs.map(\.step))
    for (point, epoch) in zip(validation, epochs) {
      #expect(isApproximatelyEqual(point[1], epoch.validationLoss ?? .nan, relative: 1e-4))
    }
    let accuracy = try #require(scalars["accuracy/validation"])
    for (point, epoch) in zip(accuracy, epochs) { #expect(isApproximatelyEqual(point[1], epoch.validationMetric ?? .nan, relative: 1e-4)) }
    let loss = try #require(scalars["loss/train"])
    #expect(loss.map { Int($0[0]) } == samples.map(\.step))
    for (point, sample) in zip(loss, samples) { #expect(isApproximatelyEqual(point[1], Double(sample.loss.mean), relative: 1e-4)) }
    #expect(scalars["learning_rate"]?.allSatisfy { isApproximatelyEqual($0[1], 0.1, relative: 1e-6) } == true)
    let gradients = try #require(scalars["grad_norm/W2"])
    for (point, sample) in zip(gradients, samples) { #expect(isApproximatelyEqual(point[1], sample.layers[1].gradientNorm, relative: 1e-4)) }
    // Histograms: every weight counted once, buckets summing to the count.
    let shapes = [(8, 2), (8, 8), (1, 8)]
    for (l, shape) in shapes.enumerated() {
      let w = try #require(histograms["weights/W\(l + 1)"])
      #expect(w.count >= 2)
      for h in w {
        #expect(Int(h[3]) == shape.0 * shape.1 && h[4] == h[3] && h[1] <= h[2])
      }
      #expect(w.first?[0] == 0)
      #expect(try #require(histograms["gradients/W\(l + 1)"]).allSatisfy { Int($0[3]) == shape.0 * shape.1 && $0[0] > 0 })
    }
  }

  @Test func tensorboardDropsWhatAResumedRunRedoes() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let common = ["--headless", "--data", "moons", "--layers", "8"]
    // The same seeded run twice: one saved at epoch 2, one that went on to
    // epoch 4 with TensorBoard (as if killed after a checkpoint at epoch 2).
    #expect(try NNTopProcess.run(common + ["--epochs", "2", "--save", dir.file("m.safetensors")]).status == 0)
    #expect(try NNTopProcess.run(common + ["--epochs", "4", "--tensorboard", dir.file("tb")]).status == 0)
    sleep(1)  // event files are ordered by the second in their names
    let resumed = try NNTopProcess.run(["--headless", "--data", "moons", "--load", dir.file("m.safetensors"), "--epochs", "1", "--tensorboard", dir.file("tb"), "--log", dir.file("r.jsonl")])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let read = try PythonTools.script("read_tensorboard.py", [dir.file("tb")])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: [String: [[Double]]]])
    // Validation: epochs 1 and 2 of the first run, then the resumed epoch 3 —
    // not the first run's epochs 3 and 4 as well.
    let validation = try #require(json["scalars"]?["loss/validation"]).map { Int($0[0]) }
    let log = try RunRecording(path: dir.file("r.jsonl"))
    let resumedEpochs = log.events.compactMap { if case .epoch(let e) = $0 { e.step } else { nil } }
    #expect(validation.count == 3 && validation.last == resumedEpochs.last, "\(validation) vs \(resumedEpochs)")
    let steps = try #require(json["scalars"]?["loss/train"]).map { Int($0[0]) }
    #expect(steps == steps.sorted() && Set(steps).count == steps.count, "steps repeat: \(steps)")
  }
}
