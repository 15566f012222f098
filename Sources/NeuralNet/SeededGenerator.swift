/// The one random source of a run: xoshiro256** seeded through SplitMix64, so
/// a `--seed` reproduces weights, shuffles and generated data bit for bit.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var s0, s1, s2, s3: UInt64

  public init(seed: UInt64) {
    var sm = seed
    func splitMix() -> UInt64 {
      sm &+= 0x9E37_79B9_7F4A_7C15
      var z = sm
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix()
    s1 = splitMix()
    s2 = splitMix()
    s3 = splitMix()
  }

  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3 << 45 | s3 >> 19
    return result
  }

  /// Uniform in [0, 1).
  public mutating func uniform() -> Float {
    Float(next() >> 40) * (1.0 / Float(1 << 24))
  }

  /// Uniform in [low, high).
  public mutating func uniform(_ low: Float, _ high: Float) -> Float {
    low + (high - low) * uniform()
  }

  /// Standard normal, by Box–Muller (in Double, then rounded).
  public mutating func normal() -> Float {
    var u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    if u1 == 0 { u1 = .leastNonzeroMagnitude }
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    let radius = (-2 * ScalarMath.log(u1)).squareRoot()
    return Float(radius * cosine(2 * Double.pi * u2))
  }

  /// A seeded Fisher–Yates shuffle.
  public mutating func shuffle<T>(_ values: inout [T]) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
      let j = Int(next() % UInt64(i + 1))
      values.swapAt(i, j)
    }
  }
}

/// cos x on [0, 2π) from its Taylor series after reduction to [-π, π]
/// (the standard library has no trigonometry).
func cosine(_ x: Double) -> Double {
  var r = x.truncatingRemainder(dividingBy: 2 * .pi)
  if r > .pi { r -= 2 * .pi }
  if r < -.pi { r += 2 * .pi }
  let r2 = r * r
  var sum = 1.0
  var term = 1.0
  var k = 1.0
  while k < 40 {
    term *= -r2 / (k * (k + 1))
    sum += term
    k += 2
  }
  return sum
}
