/// Keras's ReduceLROnPlateau: when the monitored loss (validation, or
/// training without a validation split) has not improved by `minDelta`
/// (relative) for `patience` epochs, η is multiplied by `factor`.
public struct PlateauScheduler: Sendable, Equatable {
  public var factor: Float
  public var patience: Int
  public var minDelta = 1e-4
  private var best = Double.infinity
  private var wait = 0

  public init(factor: Float, patience: Int) {
    self.factor = factor
    self.patience = patience
  }

  /// Sees one epoch's loss; true when η should be reduced now.
  public mutating func observe(_ loss: Double) -> Bool {
    guard loss.isFinite else { return false }
    if loss < best * (1 - minDelta) {
      best = loss
      wait = 0
      return false
    }
    wait += 1
    guard wait >= patience else { return false }
    wait = 0
    return true
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
}
