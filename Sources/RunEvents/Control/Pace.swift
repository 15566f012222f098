import NumberFormat

/// How fast the built-in trainer may run: full speed, or at most so many
/// mini-batch steps a second (`<` and `>` walk the ladder), so a person can
/// watch a small network learn. Headless runs are always at full speed.
public struct Pace: Sendable, Equatable {
  /// Steps a second; nil: as fast as the machine goes.
  public var stepsPerSecond: Double?

  public init(stepsPerSecond: Double?) {
    self.stepsPerSecond = stepsPerSecond
  }

  public static let full = Pace(stepsPerSecond: nil)
  /// The ladder `<` walks down and `>` walks up, fastest first.
  public static let ladder: [Pace] = [.full] + [10_000, 1_000, 100, 10].map { Pace(stepsPerSecond: $0) }
  /// The built-in 2-D data sets open at this pace in the dashboard (off the
  /// ladder: `<` goes to 10, `>` to 100): the decision boundary of spirals
  /// forms over about half a minute (95 % validation accuracy at about 300
  /// steps, 97.5 % at 600), that of moons too (100 % at about 520).
  public static let watchable = Pace(stepsPerSecond: 25)

  /// The next rung: slower (`<`) or faster (`>`); the ends stay where they are.
  public func stepped(faster: Bool) -> Pace {
    // A pace off the ladder goes to the nearest rung in the direction asked.
    let rate = stepsPerSecond ?? .infinity
    if faster { return Self.ladder.last { ($0.stepsPerSecond ?? .infinity) > rate } ?? .full }
    return Self.ladder.first { ($0.stepsPerSecond ?? .infinity) < rate } ?? self
  }

  /// `full speed`, `1k steps/s`, `10 steps/s`.
  public var label: String {
    guard let stepsPerSecond else { return "full speed" }
    return "\(ChartFormat.count(stepsPerSecond)) steps/s"
  }
}
