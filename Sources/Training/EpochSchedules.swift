/// Keras's ReduceLROnPlateau: when the monitored loss (validation, or
/// training without a validation split) has not improved by `minDelta`
/// (relative) for `patience` epochs, η is multiplied by `factor`, down to
/// `minimumRate` and no further (by default 1e-4 of the first η it sees, so
/// η never decays to nothing).
public struct PlateauScheduler: Sendable, Equatable {
  public var factor: Float
  public var patience: Int
  public var minimumRate: Float?
  public var minDelta = 1e-4
  public static let defaultFloor: Float = 1e-4
  private var best = Double.infinity
  private var wait = 0

  public init(factor: Float, patience: Int, minimumRate: Float? = nil) {
    self.factor = factor
    self.patience = patience
    self.minimumRate = minimumRate
  }

  /// Sees one epoch's loss with η at `rate`; returns the reduced η when it
  /// should change now (never below `minimumRate`), nil otherwise.
  public mutating func observe(_ loss: Double, rate: Float) -> Float? {
    if minimumRate == nil { minimumRate = rate * Self.defaultFloor }
    guard loss.isFinite, let minimumRate else { return nil }
    if loss < best * (1 - minDelta) {
      best = loss
      wait = 0
      return nil
    }
    wait += 1
    guard wait >= patience else { return nil }
    wait = 0
    // At the floor already (give or take rounding): nothing to do.
    guard rate > minimumRate * 1.001 else { return nil }
    return max(rate * factor, minimumRate)
  }

  /// η was set by hand: wait a full `patience` before reducing it.
  public mutating func restartPatience() {
    wait = 0
  }
}

/// Keras's EarlyStopping on the monitored loss: stop after `patience`
/// epochs without improvement (by `minDelta`, relative).
public struct EarlyStopping: Sendable, Equatable {
  public var patience: Int
  public var minDelta = 1e-4
  public private(set) var best = Double.infinity
  public private(set) var bestEpoch = 0
  private var wait = 0

  public init(patience: Int) {
    self.patience = patience
  }

  /// Sees epoch `epoch`'s loss; true when training should stop.
  public mutating func observe(_ loss: Double, epoch: Int) -> Bool {
    guard loss.isFinite else { return false }
    if loss < best * (1 - minDelta) {
      best = loss
      bestEpoch = epoch
      wait = 0
      return false
    }
    wait += 1
    return wait >= patience
  }

  /// After a stop, when training goes on: wait another `patience` epochs
  /// without beating the best so far.
  public mutating func rearm() {
    wait = 0
  }
}
