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
  public static let leakySlope: Float = 0.01

  public static let hiddenChoices: [Activation] = [.sigmoid, .tanh, .relu, .leakyReLU, .linear]
  public static let outputChoices: [Activation] = [.linear, .sigmoid, .softmax]

  /// Overwrites `z`, laid out `(units, batch)` with row stride `batch`, with σ(z + b)
  /// — the bias (nil: none) added per row (unit) — in one pass.
  public func forward(_ z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, units: Int, batch: Int) {
    if bias == nil && (self == .linear || self == .softmax) {
      if self == .softmax { Activation.softmaxColumns(z, units: units, batch: batch) }
      return
    }
    for r in 0..<units {
      let row = z + r * batch
      let br = bias?[r] ?? 0
      switch self {
      case .sigmoid: VectorMath.map(row, count: batch) { VectorMath.sigmoid($0 + br) }
      case .tanh: VectorMath.map(row, count: batch) { VectorMath.tanh($0 + br) }
      case .relu: VectorMath.map(row, count: batch) { ($0 + br).replacing(with: 0, where: ($0 + br) .< 0) }
      case .leakyReLU:
        VectorMath.map(row, count: batch) { v in
          let s = v + br
          return s.replacing(with: s * Activation.leakySlope, where: s .< 0)
        }
      case .linear, .softmax: VectorMath.map(row, count: batch) { $0 + br }
      }
    }
    if self == .softmax { Activation.softmaxColumns(z, units: units, batch: batch) }
  }

  /// Multiplies `delta` (dA, in place → dZ) by σ'(Z), read from the output `a`.
  /// Softmax has no elementwise derivative: the loss handles it (`Loss.outputGradient`).
  public func multiplyDerivative(_ delta: UnsafeMutablePointer<Float>, activation a: UnsafePointer<Float>, count: Int) {
    switch self {
    case .sigmoid: Activation.zipMap(delta, a, count) { d, a in d * a * (1 - a) }
    case .tanh: Activation.zipMap(delta, a, count) { d, a in d * (1 - a * a) }
    case .relu: Activation.zipMap(delta, a, count) { d, a in d.replacing(with: 0, where: a .<= 0) }
    case .leakyReLU: Activation.zipMap(delta, a, count) { d, a in d.replacing(with: d * Activation.leakySlope, where: a .< 0) }
    case .linear: break
    case .softmax: preconditionFailure("softmax has no elementwise derivative")
    }
  }

  /// `d[i] = f(d[i], a[i])` over `count` floats, a vector at a time.
  @inline(__always)
  static func zipMap(_ d: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ count: Int, _ f: (Vec, Vec) -> Vec) {
    let w = Vec.scalarCount
    var i = 0
    while i + w <= count {
      storeVector(f(loadVector(d + i), loadVector(a + i)), d + i)
      i += w
    }
    if i < count {
      let r = f(loadPartial(d + i, count: count - i), loadPartial(a + i, count: count - i))
      storePartial(r, d + i, count: count - i)
    }
  }

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

  /// Column-wise softmax of `(units, batch)`, eight columns at a time so every
  /// load runs along a row; each column's max is subtracted first. Needs no
  /// scratch memory.
  static func softmaxColumns(_ z: UnsafeMutablePointer<Float>, units: Int, batch: Int) {
    typealias V = Vec
    let w = V.scalarCount
    var j = 0
    while j < batch {
      let lanes = min(w, batch - j)
      @inline(__always) func load(_ r: Int) -> V {
        let p = z + r * batch + j
        if lanes == w { return loadVector(p) }
        var v = V(repeating: -.greatestFiniteMagnitude)
        for l in 0..<lanes { v[l] = p[l] }
        return v
      }
      @inline(__always) func store(_ v: V, _ r: Int) {
        let p = z + r * batch + j
        if lanes == w { storeVector(v, p) } else { for l in 0..<lanes { p[l] = v[l] } }
      }
      var m = load(0)
      for r in 1..<max(units, 1) {
        let v = load(r)
        m = m.replacing(with: v, where: v .> m)
      }
      var sum = V()
      for r in 0..<units {
        let e = VectorMath.exp(load(r) - m)
        sum += e
        store(e, r)
      }
      let inv = 1 / sum
      for r in 0..<units { store(load(r) * inv, r) }
      j += w
    }
  }
}
