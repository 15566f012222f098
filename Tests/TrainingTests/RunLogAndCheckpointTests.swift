import Interop
import Datasets
import Foundation
import NeuralNet
import Testing
import TestSupport
@testable import Training
import Diagnosis
import RunEvents

struct JSONTests {
  @Test func roundTripsAndKeepsKeyOrder() throws {
    let value = JSON.object([
      ("z", .number(1)), ("a", .array([.string("x\"y\n\u{1}é"), .null, .bool(true), .number(-2.5e-7)])), ("m", .object([])),
    ])
    let text = value.serialized
    #expect(text == #"{"z":1,"a":["x\"y\n\u0001é",null,true,-2.5e-07],"m":{}}"#)
    #expect(try JSON(parsing: text) == value)
    #expect(JSON.finite(Double.nan) == .null && JSON.finite(Float.infinity) == .null)
  }

  @Test func compactFloatsKeepFourSignificantDigitsAndPrintShort() throws {
    var rng = SeededGenerator(seed: 5)
    var differing = 0
    for i in 0..<20_000 {
      let magnitude = Float.random(in: -12...12, using: &rng)
      let v = (i % 2 == 0 ? 1 : -1) * Foundation.pow(10, magnitude) * Float.random(in: 1...9.99, using: &rng)
      let reference = try #require(Double(String(format: "%.4g", Double(v))))  // C's decimal rounding
      let text = JSON.compact(v).serialized
      let value = try #require(Double(text))
      #expect(text.count <= 12 || text.contains("e") || Swift.abs(value) >= 1e9, "\(v) → \(text)")
      if value != reference {
        // Only at a rounding tie can binary and decimal rounding disagree: by one unit in the 4th digit.
        differing += 1
        #expect(isApproximatelyEqual(value, reference, relative: 1.01e-3), "\(v) → \(text), C gives \(reference)")
      }
    }
    #expect(differing < 100)
    #expect(JSON.compact(0).serialized == "0" && JSON.compact(.nan) == .null && JSON.compact(12345.6).serialized == "12350")
    #expect(JSON.compact(0.000123456).serialized == "0.0001235")
  }

  @Test func rejectsMalformedText() {
    for bad in ["{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", "{\"a\":1,}"] {
      #expect(throws: JSONError.self, "\(bad)") { try JSON(parsing: bad) }
    }
  }
}

struct CheckpointTests {
  func sample() throws -> Checkpoint {
    var rng = SeededGenerator(seed: 8)
    let net = try Network(sizes: [3, 5, 2], hidden: .tanh, output: .softmax, loss: .crossEntropy, using: &rng)
    var optimizer = Optimizer(kind: .adam, learningRate: 0.01)
    let ws = Workspace(network: net, capacity: 1)
    var mutable = net
    var x: [Float] = [1, 2, 3]
    var y: [Float] = [0, 1]
    mutable.forward(&x, batch: 1, workspace: ws)
    mutable.backward(input: &x, targets: &y, batch: 1, workspace: ws)
    optimizer.step(&mutable, gradients: ws)
    return Checkpoint(
      network: mutable, standardizer: Standardizer(mean: [1, 2, 3], scale: [0.5, 1, 2]),
      encoding: .oneHot(classes: ["cat", "dog"]), featureNames: ["a", "b", "c"], imageShape: nil, optimizer: optimizer,
      step: 17, epoch: 2, dataName: "pets.csv", seed: 99, batchSize: 8)
  }

