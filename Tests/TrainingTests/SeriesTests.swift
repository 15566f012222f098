import NeuralNet
import Testing
import RunEvents
import Training

/// The bounded history: memory stays flat, extremes survive decimation.
struct SeriesTests {
  @Test func tenMillionSamplesStayWithinCapacity() {
    var s = Series(capacity: 256)
    var rng = SeededGenerator(seed: 1)
    var trueMin = Float.infinity, trueMax = -Float.infinity, trueSum = 0.0
    for i in 0..<10_000_000 {
      var v = rng.uniform()
      if i == 7_654_321 { v = -5 }  // one spike each way, late in the run
      if i == 9_999_000 { v = 9 }
      trueMin = min(trueMin, v)
      trueMax = max(trueMax, v)
      trueSum += Double(v)
      s.append(x: Double(i), v)
    }
    #expect(s.buckets.count <= 256 && s.buckets.count > 128)
    #expect(s.total == 10_000_000)
    #expect(s.range == trueMin...trueMax)
    #expect(s.range == -5...9)
    // Buckets partition the samples: counts and sums add up.
    #expect(s.buckets.reduce(0) { $0 + $1.count } == 10_000_000)
    #expect(abs(s.buckets.reduce(0.0) { $0 + $1.sum } - trueSum) < 1e-6 * abs(trueSum))
    #expect(s.buckets.last?.x == 9_999_999)
  }

  @Test func nonFiniteSamplesNeverReachThePlot() {
    var s = Series(capacity: 8)
    s.append(x: 1, 1)
    s.append(x: 2, .nan)
    s.append(x: 3, .infinity)
    s.append(x: 4, 2)
    #expect(s.total == 2 && s.range == 1...2)
  }

  @Test func bucketsMergeInOrder() {
    var s = Series(capacity: 4)
    for i in 1...8 { s.append(x: Double(i), Float(i)) }
    // Capacity 4 reached at 4 samples: halve to 2 buckets of 2, then fill.
    #expect(s.buckets.map(\.count) == [2, 2, 2, 2])
    #expect(s.buckets.map(\.min) == [1, 3, 5, 7] && s.buckets.map(\.max) == [2, 4, 6, 8])
    #expect(s.buckets.map(\.x) == [2, 4, 6, 8] && s.stride == 2)
  }
}
