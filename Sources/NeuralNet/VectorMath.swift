/// Vectorised fp32 `exp`, `tanh` and the logistic sigmoid, accurate to a few
/// ulp, for the activation and softmax loops. Scalar code calls the same
/// functions on a one-lane-used vector, so both paths agree bit for bit.
enum VectorMath {
  typealias V = Vec

  /// e^x for every lane; inputs are clamped to the range where e^x is finite
  /// and normal, so the result is never NaN for finite input.
  @inline(__always)
  static func exp(_ x: V) -> V {
    let log2e: Float = 1.442_695_04
    let ln2Hi: Float = 0.693_359_375
    let ln2Lo: Float = -2.121_944_4e-4
    let lo = V(repeating: -87.3), hi = V(repeating: 88.7)
    // Clamp with compare-and-blend: SIMD's `clamped` and `pointwiseMax` run lane by lane.
    let xc = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
    let n = (xc * log2e).rounded(.toNearestOrEven)
    var r = xc - n * ln2Hi
    r = r - n * ln2Lo
    // e^r on |r| ≤ ln2/2 by its Taylor series to r⁷ (error < 1e-8 relative).
    var p = V(repeating: 1.0 / 5040)
    for c: Float in [1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1] { p = horner(p, r, c) }
    // n as an integer by the magic-number trick (integral n, |n| < 2²²): the
    // float conversion of SIMD (`VecInt(n, rounding:)`) is a generic runtime call.
    let magic = V(repeating: 12_582_912)  // 1.5 · 2²³
    let ni = unsafeBitCast(n + magic, to: VecInt.self) &- unsafeBitCast(magic, to: VecInt.self)
    // 2^n from the exponent bits. n ∈ [-126, 128]: split so both halves are normal.
    let half = ni &>> 1
    let s1 = unsafeBitCast((half &+ 127) &<< 23, to: V.self)
    let s2 = unsafeBitCast((ni &- half &+ 127) &<< 23, to: V.self)
    return p * s1 * s2
  }

  /// tanh for every lane: an odd Taylor polynomial near 0 (where 1 − 2/(e²ˣ+1)
  /// would cancel), the exponential form elsewhere.
  @inline(__always)
  static func tanh(_ x: V) -> V {
    let bits = unsafeBitCast(x, to: VecBits.self)
    let ax = unsafeBitCast(bits & 0x7FFF_FFFF, to: V.self)
    // tanh x = x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 − 1382x¹¹/155925 + 21844x¹³/6081075
    let x2 = x * x
    var p = V(repeating: 21844.0 / 6_081_075)
    for c: Float in [-1382.0 / 155_925, 62.0 / 2835, -17.0 / 315, 2.0 / 15, -1.0 / 3] { p = horner(p, x2, c) }
    let small = x.addingProduct(x * x2, p)
    let e = exp(-2 * ax)
    let large = (1 - e) / (1 + e)
    let signed = unsafeBitCast(unsafeBitCast(large, to: VecBits.self) | (bits & 0x8000_0000), to: V.self)
    return small.replacing(with: signed, where: ax .> 0.5)
  }

  /// The natural log for every lane: exponent and mantissa from the bits,
  /// log m = 2·atanh((m−1)/(m+1)) on m ∈ [√½, √2). 0 gives −∞, negatives NaN.
  @inline(__always)
  static func log(_ x: V) -> V {
    let bits = unsafeBitCast(x, to: VecInt.self)
    var e = (bits &>> 23) &- 127
    var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: V.self)  // [1, 2)
    let big = m .> 1.414_213_56
    m = m.replacing(with: m * 0.5, where: big)
    e = e.replacing(with: e &+ 1, where: big)
    let s = (m - 1) / (m + 1), s2 = s * s
    var p = V(repeating: 1.0 / 9)
    for c: Float in [1.0 / 7, 1.0 / 5, 1.0 / 3, 1] { p = horner(p, s2, c) }
    // e as a float by the magic-number trick (|e| < 2²²).
    let magic = V(repeating: 12_582_912)
    let ef = unsafeBitCast(e &+ unsafeBitCast(magic, to: VecInt.self), to: V.self) - magic
    var result = (2 * s * p).addingProduct(ef, V(repeating: 0.693_147_18))
    result = result.replacing(with: -.infinity, where: x .== 0)
    return result.replacing(with: .nan, where: x .< 0)
  }

  /// log(1 + e^(−|x|)) for every lane: the softplus tail of stable
  /// sigmoid cross-entropies.
  @inline(__always)
  static func log1pExpNegativeAbs(_ x: V) -> V {
    let ax = unsafeBitCast(unsafeBitCast(x, to: VecBits.self) & 0x7FFF_FFFF, to: V.self)
    return log(1 + exp(-ax))
  }

  /// Lane numbers 0, 1, 2, …
  static let laneNumbers: VecInt = {
    var v = VecInt()
    for i in 0..<VecInt.scalarCount { v[i] = Int32(i) }
    return v
  }()

  /// Σ over `count` elements of `body(i, lanes)`, the vector for elements
  /// i ..< i + lanes (the last call may have fewer than a vector; its extra
  /// lanes are dropped). Partial sums in fp32 vectors, totalled in Double.
  @inline(__always)
  static func sum(_ count: Int, _ body: (_ i: Int, _ lanes: Int) -> V) -> Double {
    let w = V.scalarCount
    var total = 0.0
    var acc = V()
    var i = 0, blocks = 0
    while i + w <= count {
      acc += body(i, w)
      i += w
      blocks += 1
      if blocks == 64 {
        total += Double(acc.sum())
        acc = V()
        blocks = 0
      }
    }
    if i < count {
      let v = body(i, count - i)
      acc += v.replacing(with: 0, where: laneNumbers .>= Int32(count - i))
    }
    return total + Double(acc.sum())
  }

  /// Loads `lanes` floats (a whole vector, or fewer with `fill` after them).
  @inline(__always)
  static func load(_ p: UnsafePointer<Float>, _ lanes: Int, fill: Float = 0) -> V {
    lanes == V.scalarCount ? loadVector(p) : loadPartial(p, count: lanes, fill: fill)
  }

  /// One Horner step with a fused multiply-add: p·x + c.
  @inline(__always)
  static func horner(_ p: V, _ x: V, _ c: Float) -> V {
    V(repeating: c).addingProduct(p, x)
  }

  /// 1 / (1 + e⁻ˣ) for every lane, without overflow for large |x|.
  @inline(__always)
  static func sigmoid(_ x: V) -> V {
    1 / (1 + exp(-x))
  }

  /// Applies a vector function to `count` floats in place, the tail through a padded vector.
  @inline(__always)
  static func map(_ p: UnsafeMutablePointer<Float>, count: Int, _ f: (V) -> V) {
    let w = V.scalarCount
    var i = 0
    while i + w <= count {
      storeVector(f(loadVector(p + i)), p + i)
      i += w
    }
    if i < count {
      var v = V()
      for l in 0..<(count - i) { v[l] = p[i + l] }
      let r = f(v)
      for l in 0..<(count - i) { p[i + l] = r[l] }
    }
  }

  /// Scalar e^x through the vector path (so scalar and vector results match).
  @inline(__always)
  static func exp(_ x: Float) -> Float { exp(V(repeating: x))[0] }
}
