import NeuralNet
import Testing

/// The engine alone learns XOR, the classic problem no linear model solves.
struct ConvergenceTests {
  @Test(arguments: [OptimizerKind.sgd, .momentum, .adam])
  func learnsXOR(optimizer: OptimizerKind) throws {
    var rng = SeededGenerator(seed: 1)
    var net = try Network(sizes: [2, 8, 1], hidden: .tanh, output: .sigmoid, loss: .bce, using: &rng)
    var x: [Float] = [0, 0, 1, 1, 0, 1, 0, 1]  // (2 features, 4 examples)
    var y: [Float] = [0, 1, 1, 0]
    var opt = Optimizer(kind: optimizer, learningRate: optimizer == .adam ? 0.05 : 0.5)
    let ws = Workspace(network: net, capacity: 4)
    for _ in 0..<2000 {
      net.forward(&x, batch: 4, workspace: ws)
      net.backward(input: &x, targets: &y, batch: 4, workspace: ws)
      opt.step(&net, gradients: ws)
    }
    let out = net.predict(Matrix(rows: 2, cols: 4, storage: x))
    let predicted = out.storage.map { $0 >= 0.5 ? Float(1) : 0 }
    #expect(predicted == y, "outputs \(out.storage)")
    #expect(net.objective(x: Matrix(rows: 2, cols: 4, storage: x), y: Matrix(rows: 1, cols: 4, storage: y)) < 0.1)
  }
}
