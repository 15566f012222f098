import Datasets
import NeuralNet
import RunEvents

extension RunInfo {
  /// The run's description from its trainer.
  public init(trainer: Trainer, epochs: Int?) {
    let net = trainer.network
    let data = trainer.data
    var points: [PlanePoint] = []
    if net.inputWidth == 2, let labels = data.train.labels {
      let step = max(1, data.train.count / 400)
      for i in Swift.stride(from: 0, to: data.train.count, by: step) {
        points.append(PlanePoint(x: data.train.inputs[i, 0], y: data.train.inputs[i, 1], label: labels[i]))
      }
    }
    let hidden = net.layers.count > 1 ? "\(net.layers[0].activation.rawValue)→" : ""
    self.init(
      dataName: data.name, networkDescription: "\(net.shapeDescription) \(hidden)\(net.outputActivation.rawValue)",
      layerShapes: net.layers.map { LayerShape(inputs: $0.inputs, outputs: $0.outputs) }, activations: net.layers.map(\.activation.rawValue),
      imageShape: data.imageShape,
      classNames: data.encoding.classNames, isClassification: data.encoding.isClassification,
      trainCount: data.train.count, epochs: epochs, points: points)
  }
}

extension WeightsRecord {
  /// The network's weights and biases at `step` (the arrays are shared, not copied).
  public init(step: Int, _ network: Network) {
    self.init(step: step, layers: network.layers.map { Layer(weights: $0.weights.storage, bias: $0.bias) })
  }
}
