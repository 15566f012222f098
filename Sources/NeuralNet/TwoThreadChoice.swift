/// Whether training steps take their two-thread paths for small work (the
/// hidden layers' forward pass in two blocks of examples, the updates beside
/// the chain of dX) or keep everything on one thread, chosen by timing both.
///
/// Both ways compute the same values to the bit; only the time differs, and
/// on a virtual machine that depends on what the host does with the second
/// vCPU. On the Zen 4, `deep` at two threads ran at about 600k samples/s
/// (1.2× one thread) for minutes, then at about 240k (0.5×) for minutes, with
/// no steal time reported. So the choice keeps trying: a few steps each way,
/// then the faster (by median step) for a while, then again.
///
/// A pure state machine fed with step durations, so tests can drive it.
struct TwoThreadChoice {
  /// Steps timed each way per trial; the first of each is not counted, as it
  /// pays for the switch (caches filled on the other core).
  static let trialSteps = 24
  /// Steps the faster way then runs before the next trial (for `deep`,
  /// about 0.1 s; a trial's slower half costs under 1 % of that).
  static let keptSteps = 2048

  private enum Phase {
    case trying(parallel: Bool, step: Int)
    case keeping(step: Int)
  }
  private var phase = Phase.trying(parallel: true, step: 0)
  /// Each way's counted step durations in this trial, in ascending order.
  private var parallelTimes = SortedSample(capacity: trialSteps)
  private var serialTimes = SortedSample(capacity: trialSteps)

  /// Whether the step now starting takes the two-thread paths.
  private(set) var parallel = true

  /// The step that just ended (run the way `parallel` said) took `time`;
  /// moves on to the next step's choice.
  mutating func record(_ time: Duration) {
    switch phase {
    case .trying(let isParallel, let step):
      if step > 0 {
        if isParallel { parallelTimes.insert(time) } else { serialTimes.insert(time) }
      }
      if step + 1 < Self.trialSteps {
        phase = .trying(parallel: isParallel, step: step + 1)
      } else if isParallel {
        phase = .trying(parallel: false, step: 0)
        parallel = false
      } else {
        parallel = parallelTimes.median <= serialTimes.median
        parallelTimes.removeAll()
        serialTimes.removeAll()
        phase = .keeping(step: 0)
      }
    case .keeping(let step):
      if step + 1 < Self.keptSteps {
        phase = .keeping(step: step + 1)
      } else {
        phase = .trying(parallel: true, step: 0)
        parallel = true
      }
    }
  }
}

/// Up to `capacity` values kept in ascending order, storage reserved once
/// (so a step allocates nothing).
struct SortedSample {
  private var values: [Duration]

  init(capacity: Int) {
    values = []
    values.reserveCapacity(capacity)
  }

  mutating func insert(_ x: Duration) {
    var i = values.count
    values.append(x)
    while i > 0 && values[i - 1] > x {
      values[i] = values[i - 1]
      i -= 1
    }
    values[i] = x
  }

  mutating func removeAll() { values.removeAll(keepingCapacity: true) }

  /// The middle value (the upper of the two middle ones); zero when empty.
  var median: Duration { values.isEmpty ? .zero : values[values.count / 2] }
}
