/// A time series kept in bounded memory however long the run: at most
/// `capacity` buckets; when full, neighbours merge pairwise and each bucket
/// then covers twice as many samples. A bucket keeps the min, the max and the
/// mean of its samples, so spikes survive decimation.
public struct Series: Sendable, Equatable {
  public struct Bucket: Sendable, Equatable {
    /// The x (step) of the bucket's last sample.
    public var x: Double
    public var min: Float
    public var max: Float
    public var sum: Double
    public var count: Int
    public var last: Float

    public var mean: Float { Float(sum / Double(Swift.max(count, 1))) }

    /// One sample.
    public init(x: Double, _ y: Float) {
      self.init(x: x, min: y, max: y, sum: Double(y), count: 1, last: y)
    }

    public init(x: Double, min: Float, max: Float, sum: Double, count: Int, last: Float) {
      self.x = x
      self.min = min
      self.max = max
      self.sum = sum
      self.count = count
      self.last = last
    }

    /// Adds `other`'s samples (which come after this bucket's).
    public mutating func absorb(_ other: Bucket) {
      x = other.x
      min = Swift.min(min, other.min)
      max = Swift.max(max, other.max)
      sum += other.sum
      count += other.count
      last = other.last
    }
  }

  public let capacity: Int
  public private(set) var buckets: [Bucket] = []
  /// Samples per full bucket (a power of two); a bucket holding this many
  /// samples takes no more, whether they came one by one or pre-aggregated.
  public private(set) var stride = 1
  /// Samples seen in all.
  public private(set) var total = 0

  public init(capacity: Int = 1024) {
    precondition(capacity >= 2 && capacity % 2 == 0, "capacity must be even and at least 2")
    self.capacity = capacity
    buckets.reserveCapacity(capacity)
  }

  public var isEmpty: Bool { buckets.isEmpty }
  public var last: Float? { buckets.last?.last }

  /// Adds one sample; NaN and infinities are skipped (they never reach a plot).
  public mutating func append(x: Double, _ y: Float) {
    guard y.isFinite else { return }
    append(Bucket(x: x, y))
  }

  /// Adds a bucket of already aggregated samples (a replayed log's `sample`
  /// line); it merges like single samples do, keeping its min and max.
  public mutating func append(_ bucket: Bucket) {
    guard bucket.count > 0, bucket.min.isFinite, bucket.max.isFinite, bucket.sum.isFinite else { return }
    total += bucket.count
    if var open = buckets.last, open.count < stride {
      open.absorb(bucket)
      buckets[buckets.count - 1] = open
      return
    }
    if buckets.count == capacity { halve() }
    buckets.append(bucket)
  }

  private mutating func halve() {
    var merged: [Bucket] = []
    merged.reserveCapacity(capacity)
    var i = 0
    while i < buckets.count {
      var b = buckets[i]
      if i + 1 < buckets.count { b.absorb(buckets[i + 1]) }
      merged.append(b)
      i += 2
    }
    buckets = merged
    stride *= 2
  }

  /// The smallest and largest sample.
  public var range: ClosedRange<Float>? {
    guard let lo = buckets.map(\.min).min(), let hi = buckets.map(\.max).max() else { return nil }
    return lo...hi
  }
}
