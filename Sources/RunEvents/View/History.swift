/// Everything the charts draw, bounded.
public struct History: Sendable, Equatable {
  /// Training loss per step.
  public var loss = Series()
  /// Validation loss per epoch (x = step at the epoch's end).
  public var validationLoss = Series(capacity: 512)
  /// Training accuracy per step batch, or RMSE for regression.
  public var metric = Series()
  /// Validation accuracy (or RMSE) per epoch.
  public var validationMetric = Series(capacity: 512)
  /// ‖∂J/∂W‖ per layer at instrumented steps.
  public var gradientNorms: [Series]
  /// Other numbers a source logs (a TensorBoard tag, a CSV column the
  /// curves do not draw), by name: the metric panel can show one instead.
  public var others: [NamedSeries] = []
  /// Steps at which events happened (η changes, pauses, resets), for chart marks.
  public var marks: [Mark] = []

  public struct Mark: Sendable, Equatable {
    public var step: Int
    public var label: String
    public init(step: Int, label: String) {
      self.step = step
      self.label = label
    }
  }

  public init(layers: Int) {
    gradientNorms = Array(repeating: Series(capacity: 128), count: layers)
  }

  /// Keeps the most recent marks only.
  public mutating func mark(step: Int, _ label: String) {
    marks.append(Mark(step: step, label: label))
    if marks.count > 64 { marks.removeFirst(marks.count - 64) }
  }
}

/// A series and the name its source logs it under.
public struct NamedSeries: Sendable, Equatable {
  public var name: String
  public var series: Series
  public init(name: String, series: Series) {
    self.name = name
    self.series = series
  }
}
