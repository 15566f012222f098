import CKernels

/// The non-linearity σ a layer applies to Z = W·A + b.
///
/// Hidden layers use any but `softmax`; the output layer uses `linear`,
/// `sigmoid` or `softmax`. Every derivative is computed from the activation's
/// output A (σ' = A(1−A) for sigmoid, 1−A² for tanh, …), so the forward pass
/// can overwrite Z with A in place.
public enum Activation: String, Sendable, CaseIterable, Codable {
  case sigmoid
  case tanh
  case relu
  case leakyReLU = "leaky-relu"
  case linear
  case softmax

  /// The slope of leaky ReLU for negative inputs.
  public static let leakySlope: Float = NNTOP_LEAKY_SLOPE

  public static let hiddenChoices: [Activation] = [.sigmoid, .tanh, .relu, .leakyReLU, .linear]
  public static let outputChoices: [Activation] = [.linear, .sigmoid, .softmax]

  /// Overwrites `z`, laid out `(units, batch)` with row stride `ld`, with σ(z + b)
  /// — the bias (nil: none) added per row (unit) — in one pass.
  /// - Parameter ld: z's row stride, when z is `batch` columns of a wider
  ///   matrix (nil: `batch`); softmax needs whole rows.
  public func forward(
    _ z: UnsafeMutablePointer<Float>, ld: Int? = nil, bias: UnsafePointer<Float>?, units: Int, batch: Int,
    kernels: KernelSet = .active
  ) {
    precondition(self != .softmax || ld == nil || ld == batch, "softmax over a block of columns")
    kernels.activate(self, z, ld: ld ?? batch, bias: bias, units: units, batch: batch)
    if self == .softmax { kernels.softmaxColumns(z, units: units, batch: batch) }
  }

  /// Multiplies `delta` (dA, in place → dZ) by σ'(Z), read from the output `a`.
  /// Softmax has no elementwise derivative: the loss handles it (`Loss.outputGradient`).
  public func multiplyDerivative(
    _ delta: UnsafeMutablePointer<Float>, activation a: UnsafePointer<Float>, count: Int, kernels: KernelSet = .active
  ) {
    precondition(self != .softmax, "softmax has no elementwise derivative")
    kernels.multiplyDerivative(self, delta, activation: a, count: count)
  }

  /// Whether σ' is exactly zero wherever a unit is off (ReLU), so that much
  /// of ∂J/∂Z is zero and ∂J/∂W = ∂J/∂Z·Aᵀ may skip those zeros.
  var zeroGradientWhenOff: Bool { self == .relu }

  /// σ'(z) expressed through a = σ(z), one value (for statistics and tests).
  public func derivative(activation a: Float) -> Float {
    switch self {
    case .sigmoid: a * (1 - a)
    case .tanh: 1 - a * a
    case .relu: a > 0 ? 1 : 0
    case .leakyReLU: a < 0 ? Activation.leakySlope : 1
    case .linear: 1
    case .softmax: preconditionFailure("softmax has no elementwise derivative")
    }
  }

  /// σ(z) for one value, through the same vector code as the layer.
  public func callAsFunction(_ z: Float) -> Float {
    var v = z
    var zero: Float = 0
    forward(&v, bias: &zero, units: 1, batch: 1)
    return v
  }
}
