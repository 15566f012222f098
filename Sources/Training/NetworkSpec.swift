import NeuralNet

/// What a network is made of, so it can be built and re-initialised.
public struct NetworkSpec: Sendable, Equatable {
  /// Widths `[in, h₁, …, out]`.
  public var sizes: [Int]
  public var hidden: Activation
  public var output: Activation
  public var loss: Loss
  public var initializer: Initializer
  /// Multiplies every initial weight (1 = the scheme's own scale).
  public var gain: Float

  public init(sizes: [Int], hidden: Activation, output: Activation, loss: Loss, initializer: Initializer = .auto, gain: Float = 1) {
    self.sizes = sizes
    self.hidden = hidden
    self.output = output
    self.loss = loss
    self.initializer = initializer
    self.gain = gain
  }

  /// The spec of an existing network (its initialiser assumed `auto`).
  public init(of network: Network) {
    sizes = [network.inputWidth] + network.layers.map(\.outputs)
    hidden = network.layers.count > 1 ? network.layers[0].activation : .linear
    output = network.outputActivation
    loss = network.loss
    initializer = .auto
    gain = 1
  }

  public func make(using rng: inout SeededGenerator) throws(ArchitectureError) -> Network {
    try Network(sizes: sizes, hidden: hidden, output: output, loss: loss, initializer: initializer, gain: gain, using: &rng)
  }
}
