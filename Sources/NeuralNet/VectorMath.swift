/// Vectorised fp32 `exp`, `tanh` and the logistic sigmoid, accurate to a few
/// ulp, for the activation and softmax loops. Scalar code calls the same
/// functions on a one-lane-used vector, so both paths agree bit for bit.
enum VectorMath {
  typealias V = GEMMVector

  /// e^x for every lane; inputs are clamped to the range where e^x is finite
  /// and normal, so the result is never NaN for finite input.
  @inline(__always)
  static func exp(_ x: V) -> V {
    let log2e: Float = 1.442_695_04
    let ln2Hi: Float = 0.693_359_375
    let ln2Lo: Float = -2.121_944_4e-4
    let xc = x.clamped(lowerBound: V(repeating: -87.3), upperBound: V(repeating: 88.7))
    let n = (xc * log2e).rounded(.toNearestOrEven)
    var r = xc - n * ln2Hi
    r = r - n * ln2Lo
    // e^r on |r| ≤ ln2/2 by its Taylor series to r⁷ (error < 1e-8 relative).
    var p = V(repeating: 1.0 / 5040)
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // 2^n from the exponent bits. n ∈ [-126, 128]: split so both halves are normal.
    let ni = SIMD8<Int32>(n, rounding: .towardZero)
    let half = ni &>> 1
    let s1 = unsafeBitCast((half &+ 127) &<< 23, to: V.self)
    let s2 = unsafeBitCast((ni &- half &+ 127) &<< 23, to: V.self)
    return p * s1 * s2
  }

  /// tanh for every lane: an odd Taylor polynomial near 0 (where 1 − 2/(e²ˣ+1)
  /// would cancel), the exponential form elsewhere.
  @inline(__always)
  static func tanh(_ x: V) -> V {
    let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
    let ax = unsafeBitCast(bits & 0x7FFF_FFFF, to: V.self)
    // tanh x = x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 − 1382x¹¹/155925 + 21844x¹³/6081075
    let x2 = x * x
    var p = V(repeating: 21844.0 / 6_081_075)
    p = p * x2 - 1382.0 / 155_925
    p = p * x2 + 62.0 / 2835
    p = p * x2 - 17.0 / 315
    p = p * x2 + 2.0 / 15
    p = p * x2 - 1.0 / 3
    let small = x + x * x2 * p
    let e = exp(-2 * ax)
    let large = (1 - e) / (1 + e)
    let signed = unsafeBitCast(unsafeBitCast(large, to: SIMD8<UInt32>.self) | (bits & 0x8000_0000), to: V.self)
    return small.replacing(with: signed, where: ax .> 0.5)
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
