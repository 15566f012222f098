/// One rank of a torch.distributed run, as the merged dashboard shows it.
public struct RankStatus: Sendable, Equatable {
  /// How a rank compares with the others.
  public enum Condition: Sendable, Equatable {
    case ok
    /// Its pace is below the median's by more than `RankStatus.stragglerShare`.
    case straggler
    /// Its log stopped growing while another rank's grew, or its process is gone.
    case lost
    /// Its log ended with a summary.
    case ended
  }

  public var rank: Int
  public var step: Int
  /// Steps per second of training time over the recent samples; nil before two samples.
  public var stepsPerSecond: Double?
  public var condition: Condition
  /// Why it is flagged: `38 % slower` (than the median pace), `silent 14 s`.
  public var note: String?

  /// How far below the median pace a straggler is (0.2: 20 % slower).
  public static let stragglerShare = 0.2

  public init(rank: Int, step: Int, stepsPerSecond: Double?, condition: Condition = .ok, note: String? = nil) {
    self.rank = rank
    self.step = step
    self.stepsPerSecond = stepsPerSecond
    self.condition = condition
    self.note = note
  }
}
