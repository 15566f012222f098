import Foundation
import NeuralNet

/// The generated data sets: small 2-D problems to watch a network learn
/// (the ones TensorFlow Playground shows), a 1-D regression, and the
/// reference's worked example. All are seeded.
enum SyntheticData {
  /// Three interleaved spiral arms (as in CS231n), 200 points each.
  static func spirals(_ rng: inout SeededGenerator, perClass: Int = 200, classes: Int = 3) -> Dataset {
    var points: [Float] = [], labels: [Int] = []
    for c in 0..<classes {
      for i in 0..<perClass {
        let r = Double(i) / Double(perClass - 1)
        let t = Double(c) * 4 + 4 * r + 0.2 * Double(rng.normal())
        points += [Float(r * sin(t)), Float(r * cos(t))]
        labels.append(c)
      }
    }
    return plane("spirals", points, labels, classes: classes)
  }

  /// Two interleaving half circles (scikit-learn's make_moons), noise 0.1.
  static func moons(_ rng: inout SeededGenerator, count: Int = 500) -> Dataset {
    var points: [Float] = [], labels: [Int] = []
    for i in 0..<count {
      let upper = i < count / 2
      let t = Double.pi * Double(upper ? i : i - count / 2) / Double(count / 2 - 1)
      let (x, y) = upper ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
      points += [Float(x) + 0.1 * rng.normal(), Float(y) + 0.1 * rng.normal()]
      labels.append(upper ? 0 : 1)
    }
    return plane("moons", points, labels, classes: 2)
  }

  /// A small circle inside a large one (scikit-learn's make_circles), factor 0.5.
  static func circles(_ rng: inout SeededGenerator, count: Int = 500) -> Dataset {
    var points: [Float] = [], labels: [Int] = []
    for i in 0..<count {
      let inner = i % 2 == 1
      let t = 2 * Double.pi * Double(rng.uniform())
      let r = inner ? 0.5 : 1.0
      points += [Float(r * cos(t)) + 0.06 * rng.normal(), Float(r * sin(t)) + 0.06 * rng.normal()]
      labels.append(inner ? 1 : 0)
    }
    return plane("circles", points, labels, classes: 2)
  }

  /// Four clusters at (±1, ±1) labelled by XOR of the signs.
  static func xor(_ rng: inout SeededGenerator, count: Int = 400) -> Dataset {
    var points: [Float] = [], labels: [Int] = []
    for i in 0..<count {
      let sx: Float = i % 2 == 0 ? 1 : -1
      let sy: Float = (i / 2) % 2 == 0 ? 1 : -1
      points += [sx + 0.25 * rng.normal(), sy + 0.25 * rng.normal()]
      labels.append(sx * sy > 0 ? 0 : 1)
    }
    return plane("xor", points, labels, classes: 2)
  }

  /// Three Gaussian blobs 120° apart.
  static func gaussians(_ rng: inout SeededGenerator, count: Int = 450, classes: Int = 3) -> Dataset {
    var points: [Float] = [], labels: [Int] = []
    for i in 0..<count {
      let c = i % classes
      let angle = 2 * Double.pi * Double(c) / Double(classes)
      points += [Float(2 * cos(angle)) + 0.7 * rng.normal(), Float(2 * sin(angle)) + 0.7 * rng.normal()]
      labels.append(c)
    }
    return plane("gaussians", points, labels, classes: classes)
  }

  /// y = sin(x) + noise on x ∈ [−π, π]: regression.
  static func sine(_ rng: inout SeededGenerator, count: Int = 400) -> Dataset {
    var xs: [Float] = [], ys: [Float] = []
    for _ in 0..<count {
      let x = rng.uniform(-Float.pi, Float.pi)
      xs.append(x)
      ys.append(Float(sin(Double(x))) + 0.05 * rng.normal())
    }
    var data = Dataset(
      name: "sine", featureNames: ["x"], features: Matrix(rows: count, cols: 1, storage: xs),
      targets: .values(Matrix(rows: count, cols: 1, storage: ys), names: ["y"]))
    data.suggestions = .builtin("sine")
    return data
  }

  /// The reference's worked example: X = [0.5, 0.2], Y = 1, and its initial
  /// 2-2-1 sigmoid network. Trained as it is: no scaling, no validation split.
  static func seedExample() -> Dataset {
    var data = Dataset(
      name: "seed-example", featureNames: ["x1", "x2"], features: Matrix([[0.5, 0.2]]),
      targets: .classes(labels: [1], names: ["0", "1"]))
    data.suggestions = .builtin("seed-example")
    data.suggestions.network = try! Network(
      layers: [
        DenseLayer(weights: Matrix([[0.1, 0.4], [0.8, 0.6]]), bias: [0.3, 0.9], activation: .sigmoid),
        DenseLayer(weights: Matrix([[0.3, 0.7]]), bias: [0.5], activation: .sigmoid),
      ], loss: .bce)
    return data
  }

  private static func plane(_ name: String, _ points: [Float], _ labels: [Int], classes: Int) -> Dataset {
    var data = Dataset(
      name: name, featureNames: ["x1", "x2"], features: Matrix(rows: labels.count, cols: 2, storage: points),
      targets: .classes(labels: labels, names: (0..<classes).map(String.init)))
    data.suggestions = .builtin(name)
    return data
  }
}
