import Datasets
import NeuralNet
import Testing
import TestSupport

/// Split, standardisation and target encoding.
struct PreparationTests {
  func blobs(_ n: Int) -> Dataset {
    var features = Matrix(rows: n, cols: 2)
    for i in 0..<n {
      features[i, 0] = Float(i)
      features[i, 1] = 5
    }
    return Dataset(name: "t", featureNames: ["a", "b"], features: features, targets: .classes(labels: (0..<n).map { $0 % 3 }, names: ["x", "y", "z"]))
  }

  @Test func standardiserUsesTrainingStatisticsOnly() throws {
    let data = blobs(100)
    let prepared = try PreparedData(data, validationSplit: 0.25, normalize: true, output: .softmax, seed: 4)
    #expect(prepared.train.count == 75 && prepared.validation?.count == 25)
    // Training columns have mean 0 and std 1 (constant column: scale 1, mean removed).
    let col = (0..<75).map { Double(prepared.train.inputs[$0, 0]) }
    let mean = col.reduce(0, +) / 75
    let std = (col.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 75).squareRoot()
    #expect(abs(mean) < 1e-5 && abs(std - 1) < 1e-5)
    #expect(prepared.standardizer.scale[1] == 1 && prepared.train.inputs[0, 1] == 0)
    // Validation uses the same statistics, so its mean is not forced to 0.
    let trainMean = prepared.standardizer.mean[0]
    let validationRaw = (0..<25).map { prepared.validation!.inputs[$0, 0] * prepared.standardizer.scale[0] + trainMean }
    #expect(validationRaw.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 < 100 })
  }

  @Test func valuesNearTheEdgeOfFloatStandardiseToFiniteNumbers() throws {
    // 3e38 − (−1e38) overflows Float; in Double it does not.
    var features = Matrix(rows: 3, cols: 1)
    for (i, v) in [Float(3e38), 3e38, -3e38].enumerated() { features[i, 0] = v }
    let data = Dataset(name: "t", featureNames: ["a"], features: features, targets: .values(features, names: ["y"]))
    let prepared = try PreparedData(data, validationSplit: 0, normalize: true, output: .linear, seed: 1)
    let inputs = (0..<3).map { prepared.train.inputs[$0, 0] }
    let targets = (0..<3).map { prepared.train.targets[$0, 0] }
    #expect(inputs.allSatisfy(\.isFinite) && targets.allSatisfy(\.isFinite), "\(inputs) \(targets)")
    // Standardised: mean 0, population std 1 (values ±√2/2 and −√2).
    #expect(abs(inputs.reduce(0, +)) < 1e-5 && abs(inputs.map { $0 * $0 }.reduce(0, +) / 3 - 1) < 1e-5)
  }

  @Test func splitIsSeededAndDisjoint() throws {
    let data = blobs(50)
    let a = try PreparedData(data, validationSplit: 0.2, normalize: false, output: .softmax, seed: 1)
    let b = try PreparedData(data, validationSplit: 0.2, normalize: false, output: .softmax, seed: 1)
    let c = try PreparedData(data, validationSplit: 0.2, normalize: false, output: .softmax, seed: 2)
    #expect(a.validation!.inputs == b.validation!.inputs)
    #expect(a.validation!.inputs != c.validation!.inputs)
    let seen = Set((0..<40).map { a.train.inputs[$0, 0] } + (0..<10).map { a.validation!.inputs[$0, 0] })
    #expect(seen.count == 50)
  }

  @Test func encodingsMatchTheOutput() throws {
    let three = try TargetEncoding.make(for: .classes(labels: [0, 2], names: ["a", "b", "c"]), output: .softmax, normalize: true)
    #expect(three.encode(.classes(labels: [0, 2], names: ["a", "b", "c"])) == Matrix([[1, 0, 0], [0, 0, 1]]))
    let two = try TargetEncoding.make(for: .classes(labels: [1, 0], names: ["no", "yes"]), output: .sigmoid, normalize: true)
    #expect(two.outputWidth == 1 && two.encode(.classes(labels: [1, 0], names: ["no", "yes"])) == Matrix([[1], [0]]))
    let values = Matrix([[10], [20], [30]])
    let regression = try TargetEncoding.make(for: .values(values, names: ["y"]), output: .linear, normalize: true)
    let encoded = regression.encode(.values(values, names: ["y"]))
    #expect(abs(encoded[0, 0] + 1.2247) < 1e-3 && encoded[1, 0] == 0)
    #expect(abs(regression.decodedValue(encoded[2, 0], index: 0) - 30) < 1e-4)
    #expect(throws: DataError.self) { try TargetEncoding.make(for: .values(values, names: ["y"]), output: .softmax, normalize: true) }
  }

  @Test func tooFewExamplesForTheSplitIsAnError() {
    let data = Dataset(name: "one", featureNames: ["a"], features: Matrix([[1]]), targets: .classes(labels: [0], names: ["a", "b"]))
    #expect { _ = try PreparedData(data, validationSplit: 0.5, normalize: true, output: .sigmoid, seed: 1) } throws: {
      ($0 as? DataError)?.description == "one has 1 example: too few to hold out --val-split 0.5"
    }
  }
}
