/// Tolerant comparison with explicit absolute and relative tolerances:
/// |a − b| ≤ absolute + relative · max(|a|, |b|).
public func isApproximatelyEqual(_ a: Double, _ b: Double, absolute: Double = 0, relative: Double = 0) -> Bool {
  if a.isNaN || b.isNaN { return false }
  return abs(a - b) <= absolute + relative * max(abs(a), abs(b))
}

public func isApproximatelyEqual(_ a: Float, _ b: Float, absolute: Double = 0, relative: Double = 0) -> Bool {
  isApproximatelyEqual(Double(a), Double(b), absolute: absolute, relative: relative)
}

/// The largest |a[i] − b[i]| of two equally long sequences.
public func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Double {
  precondition(a.count == b.count, "lengths \(a.count) and \(b.count) differ")
  return zip(a, b).reduce(0.0) { max($0, abs(Double($1.0) - Double($1.1))) }
}
