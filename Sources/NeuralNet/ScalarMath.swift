/// Double-precision `exp`, `log` and `log1p` for loss values, from the
/// standard library alone (the engine imports no C library).
public enum ScalarMath {
  static let ln2 = 0.693_147_180_559_945_3

  /// e^x, accurate to about 1e-15 relative; 0 below -745, +∞ above 709.8.
  public static func exp(_ x: Double) -> Double {
    if x.isNaN { return x }
    if x > 709.78 { return .infinity }
    if x < -745.2 { return 0 }
    let n = (x / ln2).rounded(.toNearestOrEven)
    let r = (x - n * 0.693_147_180_369_123_8) - n * 1.908_214_929_270_587_7e-10
    // Taylor series of e^r on |r| ≤ ln2/2, to r¹⁴.
    var p = 1.0
    var i = 14.0
    while i >= 1 {
      p = 1 + p * r / i
      i -= 1
    }
    // Scale by 2^n in two steps so subnormal results stay right.
    let half = (n / 2).rounded(.towardZero)
    return p * Double(sign: .plus, exponent: Int(half), significand: 1)
      * Double(sign: .plus, exponent: Int(n - half), significand: 1)
  }

  /// Natural log, accurate to about 1e-15 relative; -∞ at 0, NaN below.
  public static func log(_ x: Double) -> Double {
    if x.isNaN || x < 0 { return .nan }
    if x == 0 { return -.infinity }
    if x == .infinity { return x }
    var e = Double(x.exponent)
    var m = x.significand  // [1, 2)
    if m > 2.0.squareRoot() {
      m /= 2
      e += 1
    }
    return 2 * atanhSeries((m - 1) / (m + 1)) + e * ln2
  }

  /// log(1 + x), accurate for small x too.
  public static func log1p(_ x: Double) -> Double {
    if x.isNaN || x < -1 { return .nan }
    if abs(x) < 0.4 { return 2 * atanhSeries(x / (2 + x)) }
    return log(1 + x)
  }

  /// atanh(s) = s + s³/3 + s⁵/5 + …, for |s| ≤ 0.18.
  private static func atanhSeries(_ s: Double) -> Double {
    let s2 = s * s
    var sum = 0.0
    var k = 41.0
    while k >= 1 {
      sum = 1 / k + s2 * sum
      k -= 2
    }
    return s * sum
  }
}
