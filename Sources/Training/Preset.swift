import RunEvents
import NeuralNet
import Diagnosis

/// A run set up to show one problem on purpose (or none), for learning what
/// each verdict looks like and for testing that it is flagged. Flags given
/// on the command line still win over a preset's settings.
public struct Preset: Sendable, Equatable {
  public var name: String
  /// What the run shows, in one line.
  public var shows: String
  /// How to fix it, in one line.
  public var fix: String
  public var data = "digits"
  public var hiddenLayers: [Int]
  public var activation: Activation
  public var initializer: Initializer = .auto
  public var gain: Float = 1
  public var learningRate: Float
  public var batch = 32
  /// Epochs a headless run trains (nil: the usual 20), for a problem that takes longer to show.
  public var headlessEpochs: Int?

  public static let all: [Preset] = [
    Preset(
      name: "healthy", shows: "ReLU with He init and a sensible η: every layer learns",
      fix: "nothing to fix: compare the others with this one", hiddenLayers: [64, 32], activation: .relu, learningRate: 0.1),
    Preset(
      name: "vanishing",
      shows: "eight sigmoid layers: σ' ≤ 0.25 per layer starves the first layers of gradient",
      fix: "ReLU with He init (--activation relu), or fewer layers", hiddenLayers: Array(repeating: 32, count: 8),
      activation: .sigmoid, initializer: .xavier, learningRate: 0.1),
    Preset(
      name: "exploding",
      shows: "six ReLU layers initialised 4× too large: gradients grow layer by layer toward the input",
      fix: "Xavier/He init without extra gain, a smaller η, or --l2", hiddenLayers: Array(repeating: 64, count: 6),
      activation: .relu, initializer: .he, gain: 4, learningRate: 0.0001),
    Preset(
      name: "dead-relu", shows: "ReLU with η far too large: big updates push units where they never fire again",
      fix: "a smaller η (-), He init, or --activation leaky-relu", hiddenLayers: [128, 64], activation: .relu, learningRate: 1.5),
    Preset(
      name: "saturated",
      shows: "tanh with N(0, 1) weights: pre-activations far from 0, where tanh is flat",
      fix: "Xavier init (--init xavier) keeps pre-activations near 0", hiddenLayers: [64, 32], activation: .tanh,
      initializer: .normal, learningRate: 0.1),
    Preset(
      name: "overfit", shows: "128 + 128 ReLUs on 360 noisy points: the training loss falls while the validation loss climbs",
      fix: "--l2 3e-3, --early-stop 10, fewer units (--layers 16,16), or more data", data: "gaussians", hiddenLayers: [128, 128], activation: .relu,
      learningRate: 0.1, headlessEpochs: 100),
  ]

  public static var names: [String] { all.map(\.name) }

  public static func named(_ name: String) -> Preset? { all.first { $0.name == name } }
}
