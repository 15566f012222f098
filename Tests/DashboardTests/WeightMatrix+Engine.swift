import NeuralNet
import RunEvents

/// Test pictures: weights drawn by the engine's initialisers, or written out.
extension WeightMatrix {
  init(_ m: Matrix) { self.init(rows: m.rows, cols: m.cols, storage: m.storage) }
  init(_ rows: [[Float]]) { self.init(Matrix(rows)) }
}