  @Test func roundTripsEverything() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let original = try sample()
    let path = dir.file("model.safetensors")
    try original.write(to: path)
    let loaded = try Checkpoint.read(from: path)
    #expect(loaded.network == original.network)
    #expect(loaded.standardizer == original.standardizer && loaded.encoding == original.encoding)
    #expect(loaded.featureNames == ["a", "b", "c"] && loaded.step == 17 && loaded.epoch == 2 && loaded.seed == 99)
    #expect(loaded.optimizer.kind == .adam && loaded.optimizer.steps == 1 && loaded.optimizer.learningRate == 0.01)
    #expect(loaded.optimizer.firstMoments == original.optimizer.firstMoments)
    #expect(loaded.optimizer.secondMoments == original.optimizer.secondMoments)
    // Written atomically: no temporary file is left beside it.
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["model.safetensors"])
  }

  @Test func fileFollowsTheSafetensorsLayout() throws {
    let bytes = try sample().safetensors.encoded()
    let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.1) << (8 * $1.0) }
    #expect(headerLength % 8 == 0)
    let header = try JSON(parsing: Array(bytes[8..<(8 + headerLength)]))
    let w = header["layers.0.weight"]
    #expect(w?["dtype"]?.stringValue == "F32")
    #expect(w?["shape"]?.arrayValue?.compactMap(\.intValue) == [5, 3])
    // Offsets are contiguous and cover the data exactly.
    let entries = header.objectValue!.filter { $0.0 != "__metadata__" }
    let ranges = entries.map { $0.1["data_offsets"]!.arrayValue!.compactMap(\.intValue) }.sorted { $0[0] < $1[0] }
    #expect(ranges.first?[0] == 0)
    for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a[1] == b[0]) }
    #expect(ranges.last?[1] == bytes.count - 8 - headerLength)
    #expect(header["__metadata__"]?["format"]?.stringValue == Checkpoint.format)
  }

  /// A safetensors file's first bytes: the header's length, then the header.
  static func header(_ json: String) -> [UInt8] {
    let bytes = Array(json.utf8)
    return (0..<8).map { UInt8(truncatingIfNeeded: bytes.count >> (8 * $0)) } + bytes
  }

  @Test func corruptFilesAreRejectedWithTheirName() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let good = try sample().safetensors.encoded()
    let cases: [(String, [UInt8], String)] = [
      ("short", [1, 2, 3], "too short for a header"),
      ("huge-header", [255, 255, 255, 255, 0, 0, 0, 0] + Array(repeating: 32, count: 16), "does not fit"),
      ("not-json", [8, 0, 0, 0, 0, 0, 0, 0] + Array("not json".utf8), "header is not JSON"),
      ("truncated", Array(good.dropLast(4)), "has a bad shape or data_offsets"),
      // 2^40 × 2^40 elements: the product overflows Int.
      ("huge-shape", Self.header(#"{"w":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,4]}}"#) + [0, 0, 0, 0], "is larger than the file"),
    ]
    for (name, bytes, message) in cases {
      let path = dir.write(name, bytes: bytes)
      #expect(throws: CheckpointError.self) { _ = try Checkpoint.read(from: path) }
      do { _ = try Checkpoint.read(from: path) } catch {
        #expect(error.description.hasPrefix(path) && error.description.contains(message), "\(error)")
      }
    }
    var foreign = Safetensors()
    foreign.tensors["weight"] = .init(shape: [1], values: [1])
    try foreign.write(to: dir.file("foreign"))
    #expect { _ = try Checkpoint.read(from: dir.file("foreign")) } throws: {
      "\($0)".contains("not an nntop checkpoint")
    }
  }
}

struct RunLogTests {
  @Test func linesAreCompleteJSONWithTheDesignedFields() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let log = try RunLog(path: dir.file("run.jsonl"))
    let stats = LayerStatistics(inputs: 4, outputs: 3, gradientNorm: 0.5, weightNorm: 2, updateRatio: 1e-3)
    let record = EpochRecord(
      epoch: 1, step: 10, time: 0.25, learningRate: 0.1, loss: 0.7, validationLoss: .nan, accuracy: 0.8,
      validationAccuracy: nil, rmse: nil, validationRMSE: nil, samplesPerSecond: 1234.4, layers: [stats],
      health: [LayerHealth(status: .ok)])
    log.write(.epoch(record))
    log.write(.event(EventRecord(step: 10, .learningRate(from: 0.1, to: 0.2))))
    log.close()
    let lines = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 2)
    let epoch = try JSON(parsing: String(lines[0]))
    for key in ["type", "epoch", "step", "time", "lr", "loss", "val_loss", "acc", "val_acc", "samples_per_s", "layers"] {
      #expect(epoch[key] != nil, "missing \(key)")
    }
    #expect(epoch["val_loss"] == .null)
    let layer = epoch["layers"]?.arrayValue?.first
    #expect(layer?["name"]?.stringValue == "W1" && layer?["status"]?.stringValue == "ok")
    #expect(layer?["grad_norm"]?.doubleValue == 0.5 && layer?["update_ratio"]?.doubleValue == 1e-3)
    let event = try JSON(parsing: String(lines[1]))
    #expect(event["event"]?.stringValue == "lr" && event["to"]?.doubleValue == 0.2)
  }

}
